/*
 * Seconds on the monotonic clock: for deadlines, and for the durations the
 * log gives at level info (how long each source took to read, each plugin
 * to compute, the whole run), which tell an office where its run's time
 * goes. Not the wall clock, which may jump.
 */
#ifndef PS_STOPWATCH_H
#define PS_STOPWATCH_H

#include <time.h>

static inline double ps__seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
