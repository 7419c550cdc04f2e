// mremap is variadic, which Swift cannot call, and Linux-only; the rest is
// here so that one file says how the state store gets its memory.
#define _GNU_SOURCE
#include "CMemory.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const size_t huge_threshold = (size_t)4 << 20;

static void advise_huge(void *region, size_t bytes) {
#ifdef MADV_HUGEPAGE
    if (bytes >= huge_threshold) madvise(region, bytes, MADV_HUGEPAGE);
#else
    (void)region;
    (void)bytes;
#endif
}

void *tpt_map(size_t bytes) {
    if (bytes == 0) bytes = 1;
    void *region = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return NULL;
    advise_huge(region, bytes);
    return region;
}

void *tpt_remap(void *region, size_t old_bytes, size_t new_bytes) {
    if (new_bytes == 0) new_bytes = 1;
#ifdef __linux__
    void *moved = mremap(region, old_bytes, new_bytes, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) return NULL;
    advise_huge(moved, new_bytes);
    return moved;
#else
    void *moved = tpt_map(new_bytes);
    if (moved == NULL) return NULL;
    memcpy(moved, region, old_bytes < new_bytes ? old_bytes : new_bytes);
    tpt_unmap(region, old_bytes);
    return moved;
#endif
}

void tpt_unmap(void *region, size_t bytes) {
    munmap(region, bytes == 0 ? 1 : bytes);
}

void tpt_discard(void *start, size_t bytes) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t first = ((size_t)start + page - 1) / page * page;
    size_t end = ((size_t)start + bytes) / page * page;
    if (end > first) madvise((void *)first, end - first, MADV_DONTNEED);
}
