/*
 * A month's reports published as one set: every format a run writes goes
 * into a new hidden directory of the output directory, and one symbolic
 * link, switched by rename(), makes the whole set current at once:
 *
 *   DIR/report-2023-10.txt  ->  .report-2023-10.current/report-2023-10.txt
 *   DIR/.report-2023-10.current  ->  .report-2023-10.set-Ab12Cd
 *
 * A reader following the names sees every format of the old set or every
 * format of the new one; a run killed before the switch leaves the old set
 * whole, after it the new set whole.
 */
#ifndef PS_OUTPUT_SET_H
#define PS_OUTPUT_SET_H

#include <stddef.h>

#include "base/buf.h"

typedef struct ps__output_file {
    const char *name;  /* "report-2023-10.txt", a name in the output directory */
    const char *data;  /* its new bytes; NULL when this run does not write it:
                          the current set's version, if any, is kept */
    size_t len;
} ps__output_file_t;

typedef struct ps__output_set {
    const char *dir;
    const char *stem;    /* "report-2023-10": names .STEM.current, .STEM.set-XXXXXX */
    const char *family;  /* "report-": what a killed run left for any stem
                            starting so is removed (the caller holds the lock) */
    const ps__output_file_t *files;
    size_t n_files;
} ps__output_set_t;

/*
 * Publishes the set: first refuses a name in the way of a file to write (a
 * directory, a link or special file not ours), then removes what killed
 * runs left, writes and flushes every file into a new set directory and
 * switches to it. A regular file of an older parkstat is first taken into a
 * set of its own, unchanged, so that the switch stays whole. Returns 0, or
 * PS_EIO with err naming the file and why; the reports in DIR are then
 * unchanged.
 */
int ps__output_set_publish(const ps__output_set_t *set, ps__buf_t *err);

#endif
