/* parkstat SDK: the one header a plugin includes. */
#ifndef PARKSTAT_H
#define PARKSTAT_H

#include <parkstat/error.h>
#include <parkstat/helpers.h>
#include <parkstat/plugin.h>
#include <parkstat/types.h>
#include <parkstat/version.h>

#endif
