/* Unit tests of core/ledger/handover.h: handing the rest of a part to an asker. */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ledger/handover.h"

/* A reader that reaches offsets 0, 1, ... one per checkpoint, until its
   part's end, which an asker may move; where it stopped. */
typedef struct reader {
    ps__handover_t *h;
    size_t end, stopped;
} reader_t;

static void *read_part(void *arg)
{
    reader_t *r = arg;
    size_t at = 0;
    for (; at < r->end; at++) {
        size_t end;
        if (ps__handover_checkpoint(r->h, at, &end))
            r->end = end;
    }
    r->stopped = at;
    ps__handover_finish(r->h);
    return NULL;
}

/* An ask before the reader gets there: the reader stops at the cut, and
   the asker reads from there to the old end. */
static void rest_handed_over_ahead_of_the_reader(void **state)
{
    (void)state;
    ps__handover_t h;
    ps__handover_init(&h, 0, 1000);
    reader_t r = { &h, 1000, 0 };
    size_t end = 0;
    /* the reader's first checkpoint answers, on the asker's thread here */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_part, &r), 0);
    int handed = ps__handover_ask(&h, 600, &end);
    pthread_join(t, NULL);
    if (handed) { /* the usual case: the reader is far from 600 */
        assert_int_equal(end, 1000);
        assert_int_equal(r.stopped, 600);
        assert_int_equal(ps__handover_end(&h), 600);
    } else { /* it read past 600 before it saw the ask */
        assert_int_equal(r.stopped, 1000);
    }
}

/* The answer comes from the reader's next checkpoint: short of the cut it
   hands over, at or past the cut it refuses. */
typedef struct asker {
    ps__handover_t *h;
    size_t cut, end;
    int handed;
} asker_t;

static void *ask(void *arg)
{
    asker_t *a = arg;
    a->handed = ps__handover_ask(a->h, a->cut, &a->end);
    return NULL;
}

static void answer_at_the_next_checkpoint(void **state)
{
    (void)state;
    for (int past = 0; past < 2; past++) {
        ps__handover_t h;
        ps__handover_init(&h, 0, 1000);
        asker_t a = { &h, 500, 0, -1 };
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, ask, &a), 0);
        while (atomic_load(&h.state) == 0) /* until it has asked */
            sched_yield();
        size_t end = 0;
        int moved = ps__handover_checkpoint(&h, past ? 500 : 499, &end);
        pthread_join(t, NULL);
        assert_int_equal(moved, !past);
        assert_int_equal(a.handed, !past);
        if (!past) {
            assert_int_equal(end, 500);
            assert_int_equal(a.end, 1000);
        }
        assert_int_equal(ps__handover_end(&h), past ? 1000 : 500);
    }
}

/* A finished reader refuses at once: the asker does not wait. */
static void finished_reader_refuses(void **state)
{
    (void)state;
    ps__handover_t h;
    ps__handover_init(&h, 0, 1000);
    ps__handover_finish(&h);
    size_t end = 0;
    assert_int_equal(ps__handover_ask(&h, 500, &end), 0);
    assert_int_equal(ps__handover_end(&h), 1000);
}

/* Many asks against a reader on its way: every offset is read exactly
   once, by the reader or by one asker. */
static void every_offset_read_once(void **state)
{
    (void)state;
    enum { END = 2000000 };
    ps__handover_t h;
    ps__handover_init(&h, 0, END);
    reader_t r = { &h, END, 0 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_part, &r), 0);
    size_t covered_from = END, handed = 0;
    for (size_t k = 1; k * 150000 < END; k++) {
        size_t cut = END - k * 150000, end = 0;
        if (ps__handover_ask(&h, cut, &end)) {
            assert_int_equal(end, covered_from); /* the rest up to the last cut */
            covered_from = cut;
            handed++;
        }
    }
    pthread_join(t, NULL);
    assert_int_equal(r.stopped, covered_from); /* the reader read up to the last cut */
    print_message("%zu of the asks handed over\n", handed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rest_handed_over_ahead_of_the_reader),
        cmocka_unit_test(answer_at_the_next_checkpoint),
        cmocka_unit_test(finished_reader_refuses),
        cmocka_unit_test(every_offset_read_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
