#include "lowering/memory_budget.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string_view>

namespace syn::dsl {
namespace {

constexpr double share = 0.8;

}  // namespace

std::optional<double> parse_size(std::string_view text) {
  double value = 0.0;
  std::size_t used = 0;
  try {
    value = std::stod(std::string(text), &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit;
  for (const char c : text.substr(used))
    if (c != ' ') unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::array<std::pair<std::string_view, double>, 14> units{{
      {"", 1.0},
      {"b", 1.0},
      {"k", 0x1p10},
      {"kib", 0x1p10},
      {"kb", 1e3},
      {"m", 0x1p20},
      {"mib", 0x1p20},
      {"mb", 1e6},
      {"g", 0x1p30},
      {"gib", 0x1p30},
      {"gb", 1e9},
      {"t", 0x1p40},
      {"tib", 0x1p40},
      {"tb", 1e12},
  }};
  for (const auto& [name, factor] : units)
    if (unit == name && value > 0.0 && value * factor < 0x1p63) return value * factor;
  return std::nullopt;
}

namespace {

double resource_limit(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return HUGE_VAL;
  return static_cast<double>(limit.rlim_cur);
}

// The limit of this process's control group: v2's memory.max, else v1's limit_in_bytes, found
// through /proc/self/cgroup ("max" and absurd values mean none).
double cgroup_limit() {
  std::ifstream groups("/proc/self/cgroup");
  double least = HUGE_VAL;
  for (std::string line; std::getline(groups, line);) {
    // hierarchy-ID:controllers:path; v2's controllers are empty.
    const std::size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    std::string file;
    if (controllers.empty())
      file = "/sys/fs/cgroup" + path + "/memory.max";
    else if (controllers.find("memory") != std::string::npos)
      file = "/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes";
    else
      continue;
    std::ifstream in(file);
    std::string text;
    if (in >> text && text != "max")
      if (const std::optional<double> bytes = parse_size(text); bytes && *bytes < 0x1p60)
        least = std::min(least, *bytes);
  }
  return least;
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
  const double limit =
      std::min({resource_limit(RLIMIT_AS), resource_limit(RLIMIT_DATA), cgroup_limit()});
  if (limit < machine)
    return {share * limit, fmt::format("80 % of this process's limit of {}", bytes_text(limit))};
  return {share * machine, fmt::format("80 % of this machine's {}", bytes_text(machine))};
}

}  // namespace syn::dsl
