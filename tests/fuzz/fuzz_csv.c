/*
 * Fuzzes the CSV reader's fast path (core/ledger/csv_fast.c) against its parser
 * (core/ledger/csv.c): the input is read in memory twice, with the fast path on
 * and off, and the two must give the same records, fields, lines and first
 * error, byte for byte. Any difference aborts.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ledger/csv_impl.h"

/* Every record as "LINE:[field]|[field]\n", then the error, into out. */
static void read_all(const uint8_t *data, size_t size, int fast, ps__buf_t *out)
{
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    ps__csv_t *c = ps__csv_new_mem(copy, size, "fuzz.csv");
    if (!c)
        abort();
    c->fast = fast;
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line;
    int rc;
    while ((rc = ps__csv_next(c, &f, &n, &line)) > 0) {
        ps__buf_printf(out, "%lu:", line);
        for (size_t i = 0; i < n; i++) {
            ps__buf_puts(out, i ? "|[" : "[");
            ps__buf_append(out, f[i].p, f[i].len);
            ps__buf_puts(out, "]");
        }
        ps__buf_puts(out, "\n");
    }
    ps__buf_printf(out, "rc %d %s", rc, rc < 0 ? ps__csv_error(c) : "");
    ps__csv_free(c);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps__buf_t slow = PS_BUF_INIT, fast = PS_BUF_INIT;
    read_all(data, size, 0, &slow);
    read_all(data, size, 1, &fast);
    if (slow.failed || fast.failed)
        abort();
    if (slow.len != fast.len || memcmp(slow.data, fast.data, slow.len) != 0) {
        fprintf(stderr, "fast path differs from the parser\nparser:\n%s\nfast path:\n%s\n",
                ps__buf_str(&slow), ps__buf_str(&fast));
        abort();
    }
    ps__buf_free(&slow);
    ps__buf_free(&fast);
    return 0;
}
