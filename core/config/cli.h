/* The command line. */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <stdio.h>

#include "base/buf.h"

typedef struct ps__cli {
    const char *config;      /* -c FILE */
    const char *period;      /* -p YYYY-MM */
    const char *formats;     /* -f text,json */
    const char *output_dir;  /* -o DIR */
    const char *plugin_dir;  /* --plugin-dir DIR */
    const char *describe;    /* --describe PLUGIN */
    int check;
    /* --no-strict-permissions: only here, never in the INI, which is the
       very file the checks protect */
    int no_strict_permissions;
    int quiet;               /* -q: nothing on success */
    int list_plugins;
    int man_keys;            /* --man-keys: parkstat.ini(5)'s key reference */
    int version;
    int help;
} ps__cli_t;

/* Parses argv; on a usage error returns -1 with the reason in err. */
int ps__cli_parse(int argc, char **argv, ps__cli_t *cli, ps__buf_t *err);
void ps__cli_usage(FILE *out);

#endif
