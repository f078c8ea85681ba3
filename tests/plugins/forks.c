/*
 * forks: a plugin whose compute leaves processes behind, as its `leave`
 * key says, and then returns a good section, so that the tests can check
 * that nothing a plugin forks outlives its run, nor costs it its section:
 *
 *   linger  a chain of three descendants that keep every descriptor they
 *           inherited (the section's pipe among them) and sleep
 *   daemon  the same, each closing every descriptor first, as a daemon does
 *   bomb    a tree of processes still forking while compute returns
 *
 * Each process appends "PID PGID" to `pidfile` before it forks the next.
 * Only for a plugin run in a child process (isolate = yes).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/parkstat.h>

#define CHAIN 3      /* linger, daemon: descendants in the chain */
#define TREE_DEPTH 5 /* bomb: 1 + 2 + 4 + ... + 32 processes */
#define TREE_NODES ((1 << (TREE_DEPTH + 1)) - 1)

static const ps_key_t forks_keys[] = {
    { .name = "leave", .type = PS_KEY_CHOICE, .default_value = "linger",
      .choices = "linger|daemon|bomb", .help = "what compute leaves behind" },
    { .name = "pidfile", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "the file each process appends its pid and process group to" },
    { .name = NULL },
};

static void forks_note_pid(const char *pidfile)
{
    FILE *f = fopen(pidfile, "a");
    if (f) {
        fprintf(f, "%ld %ld\n", (long)getpid(), (long)getpgrp());
        fclose(f);
    }
}

/* The chain: each link notes its pid and forks the next, the last tells
   compute (on `ready`) that every pid is noted; then all sleep. */
static void forks_chain(const char *pidfile, int ready, int detach)
{
    int left = CHAIN;
    for (;;) {
        if (detach)
            for (int fd = 0; fd < 64; fd++)
                if (fd != ready)
                    close(fd);
        forks_note_pid(pidfile);
        if (left == 1 || fork() != 0)
            break;
        left--; /* in the next link */
    }
    if (left == 1 && write(ready, "!", 1) != 1)
        _exit(1);
    sleep(60);
    _exit(0);
}

/* The tree: each node forks two nodes one level below it, then sleeps. */
static void forks_tree(void)
{
    int depth = TREE_DEPTH;
    while (depth > 0 && (fork() == 0 || fork() == 0))
        depth--; /* in a new node */
    sleep(60);
    _exit(0);
}

static int forks_leave(ps_ctx_t *ctx, const ps_api_t *api, const char *leave,
                       const char *pidfile)
{
    int ready[2];
    if (pipe(ready) < 0)
        return api->failf(ctx, PS_EIO, "pipe failed");
    pid_t first = fork();
    if (first < 0)
        return api->failf(ctx, PS_EIO, "fork failed");
    if (first == 0 && strcmp(leave, "bomb") == 0)
        forks_tree();
    if (first == 0)
        forks_chain(pidfile, ready[1], strcmp(leave, "daemon") == 0);
    close(ready[1]);
    char byte;
    int arrived = strcmp(leave, "bomb") == 0 || read(ready[0], &byte, 1) == 1;
    close(ready[0]);
    return arrived ? 0 : api->failf(ctx, PS_EIO, "the descendants did not arrive");
}

static int forks_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    const char *leave, *pidfile;
    int rc = api->conf_string(ctx, "leave", &leave);
    if (rc == 0)
        rc = api->conf_string(ctx, "pidfile", &pidfile);
    if (rc < 0)
        return rc;
    forks_note_pid(pidfile);
    rc = forks_leave(ctx, api, leave, pidfile);
    ps_indicator_t left = { .key = "left", .label = "留下的进程",
                            .value = ps_count_value(strcmp(leave, "bomb") ? CHAIN : TREE_NODES, "个") };
    return rc < 0 ? rc : api->emit(ctx, &left);
}

PS_PLUGIN(forks) = {
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .name = "forks",
    .version = "1.0",
    .description = "leaves processes behind, for the tests",
    .keys = forks_keys,
    .compute = forks_compute,
};
