/*
 * String interning: each distinct string gets a small id, so the cube keys
 * rows by integers. Id 0 is always the empty string.
 */
#ifndef PS_INTERN_H
#define PS_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct ps__intern ps__intern_t;

ps__intern_t *ps__intern_new(void);
void ps__intern_free(ps__intern_t *in);

/* The id of s[0..len), added if new. Returns 0 or PS_ENOMEM. */
int ps__intern_id(ps__intern_t *in, const char *s, size_t len, uint32_t *id);
/* Asks for the memory a lookup of s[0..len) will read, so that work done in
   between overlaps its wait: first its slot (returning the hash it is
   found by), then, once that has arrived, its text. */
uint32_t ps__intern_prefetch(const ps__intern_t *in, const char *s, size_t len);
void ps__intern_prefetch_text(const ps__intern_t *in, uint32_t hash);
/* The id of an existing string, or UINT32_MAX when it was never interned. */
uint32_t ps__intern_find(const ps__intern_t *in, const char *s, size_t len);
/* Whether id's string is s[0..len) (0 for an id not given out). */
int ps__intern_is(const ps__intern_t *in, uint32_t id, const char *s, size_t len);
/* The string of an id; lives as long as the table. */
const char *ps__intern_str(const ps__intern_t *in, uint32_t id);
size_t ps__intern_count(const ps__intern_t *in);

/* A fast 64-bit hash of bytes, shared by the core's hash tables. */
uint64_t ps__hash_bytes(const void *p, size_t len, uint64_t seed);

#endif
