/*
 * One run of the report: the configuration, the filled cube and the report
 * being built, and the code that runs each plugin instance's compute
 * against the API table.
 */
#ifndef PS_RUN_H
#define PS_RUN_H

#include <parkstat/plugin.h>

#include "config/conf.h"
#include "cube/cube.h"
#include "plugin/loader.h"
#include "report/report.h"
#include "config/settings.h"

typedef struct ps__run {
    const ps__config_t *cfg;
    ps__cube_t *cube;
    ps_period_t period;
    ps__report_t *report;
} ps__run_t;

/* The table handed to every plugin. */
const ps_api_t *ps__api(void);

/*
 * Runs one instance and adds its section to the report: complete, or
 * marked failed with the reason (the run goes on). Returns 0 or the plugin's
 * error code; only PS_ENOMEM in the core itself is worse than a failed section.
 */
int ps__run_instance(ps__run_t *run, const ps__instance_t *inst,
                     const ps__module_t *mod, const ps__settings_t *settings);
/* As ps__run_instance, without the log line: in a child process, whose
   standard error is the plugin's, the parent says how long it took. */
int ps__compute_instance(ps__run_t *run, const ps__instance_t *inst,
                         const ps__module_t *mod, const ps__settings_t *settings);
/* At level info, "plugin NAME computed in 0.12 s", and whether it failed. */
void ps__log_computed(const ps__instance_t *inst, double seconds, int failed);

/* Adds the (empty) section of an instance to the report, titled by its
   `title` key or its name. NULL when out of memory. */
ps__section_t *ps__instance_section(ps__run_t *run, const ps__instance_t *inst,
                                    const ps__module_t *mod, const ps__settings_t *settings);

/* One plugin instance to run in its own process. */
typedef struct ps__job {
    const ps__instance_t *inst;
    const ps__module_t *mod;
    const ps__settings_t *settings;
    unsigned timeout_s;
} ps__job_t;

/*
 * As ps__run_instance for each job, but each compute runs in a child
 * process (plugin/child.h), as many at once as the machine has CPUs (at
 * least two): a plugin that crashes, hangs past its `timeout_s` seconds,
 * exits, or sends garbage or more than PS_ISOLATE_MAX_RESULT bytes loses
 * only its own section, marked failed with the reason ("plugin tax: killed
 * by SIGSEGV"). Whatever a plugin forks is killed when its child ends;
 * what it writes to stderr is logged under its name, what it prints is
 * dropped. Plugins cannot see each other's sections, so running them
 * together changes no figure; the sections are added in the jobs' order.
 * Returns 0, PS_EPLUGIN when a section failed, or PS_ENOMEM.
 */
#define PS_ISOLATE_MAX_RESULT (16u << 20)
#define PS_ISOLATE_MAX_PARALLEL 64
int ps__run_isolated(ps__run_t *run, const ps__job_t *jobs, size_t n);

#endif
