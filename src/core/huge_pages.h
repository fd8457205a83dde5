#pragma once
// Large buffers on 2 MiB pages. A 4096 x 4096 float image is 16,384 pages of 4 KiB: faulting them
// in one by one costs about 30 ms on the development machine, more than the rendering; as 32 huge
// pages it costs a few. Linux only grants them on request (transparent_hugepage = madvise).
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gaussmap {

// Gives `v` room for `n` elements without touching the memory, then asks for huge pages on the
// whole 2 MiB-aligned part of it. A hint only: without them everything still works.
template <class T>
void reserveOnHugePages(std::vector<T>& v, std::size_t n) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  if (n <= v.capacity() || n * sizeof(T) < 2 * kHuge) {
    v.reserve(n);
    return;
  }
  std::vector<T>().swap(v);  // the old buffer goes first, so the peak holds only the new one
  v.reserve(n);
  const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + n * sizeof(T)) & ~(kHuge - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace gaussmap
