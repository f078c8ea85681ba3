/* Text for the PS_E codes of <parkstat/error.h>. */
#ifndef PS_ERRORS_H
#define PS_ERRORS_H

/* "out of memory"; "unknown error" for a code outside the list. */
const char *ps_strerror(int code);
/* "PS_ENOMEM"; "PS_E?" for a code outside the list. */
const char *ps_err_name(int code);

#endif
