#pragma once

// How many of its random scenarios a reference test runs: all of them in a plain build, a tenth
// under AddressSanitizer (scripts/test --sanitize). The sanitizers look for memory errors and
// undefined behaviour, which a thousand scenarios reach through the same code as ten thousand,
// and they slow the 50-digit references about fivefold; the Release build compares every
// scenario's numbers.

#include <cstdint>

namespace syn::test_scenarios {

#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif
#else
inline constexpr bool sanitized = false;
#endif

constexpr std::uint64_t random_scenario_count(std::uint64_t all) {
  return sanitized ? all / 10 : all;
}

}  // namespace syn::test_scenarios
