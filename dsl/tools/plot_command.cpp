#include "tools/plot_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "diagnostics/did_you_mean.hpp"
#include "diagnostics/printable_text.hpp"
#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "run/output_folder.hpp"
#include "tools/exit_codes.hpp"

namespace syn::dsl {
namespace {

int fail(std::FILE* err, int code, const std::string& message) {
  fmt::print(err, "syn: error: {}\n", printable(message));
  return code;
}

bool write(output_folder& folder, const std::string& name, const std::string& text,
           std::string& error) {
  std::FILE* out = folder.create(name, error);
  if (!out) return false;
  std::fwrite(text.data(), 1, text.size(), out);
  const bool failed = std::ferror(out) != 0;
  if (std::fclose(out) != 0 || failed) {
    error = fmt::format("cannot write '{}'", name);
    return false;
  }
  return true;
}

}  // namespace

int plot_results(const std::filesystem::path& dir, const figure_selection& selection,
                 std::FILE* err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(
        err, usage_failed,
        fmt::format("'{}' is not a folder of results; syn run --out DIR writes one", dir.string()));
  const std::filesystem::path spikes = dir / "spikes.csv", v = dir / "v.csv",
                              table = dir / "populations.csv";
  const bool has_spikes = std::filesystem::exists(spikes, ec);
  const bool has_v = std::filesystem::exists(v, ec);
  if (!has_spikes && !has_v)
    return fail(err, usage_failed,
                fmt::format("'{}' holds neither spikes.csv nor v.csv: run a model that records "
                            "spikes or v into it (syn run MODEL.syn --out {})",
                            dir.string(), dir.string()));
  std::vector<population_row> populations;
  std::vector<std::string> names;  // what --only may name
  if (std::filesystem::exists(table, ec)) {
    auto read = read_populations_csv(table);
    if (const auto* e = std::get_if<csv_error>(&read))
      return fail(err, model_failed, results_error{table, *e}.message());
    populations = std::move(std::get<std::vector<population_row>>(read));
    for (const population_row& p : populations) names.push_back(p.name);
  } else if (!selection.elements.empty()) {
    // CSV files written by hand: the names their rows hold.
    names = names_in(has_spikes ? std::optional(spikes) : std::nullopt,
                     has_v ? std::optional(v) : std::nullopt);
  }
  for (const element_filter& f : selection.elements) {
    const auto known = std::find(names.begin(), names.end(), f.name);
    if (known == names.end()) {
      const std::string like = closest(f.name, names);
      return fail(err, usage_failed,
                  fmt::format("--only {}: '{}' has no population or train '{}'{}", f.name,
                              dir.string(), f.name,
                              like.empty() ? fmt::format(" (it has {})", fmt::join(names, ", "))
                                           : fmt::format("; did you mean '{}'?", like)));
    }
    if (populations.empty()) continue;  // sizes unknown
    const population_row& p = populations[static_cast<std::size_t>(known - names.begin())];
    if (f.first >= p.size)
      return fail(err, usage_failed,
                  fmt::format("--only {}[{}]: {} has {} element{}", f.name, f.first, f.name, p.size,
                              p.size == 1 ? "" : "s"));
  }

  // A window against the run's span, which populations.csv gives.
  if (!populations.empty() && (selection.from || selection.to)) {
    double end = 0.0;
    for (const population_row& p : populations) end = std::max(end, p.end);
    if (const auto problem =
            window_problem(selection.from.value_or(0.0), selection.to.value_or(end)))
      return fail(err, usage_failed, fmt::format("{} (the run ends at {} ms)", *problem, end));
  }

  std::vector<std::string> outputs;
  if (has_spikes) outputs.push_back("raster.svg");
  if (has_v) outputs.push_back("v.svg");
  std::string error;
  std::optional<output_folder> folder = output_folder::open_to_add(dir, outputs, error);
  if (!folder) return fail(err, runtime_failed, error);
  std::vector<std::string> wrote;
  if (has_spikes) {
    auto data = raster_of(spikes, populations, selection);
    if (const auto* e = std::get_if<results_error>(&data))
      return fail(err, model_failed, e->message());
    const auto& raster = std::get<figures::raster_data>(data);
    std::size_t count = 0;
    for (const figures::raster_group& g : raster.groups) count += g.times.size();
    if (!write(*folder, "raster.svg", figures::raster_svg(raster), error))
      return fail(err, runtime_failed, error);
    wrote.push_back(fmt::format("{} ({} spike{})", (dir / "raster.svg").string(), count,
                                count == 1 ? "" : "s"));
  }
  if (has_v) {
    trace_sources sources;
    if (has_spikes) sources.spikes_csv = spikes;
    auto data = traces_of(v, sources, populations, selection);
    if (const auto* e = std::get_if<results_error>(&data))
      return fail(err, model_failed, e->message());
    const auto& traces = std::get<figures::traces_data>(data);
    if (!write(*folder, "v.svg", figures::traces_svg(traces), error))
      return fail(err, runtime_failed, error);
    wrote.push_back(fmt::format("{} ({} trace{})", (dir / "v.svg").string(), traces.traces.size(),
                                traces.traces.size() == 1 ? "" : "s"));
  }
  if (!folder->commit(error)) return fail(err, runtime_failed, error);
  fmt::print(err, "syn: wrote {}\n", fmt::join(wrote, ", "));
  return ok;
}

}  // namespace syn::dsl
