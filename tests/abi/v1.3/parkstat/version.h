/* parkstat SDK version: a frozen copy of ABI 1.3's headers, kept so that a
   test can build a plugin the way a department did against ABI 1.3 and
   check that newer cores still load it. Never edit these files. */
#ifndef PARKSTAT_VERSION_H
#define PARKSTAT_VERSION_H

#define PS_PACKAGE_VERSION "0.1.0"

/*
 * ABI policy: the core loads a plugin whose major equals its own and whose
 * minor is at most its own. The minor grows when members are appended to
 * ps_api_t or ps_plugin_t; anything else that breaks a built plugin bumps the major.
 */
#define PS_ABI_MAJOR 1
#define PS_ABI_MINOR 3

#endif
