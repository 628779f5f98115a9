#pragma once

#include <cstddef>
#include <cstdlib>
#include <limits>
#include <new>
#include <vector>

#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

namespace syn::detail {

// The allocator of the arrays that events reach at random (synapses, neuron records, the neuron
// queue). Large ones are asked to live in 2 MiB pages (Linux's transparent huge pages, which
// such machines grant on madvise): in 4 KiB pages, at hundreds of thousands of neurons nearly
// every event also misses the TLB, a page walk on top of each cache miss. Where the advice is
// refused or unknown the pages stay small, and all works as before.
template <typename T>
struct huge_page_allocator {
  using value_type = T;
  static constexpr std::size_t page = std::size_t{1} << 21;

  huge_page_allocator() = default;
  template <typename U>
  huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > (std::numeric_limits<std::size_t>::max() - page) / sizeof(T))
      throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < page) return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    const std::size_t whole = (bytes + page - 1) / page * page;
    void* p = std::aligned_alloc(page, whole);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(p, whole, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < page) {
      ::operator delete(p, std::align_val_t{alignof(T)});
    } else {
      std::free(p);
    }
  }
  friend bool operator==(const huge_page_allocator&, const huge_page_allocator&) = default;
};

template <typename T>
using huge_page_vector = std::vector<T, huge_page_allocator<T>>;

}  // namespace syn::detail
