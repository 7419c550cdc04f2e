#ifndef CMEMORY_H
#define CMEMORY_H

#include <stddef.h>

/// Asks the processor to start loading the cache line at `address` for a read
/// soon, without waiting for it (Swift has no prefetch of its own). A hint: it
/// never faults, whatever the address.
static inline void tpt_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Zero-filled memory straight from the kernel, `bytes` rounded up to whole
/// pages; regions of 4 MiB and more are backed by 2 MiB pages where the kernel
/// offers them. NULL when the kernel refuses.
void *tpt_map(size_t bytes);

/// The region grown (or shrunk) to `new_bytes`, contents kept: moved by
/// remapping its pages, not by copying them, where the kernel can. NULL when
/// the kernel refuses; the old region is then untouched.
void *tpt_remap(void *region, size_t old_bytes, size_t new_bytes);

/// Returns a region from `tpt_map` or `tpt_remap`.
void tpt_unmap(void *region, size_t bytes);

/// Gives the whole pages in [start, start + bytes) back to the kernel; they read
/// as zeros if touched again.
void tpt_discard(void *start, size_t bytes);

#endif
