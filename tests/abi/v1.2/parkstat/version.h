/* parkstat SDK version: a frozen copy of ABI 1.2's headers, kept so that a
   test can build a plugin the way a department did against parkstat 0.1.0
   and check that newer cores still load it. Never edit these files. */
#ifndef PARKSTAT_VERSION_H
#define PARKSTAT_VERSION_H

#define PS_PACKAGE_VERSION "0.1.0"
#define PS_ABI_MAJOR 1
#define PS_ABI_MINOR 2

#endif
