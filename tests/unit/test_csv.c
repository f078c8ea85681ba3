/* Unit tests of core/ledger/csv.h: the streaming RFC 4180 reader. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include <parkstat/error.h>

#include "ledger/csv_impl.h"
#include "base/mapfile.h"
#include "testutil.h"

#define NAME "t.csv"

/*
 * Reads every record of c and writes them as "LINE:field|field\n" into
 * dump[size] (truncated if need be); returns what the last ps__csv_next
 * returned (0 at a clean end) and copies its message into error[size].
 */
static int dump_into(ps__csv_t *c, char *dump, char *error, size_t size)
{
    assert_non_null(c);
    ps__buf_t b = PS_BUF_INIT;
    const ps__csv_field_t *fields;
    size_t n;
    unsigned long line;
    int rc;
    while ((rc = ps__csv_next(c, &fields, &n, &line)) > 0) {
        ps__buf_printf(&b, "%lu:", line);
        for (size_t i = 0; i < n; i++) {
            if (i)
                ps__buf_puts(&b, "|");
            ps__buf_append(&b, fields[i].p, fields[i].len);
        }
        ps__buf_puts(&b, "\n");
    }
    snprintf(error, size, "%s", rc < 0 ? ps__csv_error(c) : "");
    snprintf(dump, size, "%s", ps__buf_str(&b));
    ps__buf_free(&b);
    return rc;
}

/* The same, and frees c: a failed assertion after it leaks nothing. */
static int dump_csv(ps__csv_t *c, char *dump, char *error, size_t size)
{
    int rc = dump_into(c, dump, error, size);
    ps__csv_free(c);
    return rc;
}

static int dump_records(int fd, char *dump, char *error, size_t size)
{
    return dump_csv(ps__csv_new(fd, NAME), dump, error, size);
}

/* The memory reader's contract: a writable copy followed by a NUL. */
static char *writable_copy(const char *data, size_t len)
{
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, data, len);
    copy[len] = '\0';
    return copy;
}

/*
 * Hands data to the reader `chunk` bytes per read(2), whatever the reader
 * asks for: a SOCK_SEQPACKET socket returns one message per read, and a
 * child process writes the messages. Returns the reading end.
 */
static int chunked_fd(const char *data, size_t len, size_t chunk, pid_t *child)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
        tu_die("socketpair");
    *child = fork();
    if (*child < 0)
        tu_die("fork");
    if (*child == 0) {
        signal(SIGPIPE, SIG_IGN);
        close(sv[0]);
        for (size_t off = 0; off < len; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            if (write(sv[1], data + off, n) != (ssize_t)n)
                _exit(1);
        }
        _exit(0);
    }
    close(sv[1]);
    return sv[0];
}

static void finish_chunked(int fd, pid_t child)
{
    int status;
    close(fd); /* a writer still blocked gets EPIPE and leaves */
    waitpid(child, &status, 0);
}

/* ---- records as they should come out -------------------------------------- */

typedef struct csv_case {
    const char *what;
    const char *data;
    size_t len;      /* 0: strlen(data) */
    const char *dump;
} csv_case_t;

static const csv_case_t good_cases[] = {
    { "plain records", "a,b,c\n1,2,3\n", 0, "1:a|b|c\n2:1|2|3\n" },
    { "empty fields", "a,,\n,\n", 0, "1:a||\n2:|\n" },
    { "quoted fields with \"\" escapes", "\"say \"\"hi\"\"\",\"\"\"\",\"\"\n", 0,
      "1:say \"hi\"|\"|\n" },
    { "commas and line breaks inside quotes keep physical line numbers",
      "a,\"x,y\nz\",b\nnext,\"1\n\n2\",3\nlast,4,5\n", 0,
      "1:a|x,y\nz|b\n3:next|1\n\n2|3\n6:last|4|5\n" },
    { "CRLF line ends", "a,b\r\nc,\"d\r\ne\"\r\n", 0, "1:a|b\n2:c|d\r\ne\n" },
    { "a BOM only at the start is stripped", "a\n\xEF\xBB\xBF" "b\n", 0,
      "1:a\n2:\xEF\xBB\xBF" "b\n" },
    { "blank lines skipped", "\n\na\n\n\r\nb\n\n", 0, "3:a\n6:b\n" },
    { "last record without a newline", "a,b\nc,d", 0, "1:a|b\n2:c|d\n" },
    { "last record ends in CR without LF", "a,b\r", 0, "1:a|b\n" },
    { "quoted last record without a newline", "a,\"b\nc\"", 0, "1:a|b\nc\n" },
    { "UTF-8 text", "指标,值\n税收,\"26,362\"\n", 0, "1:指标|值\n2:税收|26,362\n" },
    { "empty input", "", 0, "" },
};

/* Files as spreadsheets save them "UTF-8 with BOM". */
static const csv_case_t bom_cases[] = {
    { "UTF-8 byte-order mark stripped", "\xEF\xBB\xBFperiod,value\n2023-10,1\n", 0,
      "1:period|value\n2:2023-10|1\n" },
    { "quoted header after a BOM", "\xEF\xBB\xBF\"period\",value\n", 0, "1:period|value\n" },
    { "only a BOM and blank lines", "\xEF\xBB\xBF\n\r\n", 0, "" },
};

#define IN_MEMORY SIZE_MAX /* a `chunk` that reads through ps__csv_new_mem */

/* Reads data[0..len) from a file, or in `chunk`-byte reads from a socket,
   or from memory, and dumps its records and its error. */
static int read_case(const char *what, const char *data, size_t len, size_t chunk,
                     char *dump, char *error, size_t size)
{
    if (chunk == IN_MEMORY) {
        print_message("case: %s (memory)\n", what);
        char *copy = writable_copy(data, len);
        int rc = dump_csv(ps__csv_new_mem(copy, len, NAME), dump, error, size);
        free(copy);
        return rc;
    }
    pid_t child = 0;
    int fd = chunk ? chunked_fd(data, len, chunk, &child) : tu_fd_with(data, len);
    print_message("case: %s (%s)\n", what, chunk ? "one byte per read" : "file");
    int rc = dump_records(fd, dump, error, size);
    if (chunk)
        finish_chunked(fd, child);
    else
        close(fd);
    return rc;
}

static void run_good_case(const csv_case_t *c, size_t chunk)
{
    char dump[8192], error[8192];
    int rc = read_case(c->what, c->data, c->len ? c->len : strlen(c->data), chunk,
                       dump, error, sizeof error);
    assert_string_equal(error, "");
    assert_int_equal(rc, 0);
    assert_string_equal(dump, c->dump);
}

static void records_from_a_file(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++)
        run_good_case(&good_cases[i], 0);
}

/* The same records when every read(2) returns a single byte, as a pipe may:
   no record, quote, CRLF or byte-order mark depends on where reads end. */
static void records_one_byte_per_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++)
        run_good_case(&good_cases[i], 1);
}

static void bom_stripped(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bom_cases / sizeof bom_cases[0]; i++)
        run_good_case(&bom_cases[i], 0);
}

/* The reader takes any descriptor (a pipe, standard input): the byte-order
   mark is stripped however few bytes the first read returns. */
static void bom_stripped_one_byte_per_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bom_cases / sizeof bom_cases[0]; i++)
        run_good_case(&bom_cases[i], 1);
}

/* Fields are valid until the next call, and each call gives its own count. */
static void fields_per_record(void **state)
{
    (void)state;
    int fd = tu_fd_with_text("period,indicator,value,unit\n2023-10,tax,\"1,234.5\",万元\nx\n");
    ps__csv_t *c = ps__csv_new(fd, NAME);
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line;
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(n, 4);
    assert_int_equal(line, 1);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(n, 4);
    assert_int_equal(line, 2);
    assert_int_equal(f[2].len, 7);
    assert_memory_equal(f[2].p, "1,234.5", 7);
    assert_int_equal(f[3].len, strlen("万元"));
    assert_memory_equal(f[3].p, "万元", f[3].len);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(n, 1);
    assert_int_equal(line, 3);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 0);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 0); /* and stays at the end */
    ps__csv_free(c);
    close(fd);
}

/* ---- records across read boundaries --------------------------------------- */

/* Record i of the big file: its fields tell its number, so a lost, doubled
   or torn record shows. Every seventh holds a quoted line break and "". */
static void big_record(ps__buf_t *b, unsigned i)
{
    if (i % 7 == 3)
        ps__buf_printf(b, "%u,\"quoted \"\"%u\"\"\nsecond line %0*u\",tail%u\r\n", i, i,
                       (int)(i % 113), i, i);
    else
        ps__buf_printf(b, "%u,plain %0*u,tail%u\n", i, (int)(i % 251), i, i);
}

/*
 * A file of several MiB, far more than the reader's buffer (a 256 KiB read
 * area past the 1 MiB record limit) holds: it takes several reads, records
 * straddle each read's end, and each comes out whole, in order, on its
 * physical line. (The one-byte-per-read cases cover every split position.)
 */
static void records_across_read_boundaries(void **state)
{
    (void)state;
    enum { RECORDS = 40000 };
    ps__buf_t data = PS_BUF_INIT;
    for (unsigned i = 0; i < RECORDS; i++)
        big_record(&data, i);
    assert_true(data.len > 4 * 256 * 1024);
    int fd = tu_fd_with(data.data, data.len);
    ps__buf_free(&data);

    ps__csv_t *c = ps__csv_new(fd, NAME);
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line, expected_line = 1;
    ps__buf_t want = PS_BUF_INIT, got = PS_BUF_INIT;
    for (unsigned i = 0; i < RECORDS; i++) {
        assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
        assert_int_equal(n, 3);
        if (line != expected_line)
            fail_msg("record %u: line %lu, expected %lu", i, line, expected_line);
        ps__buf_reset(&want);
        ps__buf_reset(&got);
        if (i % 7 == 3)
            ps__buf_printf(&want, "%u|quoted \"%u\"\nsecond line %0*u|tail%u", i, i,
                           (int)(i % 113), i, i);
        else
            ps__buf_printf(&want, "%u|plain %0*u|tail%u", i, (int)(i % 251), i, i);
        for (size_t k = 0; k < n; k++) {
            if (k)
                ps__buf_puts(&got, "|");
            ps__buf_append(&got, f[k].p, f[k].len);
        }
        if (strcmp(ps__buf_str(&want), ps__buf_str(&got)) != 0)
            fail_msg("record %u: got \"%s\"", i, ps__buf_str(&got));
        expected_line += i % 7 == 3 ? 2 : 1;
    }
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 0);
    ps__buf_free(&want);
    ps__buf_free(&got);
    ps__csv_free(c);
    close(fd);
}

/* A record close to the limit, quoted over many lines, is still one record. */
static void long_record_under_the_limit(void **state)
{
    (void)state;
    ps__buf_t data = PS_BUF_INIT;
    ps__buf_puts(&data, "head\n\"");
    for (int i = 0; i < 9000; i++)
        ps__buf_puts(&data, "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345\n");
    ps__buf_puts(&data, "\",x\nafter\n");
    assert_true(data.len < PS_CSV_MAX_RECORD);
    int fd = tu_fd_with(data.data, data.len);
    ps__buf_free(&data);
    ps__csv_t *c = ps__csv_new(fd, NAME);
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line;
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(line, 2);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].len, 9000 * 107);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(line, 9003);
    assert_memory_equal(f[0].p, "after", 5);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 0);
    ps__csv_free(c);
    close(fd);
}

/* ---- errors, each with its exact message ---------------------------------- */

typedef struct bad_case {
    const char *what;
    const char *data;
    size_t len;          /* 0: strlen(data) */
    int rc;
    const char *records; /* the records read before the error */
    const char *error;
} bad_case_t;

#define WITH_NUL(s) s, sizeof s - 1

static const bad_case_t bad_cases[] = {
    { "unterminated quoted field", "a,b\n\"abc,d\nmore\n", 0, PS_EPARSE, "1:a|b\n",
      NAME ":2: unterminated quoted field" },
    { "unterminated quoted field at the very end", "a,\"b", 0, PS_EPARSE, "",
      NAME ":1: unterminated quoted field" },
    { "NUL byte", WITH_NUL("a,b\nc\0d,e\n"), PS_EPARSE, "1:a|b\n",
      NAME ":2: NUL byte in the data (is this a binary or UTF-16 file?)" },
    { "NUL byte on the third line of a quoted record", WITH_NUL("h\n\"a\nb\n\0\"\n"),
      PS_EPARSE, "1:h\n", NAME ":4: NUL byte in the data (is this a binary or UTF-16 file?)" },
    { "UTF-16 file", WITH_NUL("\xFF\xFEp\0e\0r\0\n\0"), PS_EPARSE, "",
      NAME ":1: NUL byte in the data (is this a binary or UTF-16 file?)" },
    { "text after closing quote", "x\n\"ab\"c,d\n", 0, PS_EPARSE, "1:x\n",
      NAME ":2: unexpected text after a closing quote" },
    { "space after closing quote", "\"ab\" ,d\n", 0, PS_EPARSE, "",
      NAME ":1: unexpected text after a closing quote" },
    { "quote inside an unquoted field", "x\ny\nab\"c\",d\n", 0, PS_EPARSE, "1:x\n2:y\n",
      NAME ":3: quote inside an unquoted field (quote the whole field)" },
    { "error line after a multi-line record", "\"a\nb\",1\nc\"d\"\n", 0, PS_EPARSE,
      "1:a\nb|1\n", NAME ":3: quote inside an unquoted field (quote the whole field)" },
    { "carriage return without a line feed", "a\rb,c\n", 0, PS_EPARSE, "",
      NAME ":1: carriage return without a line feed" },
};

static void run_bad_case(const bad_case_t *c, size_t chunk)
{
    char dump[8192], error[8192];
    int rc = read_case(c->what, c->data, c->len ? c->len : strlen(c->data), chunk,
                       dump, error, sizeof error);
    assert_int_equal(rc, c->rc);
    assert_string_equal(error, c->error);
    assert_string_equal(dump, c->records);
}

static void errors_from_a_file(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        run_bad_case(&bad_cases[i], 0);
}

static void errors_one_byte_per_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        run_bad_case(&bad_cases[i], 1);
}

/*
 * One stray quote in an unquoted field (12"5 for 12.5) is the error the
 * reader names for it, on its line: a quote opens a quoted field only at the
 * start of a field, so it must not swallow the rest of the file as one
 * "unterminated quoted field".
 */
static void single_stray_quote_in_unquoted_field(void **state)
{
    (void)state;
    static const bad_case_t c = {
        "a single stray quote inside an unquoted field",
        "period,value\n2023-10,12\"5\n2023-11,13\n", 0, PS_EPARSE, "1:period|value\n",
        NAME ":2: quote inside an unquoted field (quote the whole field)"
    };
    run_bad_case(&c, 0);
}

/* One record of `size` bytes (an unquoted field) after a header line. */
static int fd_with_long_record(size_t size)
{
    ps__buf_t data = PS_BUF_INIT;
    ps__buf_puts(&data, "head\n");
    char *record = malloc(size);
    assert_non_null(record);
    memset(record, 'x', size);
    ps__buf_append(&data, record, size);
    free(record);
    ps__buf_puts(&data, "\nafter\n");
    int fd = tu_fd_with(data.data, data.len);
    ps__buf_free(&data);
    return fd;
}

static void expect_record_too_long(size_t size)
{
    int fd = fd_with_long_record(size);
    char dump[8192], error[8192];
    print_message("record of %zu bytes\n", size);
    int rc = dump_records(fd, dump, error, sizeof error);
    close(fd);
    assert_int_equal(rc, PS_ERANGE);
    assert_string_equal(error, NAME ":2: record longer than 1 MiB");
    assert_string_equal(dump, "1:head\n");
}

/* A record of several MiB is refused without reading it all. */
static void record_far_longer_than_1_mib(void **state)
{
    (void)state;
    expect_record_too_long(3 * PS_CSV_MAX_RECORD);
}

/* "A record may not exceed PS_CSV_MAX_RECORD bytes": one byte more is refused
   too, wherever the reads happen to end. */
static void record_just_longer_than_1_mib(void **state)
{
    (void)state;
    expect_record_too_long(PS_CSV_MAX_RECORD + 1);
}

static void record_of_exactly_1_mib_is_accepted(void **state)
{
    (void)state;
    int fd = fd_with_long_record(PS_CSV_MAX_RECORD);
    ps__csv_t *c = ps__csv_new(fd, NAME);
    const ps__csv_field_t *f;
    size_t n;
    unsigned long line;
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    int rc = ps__csv_next(c, &f, &n, &line);
    if (rc < 0)
        fail_msg("%s", ps__csv_error(c));
    assert_int_equal(rc, 1);
    assert_int_equal(f[0].len, PS_CSV_MAX_RECORD);
    assert_int_equal(ps__csv_next(c, &f, &n, &line), 1);
    assert_int_equal(line, 3);
    ps__csv_free(c);
    close(fd);
}

static void read_error_is_reported(void **state)
{
    (void)state;
    tu_dir_t dir;
    tu_dir_make(&dir);
    int fd = open(dir.path, O_RDONLY | O_DIRECTORY); /* read(2) fails: EISDIR */
    assert_true(fd >= 0);
    char dump[8192], error[8192];
    int rc = dump_records(fd, dump, error, sizeof error);
    close(fd);
    tu_dir_remove(&dir);
    assert_int_equal(rc, PS_EIO);
    assert_string_equal(error, NAME ":1: Is a directory");
}

/* ---- the memory reader and its restriction ------------------------------- */

/* The mapped-file reader gives the records and errors the streaming one
   gives, "" escapes undone in place. */
static void records_and_errors_from_memory(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++)
        run_good_case(&good_cases[i], IN_MEMORY);
    for (size_t i = 0; i < sizeof bom_cases / sizeof bom_cases[0]; i++)
        run_good_case(&bom_cases[i], IN_MEMORY);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        run_bad_case(&bad_cases[i], IN_MEMORY);
}

/* Reads the records that start in [from, stop) of text, the first on `line`. */
static int dump_restricted(const char *text, size_t from, size_t stop, unsigned long line,
                           char *dump, char *error, size_t size, size_t *end,
                           unsigned long *end_line)
{
    char *copy = writable_copy(text, strlen(text));
    ps__csv_t *c = ps__csv_new_mem(copy, strlen(text), NAME);
    assert_non_null(c);
    ps__csv_restrict(c, from, stop, line);
    const ps__csv_field_t *fields;
    size_t n;
    unsigned long at;
    while (ps__csv_next(c, &fields, &n, &at) > 0)
        ;
    *end = ps__csv_offset(c);
    *end_line = ps__csv_line(c);
    ps__csv_free(c);
    free(copy); /* escapes were undone in it: read a fresh copy again */
    copy = writable_copy(text, strlen(text));
    c = ps__csv_new_mem(copy, strlen(text), NAME);
    ps__csv_restrict(c, from, stop, line);
    int rc = dump_csv(c, dump, error, size);
    free(copy);
    return rc;
}

typedef struct restrict_case {
    const char *what, *text;
    size_t from, stop;
    unsigned long line;
    const char *dump;
    size_t end;             /* offset of the first record not read */
    unsigned long end_line; /* and its line */
} restrict_case_t;

static const restrict_case_t restrict_cases[] = {
    { "records starting before stop", "a\nb\nc\nd\n", 2, 6, 2, "2:b\n3:c\n", 6, 4 },
    { "a record straddling stop is read whole, its line breaks counted",
      "a\n\"b\nc\nd\",1\ne\n", 2, 5, 2, "2:b\nc\nd|1\n", 12, 5 },
    { "the last part reads to the end, without a final line break", "h\nx,\"\"\"y\"",
      2, SIZE_MAX, 7, "7:x|\"y\n", 9, 8 },
    { "a byte-order mark is only looked for at offset 0", "h\n\xEF\xBB\xBFz\n", 2,
      SIZE_MAX, 2, "2:\xEF\xBB\xBFz\n", 7, 3 },
    { "stop at from reads nothing", "a\nb\n", 2, 2, 2, "", 2, 2 },
};

static void restricted_reads(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof restrict_cases / sizeof restrict_cases[0]; i++) {
        const restrict_case_t *c = &restrict_cases[i];
        char dump[1024], error[1024];
        size_t end;
        unsigned long end_line;
        print_message("case: %s\n", c->what);
        int rc = dump_restricted(c->text, c->from, c->stop, c->line, dump, error,
                                 sizeof dump, &end, &end_line);
        assert_int_equal(rc, 0);
        assert_string_equal(error, "");
        assert_string_equal(dump, c->dump);
        assert_int_equal(end, c->end);
        assert_int_equal(end_line, c->end_line);
    }
}

/* Errors in a part carry the line the part was told it starts on. */
static void restricted_error_lines(void **state)
{
    (void)state;
    char dump[1024], error[1024];
    size_t end;
    unsigned long end_line;
    int rc = dump_restricted("h\nok\n\"a\nb\"x\n", 2, SIZE_MAX, 10, dump, error,
                             sizeof dump, &end, &end_line);
    assert_int_equal(rc, PS_EPARSE);
    assert_string_equal(dump, "10:ok\n");
    assert_string_equal(error, NAME ":11: unexpected text after a closing quote");
}

/* ---- the mapped file -------------------------------------------------------- */

static void mapfile_maps_with_a_sentinel(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t sizes[] = { 1, 100, page - 1, page, 3 * page };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *data = malloc(sizes[i]);
        assert_non_null(data);
        memset(data, 'x', sizes[i]);
        int fd = tu_fd_with(data, sizes[i]);
        ps__mapfile_t m;
        assert_int_equal(ps__mapfile_open(&m, fd), 1);
        assert_int_equal(m.len, sizes[i]);
        assert_memory_equal(m.data, data, sizes[i]);
        assert_int_equal(m.data[m.len], '\0');
        m.data[0] = 'y'; /* private: the file keeps its byte */
        char first;
        assert_int_equal(pread(fd, &first, 1, 0), 1);
        assert_int_equal(first, 'x');
        ps__mapfile_close(&m);
        assert_null(m.data);
        close(fd);
        free(data);
    }
}

static void mapfile_declines_what_it_cannot_map(void **state)
{
    (void)state;
    ps__mapfile_t m;
    int fd = tu_fd_with("", 0);
    assert_int_equal(ps__mapfile_open(&m, fd), 0);
    close(fd);
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(ps__mapfile_open(&m, p[0]), 0);
    close(p[0]);
    close(p[1]);
    ps__mapfile_close(&m); /* closing what was never mapped is harmless */
}

/* Released pages are whole pages, a lag behind the reader, never ahead of
   it, and go back in steps. */
static void mapfile_release_goes_by_whole_pages(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t lag = PS_MAPFILE_RELEASE_LAG, step = PS_MAPFILE_RELEASE_STEP;
    size_t len = lag + step + 4 * page;
    char *data = malloc(len);
    assert_non_null(data);
    memset(data, 'z', len);
    int fd = tu_fd_with(data, len);
    ps__mapfile_t m;
    assert_int_equal(ps__mapfile_open(&m, fd), 1);
    ps__mapfile_release(&m, lag - 1);
    assert_int_equal(m.released, 0);
    ps__mapfile_release(&m, lag + step - 1); /* less than a step */
    assert_int_equal(m.released, 0);
    ps__mapfile_release(&m, lag + step + page + 5);
    assert_int_equal(m.released, step + page);
    ps__mapfile_release(&m, lag + page); /* never backwards */
    assert_int_equal(m.released, step + page);
    assert_memory_equal(m.data + step + page, data, len - step - page);
    assert_int_equal(m.data[0], 'z'); /* a released page reads back from the file */
    ps__mapfile_close(&m);
    close(fd);
    free(data);
}

/* ---- the fast path against the parser ----------------------------------- */

/* Reads `len` bytes of text in memory, with the fast path on or off;
   returns the dump as dump_csv, and how many records took the fast path. */
static int dump_in_memory(const char *text, size_t len, int fast, char *dump,
                          char *error, size_t size, unsigned long *fast_records)
{
    char *copy = writable_copy(text, len);
    ps__csv_t *c = ps__csv_new_mem(copy, len, NAME);
    assert_non_null(c);
    c->fast = fast;
    int rc = dump_into(c, dump, error, size);
    *fast_records = c->fast_records;
    ps__csv_free(c);
    free(copy);
    return rc;
}

/* Pieces of records: the common ones the fast path takes, and every kind
   it must leave to the parser (escaped quotes, line breaks and carriage
   returns in quotes, stray quotes and carriage returns, NULs, blank lines,
   an unterminated quote). */
static const char *const fast_fields[] = {
    "2023-10", "fai", "", "12.5", "\"三木光伏科技,扩建项目00001\"", "\"1,234.5\"",
    "\"\"", "中文字段", "\"esc\"\"aped\"", "\"two\nlines\"", "\"cr\rinside\"",
    "a\"b", "\"ab\"c", "x\ry", "nul\0x", "\"unterminated",
};
static const char *const fast_ends[] = { "\n", "\r\n", "\n\n", "\r\n\r\n", "\r" };

/* A random document of records: mostly common fields, now and then an odd
   one, so that a document has long runs for the fast path and the odd
   record among them. Returns its length. */
static size_t random_document(uint64_t *seed, char *out, size_t cap)
{
    size_t len = 0;
    int records = 3 + (int)(*seed >> 59);
    for (int r = 0; r < records; r++) {
        int nfields = 1 + (int)((*seed >> 40) % 8);
        for (int f = 0; f < nfields; f++) {
            *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t k = (*seed >> 33) % 64;
            k = k < 56 ? k % 8 : 8 + k % 8; /* one field in eight is odd */
            const char *piece = fast_fields[k];
            size_t plen = k == 14 ? 5 : strlen(piece); /* "nul\0x" */
            if (len + plen + 8 > cap)
                return len;
            if (f)
                out[len++] = ',';
            memcpy(out + len, piece, plen);
            len += plen;
        }
        const char *end = fast_ends[(*seed >> 20) % 16 < 12 ? (*seed >> 20) % 2
                                                              : 2 + (*seed >> 24) % 3];
        memcpy(out + len, end, strlen(end));
        len += strlen(end);
    }
    return len;
}

/* Thousands of random documents read both ways: the same records, the
   same fields, the same lines and the same first error, to the byte. */
static void fast_path_reads_as_the_parser(void **state)
{
    (void)state;
    static char doc[4096], slow_dump[16384], fast_dump[16384];
    char slow_error[512], fast_error[512];
    uint64_t seed = 42;
    unsigned long fast_total = 0, total = 0, unused;
    for (int i = 0; i < 5000; i++) {
        size_t len = random_document(&seed, doc, sizeof doc);
        int slow_rc = dump_in_memory(doc, len, 0, slow_dump, slow_error,
                                     sizeof slow_dump, &unused);
        unsigned long fast_records;
        int fast_rc = dump_in_memory(doc, len, 1, fast_dump, fast_error,
                                     sizeof fast_dump, &fast_records);
        if (slow_rc != fast_rc || strcmp(slow_dump, fast_dump) != 0 ||
            strcmp(slow_error, fast_error) != 0)
            fail_msg("document %d differs:\n%.*s\nparser (%d, %s):\n%s\nfast path "
                     "(%d, %s):\n%s", i, (int)len, doc, slow_rc, slow_error, slow_dump,
                     fast_rc, fast_error, fast_dump);
        fast_total += fast_records;
        for (const char *p = slow_dump; (p = strchr(p, '\n')); p++)
            total++;
    }
    /* not a vacuous comparison: the fast path took many of the records */
    print_message("fast path: %lu of %lu records\n", fast_total, total);
    assert_true(fast_total * 4 > total);
}

/* A clean ledger goes through the fast path, all but its tail (the last
   64 bytes, which it does not read past) and its header. */
static void fast_path_takes_common_records(void **state)
{
    (void)state;
    static char doc[8192], dump[32768];
    char error[512];
    size_t len = 0;
    for (int r = 0; r < 100; r++)
        len += (size_t)snprintf(doc + len, sizeof doc - len,
                                "2023-%02d,\"企业,%03d\",fai,\"1,234.5\",万元,国税\r\n",
                                r % 12 + 1, r);
    unsigned long fast_records;
    assert_int_equal(dump_in_memory(doc, len, 1, dump, error, sizeof dump,
                                    &fast_records), 0);
    assert_true(fast_records >= 98);
    assert_non_null(strstr(dump, "100:2023-04|企业,099|fai|1,234.5|万元|国税\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_from_a_file),
        cmocka_unit_test(records_one_byte_per_read),
        cmocka_unit_test(bom_stripped),
        cmocka_unit_test(bom_stripped_one_byte_per_read),
        cmocka_unit_test(fields_per_record),
        cmocka_unit_test(records_across_read_boundaries),
        cmocka_unit_test(long_record_under_the_limit),
        cmocka_unit_test(errors_from_a_file),
        cmocka_unit_test(errors_one_byte_per_read),
        cmocka_unit_test(single_stray_quote_in_unquoted_field),
        cmocka_unit_test(record_far_longer_than_1_mib),
        cmocka_unit_test(record_just_longer_than_1_mib),
        cmocka_unit_test(record_of_exactly_1_mib_is_accepted),
        cmocka_unit_test(read_error_is_reported),
        cmocka_unit_test(records_and_errors_from_memory),
        cmocka_unit_test(restricted_reads),
        cmocka_unit_test(restricted_error_lines),
        cmocka_unit_test(mapfile_maps_with_a_sentinel),
        cmocka_unit_test(mapfile_declines_what_it_cannot_map),
        cmocka_unit_test(mapfile_release_goes_by_whole_pages),
        cmocka_unit_test(fast_path_reads_as_the_parser),
        cmocka_unit_test(fast_path_takes_common_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
