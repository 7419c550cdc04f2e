#ifndef CMEMORY_H
#define CMEMORY_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Asks the processor to start loading the cache line at `address` for a read
/// soon, without waiting for it (Swift has no prefetch of its own). A hint: it
/// never faults, whatever the address.
static inline void tpt_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Scans a bucket of 16 entries (one cache line of 32-bit entries, 0 meaning
/// empty) for a tag: bits 0-15 of the result mark the filled entries whose bits
/// under `tag_mask` equal `tag`, bits 16-31 the empty entries (bit i for entry
/// i). A few vector instructions, where a loop would take a branch per entry,
/// each a likely misprediction.
static inline uint32_t tpt_scan_bucket(const uint32_t *bucket, uint32_t tag_mask, uint32_t tag) {
#if defined(__SSE2__)
    const __m128i mask = _mm_set1_epi32((int)tag_mask), wanted = _mm_set1_epi32((int)tag), zero = _mm_setzero_si128();
    __m128i matching[4], empty[4];
    for (int quarter = 0; quarter < 4; quarter++) {
        __m128i entries = _mm_loadu_si128((const __m128i *)bucket + quarter);
        empty[quarter] = _mm_cmpeq_epi32(entries, zero);
        matching[quarter] = _mm_andnot_si128(empty[quarter], _mm_cmpeq_epi32(_mm_and_si128(entries, mask), wanted));
    }
    uint32_t matchingBits = (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(_mm_packs_epi32(matching[0], matching[1]),
                                                                        _mm_packs_epi32(matching[2], matching[3])));
    uint32_t emptyBits = (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(_mm_packs_epi32(empty[0], empty[1]),
                                                                     _mm_packs_epi32(empty[2], empty[3])));
    return matchingBits | emptyBits << 16;
#else
    uint32_t result = 0;
    for (int i = 0; i < 16; i++) {
        if (bucket[i] == 0) result |= (uint32_t)1 << (16 + i);
        else if ((bucket[i] & tag_mask) == tag) result |= (uint32_t)1 << i;
    }
    return result;
#endif
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
