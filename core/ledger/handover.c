#include "config.h"

#include "ledger/handover.h"

#include <sched.h>

enum { READING, ASKED, FINISHED };   /* state: changed by compare-and-swap */
enum { NO_ANSWER, HANDED, REFUSED }; /* answer: written by the reader only */

void ps__handover_init(ps__handover_t *h, size_t from, size_t end)
{
    atomic_init(&h->reached, from);
    atomic_init(&h->state, READING);
    atomic_init(&h->answer, NO_ANSWER);
    h->cut = 0;
    h->end = end;
}

int ps__handover_checkpoint(ps__handover_t *h, size_t at, size_t *end)
{
    atomic_store(&h->reached, at);
    if (atomic_load(&h->state) != ASKED || atomic_load(&h->answer) != NO_ANSWER)
        return 0;
    /* the asker wrote cut before its compare-and-swap made the state ASKED */
    if (at >= h->cut || h->cut >= h->end) {
        atomic_store(&h->answer, REFUSED);
        return 0;
    }
    h->end = h->cut;
    *end = h->end;
    atomic_store(&h->answer, HANDED);
    return 1;
}

void ps__handover_finish(ps__handover_t *h)
{
    /* an ask not answered yet is refused: the part is read to its end */
    if (atomic_exchange(&h->state, FINISHED) == ASKED &&
        atomic_load(&h->answer) == NO_ANSWER)
        atomic_store(&h->answer, REFUSED);
}

size_t ps__handover_reached(ps__handover_t *h)
{
    return atomic_load(&h->reached);
}

size_t ps__handover_end(const ps__handover_t *h)
{
    return h->end;
}

int ps__handover_ask(ps__handover_t *h, size_t cut, size_t *rest_end)
{
    size_t end = h->end; /* only the reader moves it, and only when asked */
    int reading = READING;
    h->cut = cut;
    if (!atomic_compare_exchange_strong(&h->state, &reading, ASKED))
        return 0; /* finished */
    int answer;
    while ((answer = atomic_load(&h->answer)) == NO_ANSWER)
        sched_yield(); /* the reader answers within a few thousand records */
    /* back to reading before the answer is cleared, so that the reader
       cannot answer this ask twice; a reader that finished meanwhile
       stays finished */
    int asked = ASKED;
    atomic_compare_exchange_strong(&h->state, &asked, READING);
    atomic_store(&h->answer, NO_ANSWER);
    *rest_end = end;
    return answer == HANDED;
}
