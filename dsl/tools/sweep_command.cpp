#include "tools/sweep_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "diagnostics/printable_text.hpp"
#include "figures/sweep_figure.hpp"
#include "files/print_text.hpp"
#include "front_end/front_end.hpp"
#include "run/output_folder.hpp"
#include "tools/exit_codes.hpp"
#include "tools/param_options.hpp"
#include "tools/sweep_values.hpp"

namespace syn::dsl {

namespace {

bool colour_on(std::FILE* f) { return isatty(fileno(f)) && !std::getenv("NO_COLOR"); }

// What the command line asks: the swept param's values and the settings that hold for every run.
struct sweep_plan {
  std::vector<param_setting> fixed;
  sweep_values sweep;
};

// Reads the --set arguments into sources of `arguments`: exactly one sweeps. nullopt (with errors
// in `diags`, none when no argument sweeps) otherwise.
std::optional<sweep_plan> plan_of(const std::vector<std::string>& settings,
                                  param_options& arguments, diagnostics& diags) {
  std::vector<std::string> fixed;
  std::optional<sweep_values> sweep;
  for (const std::string& s : settings) {
    if (!is_sweep(s)) {
      fixed.push_back(s);
      continue;
    }
    const source_file& source = arguments.source(s);
    if (sweep) {
      diags.error({&source, 0, static_cast<std::uint32_t>(source.text().size())},
                  "syn sweep sweeps one param, and another --set already lists values",
                  "give the other params one value each");
      return std::nullopt;
    }
    sweep = read_sweep(source, diags);
    if (!sweep) return std::nullopt;
  }
  if (!arguments.read(fixed, diags) || !sweep) return std::nullopt;
  for (const param_setting& f : arguments.settings)
    if (f.name.text == sweep->name.text) {
      diags.error(sweep->name.where, fmt::format("{} is set twice", f.name.text),
                  fmt::format("it is set first by --set {}", f.name.where.file->text()));
      return std::nullopt;
    }
  return sweep_plan{arguments.settings, std::move(*sweep)};
}

// The settings of the `i`-th run: the fixed ones and the swept param's value.
std::vector<param_setting> settings_of(const sweep_plan& plan, std::size_t i) {
  std::vector<param_setting> settings = plan.fixed;
  settings.push_back({plan.sweep.name, plan.sweep.values[i]});
  return settings;
}

// The folder of the `i`-th run, also how progress and errors name it: NAME=VALUE, the value in
// shortest form with its unit (w_inh=0.5mV).
std::string folder_of(const sweep_plan& plan, std::size_t i) {
  return fmt::format("{}={}", plan.sweep.name.text, plan.sweep.texts[i]);
}

// The model checked with the `i`-th run's settings into `front`; its diagnostics printed, but
// those `shown` already (the same warning, or an error of a fixed setting, for every value). An
// exit code: ok, or why it fails.
exit_code check(front_end& front, const source_file& file, const std::filesystem::path& base_dir,
                const sweep_plan& plan, std::size_t i, std::set<std::string>& shown) {
  front.check.set_params(settings_of(plan, i));
  front.check_file(file, base_dir);
  diagnostics& diags = front.diags;
  const fit f = diags.has_errors() ? fit::yes : fits(front.m, front.m.now(), diags);
  diags.sort_by_position();
  for (const diagnostic& d : diags.all())
    if (std::string text = render(d, colour_on(stderr)); shown.insert(text).second)
      std::fputs(text.c_str(), stderr);
  if (!diags.has_errors()) return ok;
  if (f == fit::over_memory) return runtime_failed;  // as `syn run` says it
  const bool usage = param_options::only_argument_errors(diags);
  print_text(stderr, "syn: {} error{} in {}\n", diags.error_count(),
             diags.error_count() == 1 ? "" : "s",
             usage ? std::string("--set")
                   : fmt::format("{} with {}", printable(file.name()), folder_of(plan, i)));
  return usage ? usage_failed : model_failed;
}

// One run into `folder`; the rates of its populations, or nullopt (reported) when it fails.
std::optional<std::vector<population_row>> run_one(
    const source_file& file, const std::filesystem::path& base_dir, const sweep_arguments& args,
    const std::filesystem::path& folder, const sweep_plan& plan, std::size_t i,
    std::set<std::string>& shown, exit_code& failed) {
  front_end front(library_path::from_environment(args.include_dirs));
  if ((failed = check(front, file, base_dir, plan, i, shown)) != ok) return std::nullopt;
  run_options options;
  options.seed = args.seed;
  options.out_dir = folder;
  diagnostics diags;
  std::optional<model_run> sim = build(front.m, options, diags);
  if (!sim) {
    diags.render(stderr, colour_on(stderr));
    failed = model_failed;
    return std::nullopt;
  }
  std::string error;
  if (!sim->open_outputs(error) || !sim->run_all(nullptr, error) || !sim->close_outputs(error)) {
    if (sim->failed_at()) {
      diags.error(*sim->failed_at(), error);
      diags.render(stderr, colour_on(stderr));
    } else {
      print_text(stderr, "syn: error: {}\n", printable(error));
    }
    print_text(stderr, "syn: the sweep stopped at {}\n", folder_of(plan, i));
    failed = runtime_failed;
    return std::nullopt;
  }
  std::vector<population_row> rows = sim->populations();
  std::erase_if(rows, [](const population_row& p) { return p.is_train; });
  return rows;
}

// A rate as sweep.csv holds it: shortest round-trip form, empty for none (a population added
// at the end of the runs).
std::string csv_rate(double rate) { return std::isnan(rate) ? "" : fmt::format("{}", rate); }
// As the table and the progress lines show it.
std::string shown_rate(double rate) { return std::isnan(rate) ? "-" : fmt::format("{:.4g}", rate); }

std::string csv_of(const sweep_plan& plan, const std::vector<std::vector<population_row>>& rows) {
  std::string out = plan.sweep.name.text;
  if (!plan.sweep.unit.empty()) out += "_" + plan.sweep.unit;
  for (const population_row& p : rows.front()) out += fmt::format(",{}_rate_Hz", p.name);
  out += '\n';
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += std::get<ast::quantity>(plan.sweep.values[i].v).text;
    for (const population_row& p : rows[i]) out += fmt::format(",{}", csv_rate(p.rate));
    out += '\n';
  }
  return out;
}

std::string svg_of(const sweep_plan& plan, const std::vector<std::vector<population_row>>& rows) {
  figures::sweep_data data{plan.sweep.name.text, plan.sweep.unit, {}, {}};
  for (const ast::value& v : plan.sweep.values)
    data.values.push_back(std::get<ast::quantity>(v.v).number);
  for (std::size_t p = 0; p < rows.front().size(); ++p) {
    figures::sweep_series s{rows.front()[p].name, {}};
    for (const auto& row : rows) s.rates.push_back(row[p].rate);
    data.series.push_back(std::move(s));
  }
  return figures::sweep_svg(data);
}

// The table on standard output: the value, then each population's rate.
void print_table(const sweep_plan& plan, const std::vector<std::vector<population_row>>& rows) {
  std::vector<std::vector<std::string>> cells(rows.size() + 1);
  cells[0].push_back(plan.sweep.name.text);
  for (const population_row& p : rows.front()) cells[0].push_back(p.name + " (Hz)");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cells[i + 1].push_back(plan.sweep.texts[i]);
    for (const population_row& p : rows[i]) cells[i + 1].push_back(shown_rate(p.rate));
  }
  std::vector<std::size_t> width(cells[0].size(), 0);
  for (const auto& line : cells)
    for (std::size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  for (const auto& line : cells) {
    std::string out;
    for (std::size_t c = 0; c < line.size(); ++c)
      out += c + 1 == line.size() ? line[c] : fmt::format("{:<{}}  ", line[c], width[c]);
    print_text(stdout, "{}\n", out);
  }
}

// Whether the folder `dir` is new, empty or holds earlier results (its .syn-outputs lists them,
// and the sweep replaces them): a sweep into a folder of other files (`--out .`) would mix its
// results in with them.
bool holds_only_results(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir / ".syn-outputs", ec)) return true;
  std::filesystem::directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    if (!it->path().filename().string().starts_with(".syn-run-")) return false;  // a killed run's
  return true;
}

}  // namespace

int run_sweep(const sweep_arguments& args) {
  // As `syn run`: writes past a file size limit or into a closed pipe fail where they happen.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  std::string why;
  const std::optional<source_file> file = read_source_file(args.model, why);
  if (!file) {
    print_text(stderr, "syn: error: cannot read '{}': {}\n", printable(args.model), why);
    return usage_failed;
  }
  param_options arguments;  // the sources of the settings, which diagnostics point into
  diagnostics diags;
  const std::optional<sweep_plan> plan = plan_of(args.settings, arguments, diags);
  if (!plan) {
    diags.render(stderr, colour_on(stderr));
    if (!diags.has_errors())
      print_text(stderr,
                 "syn: error: syn sweep needs the values of a param: --set NAME=A..B/K (K "
                 "values from A to B) or --set NAME=V1,V2,...\n");
    else
      print_text(stderr, "syn: {} error{} in --set\n", diags.error_count(),
                 diags.error_count() == 1 ? "" : "s");
    return usage_failed;
  }
  const auto base_dir = std::filesystem::path(args.model).parent_path();
  // Every value checked before anything runs, and every one the model refuses reported: nothing
  // is written for a sweep that would fail. Errors in the --set arguments alone (a unit, another
  // setting) would be the same for every value: the first is enough.
  std::set<std::string> shown;
  exit_code checked = ok;
  for (std::size_t i = 0; i < plan->sweep.values.size() && checked != usage_failed; ++i) {
    front_end front(library_path::from_environment(args.include_dirs));
    if (const exit_code c = check(front, *file, base_dir, *plan, i, shown); checked == ok)
      checked = c;
  }
  if (checked != ok) return checked;
  if (!holds_only_results(args.out_dir)) {
    print_text(stderr,
               "syn: error: '{}' holds files that no syn run or sweep wrote; syn sweep writes "
               "into a new or empty folder or one of earlier results: choose another with --out\n",
               printable(args.out_dir.string()));
    return usage_failed;
  }
  std::string error;
  std::optional<output_folder> folder =
      output_folder::open(args.out_dir, {"sweep.csv", "sweep.svg"}, error);
  if (!folder) {
    print_text(stderr, "syn: error: {}\n", printable(error));
    return runtime_failed;
  }
  std::vector<std::vector<population_row>> rows;
  const std::size_t count = plan->sweep.values.size();
  for (std::size_t i = 0; i < count; ++i) {
    // Each run's folder is made in the sweep's temporary folder: the sweep's results come into
    // place together, or not at all.
    const std::optional<std::filesystem::path> run_folder =
        folder->create_folder(folder_of(*plan, i), error);
    if (!run_folder) {
      print_text(stderr, "syn: error: {}\n", printable(error));
      return runtime_failed;
    }
    exit_code failed = ok;
    auto rates = run_one(*file, base_dir, args, *run_folder, *plan, i, shown, failed);
    if (!rates) return failed;
    std::string line;
    for (const population_row& p : *rates)
      line += fmt::format(", {} {} Hz", p.name, shown_rate(p.rate));
    print_text(stderr, "syn: {} of {}: {}{}\n", i + 1, count, folder_of(*plan, i), line);
    rows.push_back(std::move(*rates));
  }
  if (!folder->write("sweep.csv", csv_of(*plan, rows), error) ||
      !folder->write("sweep.svg", svg_of(*plan, rows), error) || !folder->commit(error)) {
    print_text(stderr, "syn: error: {}\n", printable(error));
    return runtime_failed;
  }
  print_table(*plan, rows);
  std::fflush(stdout);  // before the last line on standard error, where both go to one place
  print_text(stderr, "syn: wrote {}\n", printable(args.out_dir.string()));
  return ok;
}

}  // namespace syn::dsl
