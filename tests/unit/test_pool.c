/* Unit tests of core/cube/pool.h: blocks by class, reuse, adoption, clearing. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cube/pool.h"

#define FIRST 64 /* four months of the cube */
#define STEP 192 /* a year */

/* Blocks of every class are distinct, hold their full size, and keep what
   was written in them while others are handed out. */
static void blocks_do_not_overlap(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    enum { N = 4000 };
    static unsigned char *block[N];
    for (size_t i = 0; i < N; i++) {
        unsigned k = (unsigned)(i % 6);
        block[i] = ps__pool_alloc(&pool, k);
        assert_non_null(block[i]);
        assert_int_equal((uintptr_t)block[i] % 16, 0);
        memset(block[i], (int)(i & 0xFF), ps__pool_class_size(&pool, k));
    }
    for (size_t i = 0; i < N; i++) {
        size_t size = ps__pool_class_size(&pool, (unsigned)(i % 6));
        for (size_t b = 0; b < size; b++)
            if (block[i][b] != (unsigned char)(i & 0xFF))
                fail_msg("block %zu byte %zu overwritten", i, b);
    }
    ps__pool_clear(&pool);
}

/* Class 0 holds `first` bytes, and each class after it doubles `step`:
   blocks taken one after the other lie back to back, each its size. */
static void classes_grow_from_first_by_step(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    assert_int_equal(ps__pool_class_size(&pool, 0), 64);
    assert_int_equal(ps__pool_class_size(&pool, 1), 192);
    assert_int_equal(ps__pool_class_size(&pool, 2), 384);
    assert_int_equal(ps__pool_class_size(&pool, 3), 768);
    char *a = ps__pool_alloc(&pool, 0), *b = ps__pool_alloc(&pool, 1);
    char *c = ps__pool_alloc(&pool, 3), *d = ps__pool_alloc(&pool, 0);
    assert_ptr_equal(b, a + 64);
    assert_ptr_equal(c, b + 192);
    assert_ptr_equal(d, c + 768);
    ps__pool_clear(&pool);
}

/* Blocks given back apart from each other come back by class, each the
   next one of its class and only of its class. */
static void released_blocks_are_reused_by_class(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    char *a = ps__pool_alloc(&pool, 1), *gap = ps__pool_alloc(&pool, 0);
    char *b = ps__pool_alloc(&pool, 1);
    assert_ptr_equal(b, gap + FIRST);
    ps__pool_release(&pool, a, 1);
    ps__pool_release(&pool, b, 1); /* not right after a */
    char *other = ps__pool_alloc(&pool, 2); /* 384 bytes: neither fits */
    assert_true(other >= b + STEP);
    assert_ptr_equal(ps__pool_alloc(&pool, 1), a);
    assert_ptr_equal(ps__pool_alloc(&pool, 1), b);
    assert_ptr_equal(ps__pool_alloc(&pool, 1), other + 2 * STEP); /* fresh */
    ps__pool_clear(&pool);
}

/* Blocks given back side by side make a run, cut into blocks of any
   class; what is left of it serves the next. */
static void blocks_given_back_side_by_side_serve_any_class(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    char *a[4];
    for (size_t i = 0; i < 4; i++)
        a[i] = ps__pool_alloc(&pool, 0);
    char *fresh = ps__pool_alloc(&pool, 0);
    for (size_t i = 0; i < 4; i++)
        ps__pool_release(&pool, a[i], 0); /* 256 bytes from a[0] */
    assert_ptr_equal(ps__pool_alloc(&pool, 1), a[0]);        /* 192 of them */
    assert_ptr_equal(ps__pool_alloc(&pool, 0), a[3]);        /* the last 64 */
    assert_ptr_equal(ps__pool_alloc(&pool, 0), fresh + FIRST); /* none left */
    ps__pool_clear(&pool);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(unsigned char *const *)a, y = (uintptr_t)*(unsigned char *const *)b;
    return (x > y) - (x < y);
}

/* A ledger in month order: every series takes four months, then each in
   turn grows to a year, its block of four given back. A third of the
   years are cut from the given-back blocks, across the pool's chunks, and
   every block keeps its contents. */
static void growth_in_order_reuses_the_blocks_it_leaves(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    enum { N = 30000 }; /* 1.9 MB of four months: several chunks */
    static unsigned char *block[N], *fours[N];
    for (size_t i = 0; i < N; i++) {
        block[i] = fours[i] = ps__pool_alloc(&pool, 0);
        memset(block[i], (int)(i & 0xFF), FIRST);
    }
    qsort(fours, N, sizeof *fours, by_address);
    size_t reused = 0;
    for (size_t i = 0; i < N; i++) {
        unsigned char *year = ps__pool_alloc(&pool, 1);
        memcpy(year, block[i], FIRST);
        memset(year + FIRST, (int)(i & 0xFF), STEP - FIRST);
        ps__pool_release(&pool, block[i], 0);
        block[i] = year;
        reused += bsearch(&year, fours, N, sizeof *fours, by_address) != NULL;
    }
    for (size_t i = 0; i < N; i++)
        for (size_t b = 0; b < STEP; b++)
            if (block[i][b] != (unsigned char)(i & 0xFF))
                fail_msg("block %zu byte %zu overwritten", i, b);
    /* every third, less one where a chunk ends */
    assert_in_range(reused, N / 3 - 8, N / 3);
    ps__pool_clear(&pool);
}

/* A block larger than the chunks to come gets a chunk of its own. */
static void a_large_block_fits(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, FIRST, STEP);
    unsigned k = 20; /* 96 MiB: more than the largest chunk */
    size_t size = ps__pool_class_size(&pool, k);
    unsigned char *big = ps__pool_alloc(&pool, k);
    assert_non_null(big);
    big[0] = 1;
    big[size - 1] = 2;
    unsigned char *small = ps__pool_alloc(&pool, 0);
    assert_non_null(small);
    assert_true(small + FIRST <= big || small >= big + size);
    ps__pool_clear(&pool);
}

/* Adopted blocks stay valid after their first pool is gone, and are freed
   with their new pool (the leak checkers see it). */
static void adopted_blocks_outlive_their_pool(void **state)
{
    (void)state;
    ps__pool_t into, from;
    ps__pool_init(&into, FIRST, STEP);
    ps__pool_init(&from, FIRST, STEP);
    char *mine = ps__pool_alloc(&into, 0);
    char *theirs[300];
    for (size_t i = 0; i < 300; i++) { /* several chunks */
        theirs[i] = ps__pool_alloc(&from, 5);
        memset(theirs[i], 'x', ps__pool_class_size(&from, 5));
    }
    strcpy(mine, "into");
    ps__pool_adopt(&into, &from);
    ps__pool_clear(&from); /* empty now: frees nothing of theirs */
    for (size_t i = 0; i < 300; i++)
        assert_int_equal(theirs[i][ps__pool_class_size(&into, 5) - 1], 'x');
    assert_string_equal(mine, "into");
    char *next = ps__pool_alloc(&into, 0); /* into's own chunk goes on */
    assert_ptr_equal(next, mine + FIRST);
    ps__pool_clear(&into);
}

/* Adopting into an empty pool takes the other's unused room too. */
static void adopting_into_an_empty_pool(void **state)
{
    (void)state;
    ps__pool_t into, from;
    ps__pool_init(&into, FIRST, STEP);
    ps__pool_init(&from, FIRST, STEP);
    char *first = ps__pool_alloc(&from, 0);
    ps__pool_adopt(&into, &from);
    assert_ptr_equal(ps__pool_alloc(&into, 0), first + FIRST);
    assert_null(from.chunks);
    ps__pool_clear(&into);
    ps__pool_clear(&from);
}

/* Bytes come back to back across chunks, each run intact, and one larger
   than a chunk gets a chunk of its own. */
static void bytes_keep_their_contents(void **state)
{
    (void)state;
    ps__pool_t pool;
    ps__pool_init(&pool, 16, 16);
    enum { N = 50000 };
    static unsigned char *run[N];
    for (size_t i = 0; i < N; i++) { /* 1 to 97 bytes: about 2.4 MB */
        run[i] = ps__pool_bytes(&pool, 1 + i % 97);
        assert_non_null(run[i]);
        memset(run[i], (int)(i & 0xFF), 1 + i % 97);
    }
    unsigned char *big = ps__pool_bytes(&pool, (size_t)20 << 20);
    assert_non_null(big);
    memset(big, 0xAB, (size_t)20 << 20);
    for (size_t i = 0; i < N; i++)
        for (size_t b = 0; b < 1 + i % 97; b++)
            if (run[i][b] != (unsigned char)(i & 0xFF))
                fail_msg("run %zu byte %zu overwritten", i, b);
    assert_ptr_equal(run[1], run[0] + 1); /* back to back within a chunk */
    ps__pool_clear(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_do_not_overlap),
        cmocka_unit_test(classes_grow_from_first_by_step),
        cmocka_unit_test(released_blocks_are_reused_by_class),
        cmocka_unit_test(blocks_given_back_side_by_side_serve_any_class),
        cmocka_unit_test(growth_in_order_reuses_the_blocks_it_leaves),
        cmocka_unit_test(a_large_block_fits),
        cmocka_unit_test(adopted_blocks_outlive_their_pool),
        cmocka_unit_test(adopting_into_an_empty_pool),
        cmocka_unit_test(bytes_keep_their_contents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
