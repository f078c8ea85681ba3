#include "config.h"

#include "base/mapfile.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int ps__mapfile_open(ps__mapfile_t *m, int fd)
{
    struct stat st;
    *m = (ps__mapfile_t){ 0 };
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = (size_t)st.st_size;
    /* One page more than the file: when the file ends on a page boundary,
       the sentinel lands in this anonymous, zeroed page; otherwise in the
       zero-filled rest of the file's last page. */
    size_t reserved = (len / page + 1) * page;
    char *area = mmap(NULL, reserved, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return -1;
    if (mmap(area, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0)
        == MAP_FAILED) {
        munmap(area, reserved);
        return -1;
    }
    madvise(area, len, MADV_SEQUENTIAL);
    *m = (ps__mapfile_t){ area, len, reserved, 0 };
    return 1;
}

void ps__mapfile_close(ps__mapfile_t *m)
{
    if (m->data)
        munmap(m->data, m->mapped);
    *m = (ps__mapfile_t){ 0 };
}

/*
 * How far behind the reader pages are given back. A fault maps more than its
 * own page: fault-around and the page cache's large folios map whole aligned
 * blocks, which may reach back behind the reader. Pages mapped again behind
 * the released mark would stay until the end, and the resident set would
 * grow with the file's length (measured on Linux 6.18/ext4: islands of up to
 * 380 KB at every release; 68 MB resident after 263 MB of ledger). A lag
 * wider than such blocks leaves them in front of the mark, for the next
 * release; tests/flatmem.sh checks that memory stays flat. Pages go back
 * in steps of at least PS_MAPFILE_RELEASE_STEP, so that a call is cheap and
 * rare.
 */

/* Gives back the pages from the released mark to `end` (page-aligned, past
   the mark), and moves the mark there. */
static void give_back(ps__mapfile_t *m, size_t end)
{
    madvise(m->data + m->released, end - m->released, MADV_DONTNEED);
    m->released = end;
}

void ps__mapfile_release(ps__mapfile_t *m, size_t upto)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (upto < PS_MAPFILE_RELEASE_LAG)
        return;
    size_t end = (upto - PS_MAPFILE_RELEASE_LAG) / page * page;
    if (m->data && end >= m->released + PS_MAPFILE_RELEASE_STEP)
        give_back(m, end);
}

void ps__mapfile_release_all(ps__mapfile_t *m)
{
    if (m->data && m->released < m->mapped)
        give_back(m, m->mapped);
}

/* ---- the guard against a file that shrinks ------------------------------ */

/* The guard of this thread, for the handler: thread-local, as each of the
   split reader's threads guards its own mapping. */
static _Thread_local ps__mapguard_t *armed;

static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned guards_armed;          /* in every thread */
static struct sigaction previous;     /* restored after the last guard */

/* A SIGBUS that no guard claims: handled as if this handler were not
   there, by the previous one or by the default action. */
static void pass_on(int sig, siginfo_t *info, void *context)
{
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
        previous.sa_sigaction(sig, info, context);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    /* a fault repeats on return, now with the default action; a signal
       sent by kill(2) does not, so it is sent again (delivered once this
       handler returns and unblocks it) */
    if (info->si_code <= 0)
        raise(sig);
}

static void on_sigbus(int sig, siginfo_t *info, void *context)
{
    ps__mapguard_t *g = armed;
    const char *at = info->si_addr;
    if (g && info->si_code > 0 && at >= g->start && at < g->end) {
        armed = NULL; /* a second fault before disarming is not ours */
        siglongjmp(g->jump, 1);
    }
    pass_on(sig, info, context);
}

void ps__mapguard_arm(ps__mapguard_t *g, const ps__mapfile_t *m)
{
    g->start = m->data;
    g->end = m->data + m->mapped;
    pthread_mutex_lock(&handler_lock);
    if (guards_armed++ == 0) {
        struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGBUS, &sa, &previous);
    }
    pthread_mutex_unlock(&handler_lock);
    armed = g;
}

void ps__mapguard_disarm(ps__mapguard_t *g)
{
    (void)g;
    armed = NULL;
    pthread_mutex_lock(&handler_lock);
    if (--guards_armed == 0)
        sigaction(SIGBUS, &previous, NULL);
    pthread_mutex_unlock(&handler_lock);
}
