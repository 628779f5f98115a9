#include "run/population_table.hpp"

#include <fmt/format.h>

#include <cmath>

#include "run/csv_rows.hpp"

namespace syn::dsl {
namespace {

constexpr std::string_view header =
    "population,kind,size,since_ms,end_ms,spikes,rate_Hz,rest_mV,threshold_mV";

// A number, or nothing for NaN.
std::string field(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

}  // namespace

std::vector<population_row> population_rows(const model& m,
                                            const std::vector<population_summary>& counted,
                                            double end) {
  std::vector<population_row> rows;
  for (std::size_t g = 0; g < m.groups.size(); ++g) {
    const group& gr = m.groups[g];
    population_row r;
    r.name = gr.name;
    r.is_train = gr.is_train;
    r.size = gr.size;
    r.since = gr.since;
    r.end = end;
    if (g < counted.size()) {
      r.spikes = counted[g].spikes;
      if (counted[g].rate_hz) r.rate = *counted[g].rate_hz;
    }
    if (!gr.is_train) {
      r.rest = gr.params.rest;
      r.threshold = gr.params.threshold;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

void write_populations_csv(std::string& out, const std::vector<population_row>& rows) {
  fmt::format_to(std::back_inserter(out), "{}\n", header);
  for (const population_row& r : rows)
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{}\n", r.name,
                   r.is_train ? "train" : "neurons", r.size, r.since, r.end, r.spikes,
                   field(r.rate), field(r.rest), field(r.threshold));
}

std::variant<std::vector<population_row>, csv_error> read_populations_csv(
    const std::filesystem::path& path) {
  std::vector<population_row> rows;
  const auto number = [](std::string_view f, double& x, std::string_view what,
                         bool may_be_empty) -> std::optional<std::string> {
    if (f.empty() && may_be_empty) return std::nullopt;
    const auto parsed = csv_number(f);
    if (!parsed) return fmt::format("{} `{}` is not a number", what, f);
    x = *parsed;
    return std::nullopt;
  };
  const auto error = read_csv_rows(
      path, header, [&](std::span<const std::string_view> f) -> std::optional<std::string> {
        population_row r;
        r.name = f[0];
        if (r.name.empty()) return "missing population name";
        if (f[1] != "neurons" && f[1] != "train")
          return fmt::format("kind `{}` is neither neurons nor train", f[1]);
        r.is_train = f[1] == "train";
        const auto size = csv_index(f[2]);
        const auto spikes = csv_count(f[5]);
        if (!size) return fmt::format("size `{}` is not a count", f[2]);
        r.size = *size;
        for (const auto& [text, x, what, may_be_empty] :
             {std::tuple{f[3], &r.since, "since_ms", false},
              {f[4], &r.end, "end_ms", false},
              {f[6], &r.rate, "rate_Hz", true},
              {f[7], &r.rest, "rest_mV", true},
              {f[8], &r.threshold, "threshold_mV", true}})
          if (auto e = number(text, *x, what, may_be_empty)) return e;
        if (!spikes) return fmt::format("spikes `{}` is not a count", f[5]);
        r.spikes = *spikes;
        rows.push_back(std::move(r));
        return std::nullopt;
      });
  if (error) return *error;
  return rows;
}

}  // namespace syn::dsl
