#include "config.h"

#include "ledger/merge_order.h"

static int merged_already(const ps__merge_step_t *steps, size_t made, size_t part)
{
    for (size_t i = 0; i < made; i++)
        if (steps[i].from == part)
            return 1;
    return 0;
}

void ps__merge_order(const size_t *bytes, size_t n, ps__merge_step_t *steps)
{
    if (n < 2)
        return;
    size_t made = 0;
    /* from the last: `held` is part k's bytes with the parts merged into it */
    size_t held = bytes[n - 1];
    for (size_t k = n - 1; k > 0; k--) {
        if (held < bytes[k - 1]) {
            steps[made++] = (ps__merge_step_t){ k, k - 1 };
            held += bytes[k - 1];
        } else {
            held = bytes[k - 1];
        }
    }
    for (size_t k = 1; k < n; k++)
        if (!merged_already(steps, made, k))
            steps[made++] = (ps__merge_step_t){ k, 0 };
}
