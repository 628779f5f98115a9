#include "lowering/memory_budget.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <optional>
#include <string_view>

namespace syn::dsl {
namespace {

constexpr double share = 0.8;

// "8GiB", "512 MiB", "2GB", "1e9": bytes; nothing when the text is not such a size.
std::optional<double> parse_size(std::string_view text) {
  double value = 0.0;
  std::size_t used = 0;
  try {
    value = std::stod(std::string(text), &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string_view unit = text.substr(used);
  while (unit.starts_with(' ')) unit.remove_prefix(1);
  constexpr std::array<std::pair<std::string_view, double>, 9> units{{{"", 1.0},
                                                                      {"B", 1.0},
                                                                      {"kB", 1e3},
                                                                      {"MB", 1e6},
                                                                      {"GB", 1e9},
                                                                      {"KiB", 0x1p10},
                                                                      {"MiB", 0x1p20},
                                                                      {"GiB", 0x1p30},
                                                                      {"TiB", 0x1p40}}};
  for (const auto& [name, factor] : units)
    if (unit == name && value > 0.0 && value * factor < 0x1p63) return value * factor;
  return std::nullopt;
}

double resource_limit(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return HUGE_VAL;
  return static_cast<double>(limit.rlim_cur);
}

// cgroup v2's memory.max, else v1's limit_in_bytes ("max" and absurd values mean none).
double cgroup_limit() {
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    std::string text;
    if (in >> text && text != "max")
      if (const std::optional<double> bytes = parse_size(text); bytes && *bytes < 0x1p60)
        return *bytes;
  }
  return HUGE_VAL;
}

}  // namespace

std::string bytes_text(double bytes) {
  constexpr std::array<std::string_view, 5> units{"bytes", "kiB", "MiB", "GiB", "TiB"};
  std::size_t u = 0;
  while (u + 1 < units.size() && bytes >= 1024.0) {
    bytes /= 1024.0;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} bytes", bytes) : fmt::format("{:.3g} {}", bytes, units[u]);
}

memory_budget memory_budget::of_this_process() {
  if (const char* set = std::getenv("SYN_MEMORY"))
    if (const std::optional<double> size = parse_size(set))
      return {*size, fmt::format("SYN_MEMORY={}", set)};
  const double machine =
      static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
  const double limit = std::min({resource_limit(RLIMIT_AS), resource_limit(RLIMIT_DATA),
                                 cgroup_limit()});
  if (limit < machine)
    return {share * limit,
            fmt::format("80 % of this process's limit of {}", bytes_text(limit))};
  return {share * machine, fmt::format("80 % of this machine's {}", bytes_text(machine))};
}

}  // namespace syn::dsl
