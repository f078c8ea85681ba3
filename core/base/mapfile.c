#include "config.h"

#include "base/mapfile.h"

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
