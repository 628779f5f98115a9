#include "run/results_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "figures/axis_ticks.hpp"
#include "run/csv_rows.hpp"

namespace syn::dsl {
namespace {

constexpr std::string_view spikes_header = "time_ms,population,index";
constexpr std::string_view v_header = "time_ms,population,index,v_mV";

bool selected(const figure_selection& s, std::string_view name, std::uint32_t index) {
  if (s.elements.empty()) return true;
  return std::any_of(s.elements.begin(), s.elements.end(), [&](const element_filter& f) {
    return f.name == name && f.first <= index && index <= f.last;
  });
}

bool in_window(const figure_selection& s, double t) {
  return (!s.from || t >= *s.from) && (!s.to || t <= *s.to);
}

const population_row* row_of(const std::vector<population_row>& populations,
                             std::string_view name) {
  for (const population_row& p : populations)
    if (p.name == name) return &p;
  return nullptr;
}

double run_end(const std::vector<population_row>& populations) {
  double end = 0.0;
  for (const population_row& p : populations) end = std::max(end, p.end);
  return end;
}

// A time row's fields, checked: the time, the population and the index.
std::optional<std::string> parse_element(std::span<const std::string_view> f, double& t,
                                         std::uint32_t& index) {
  const auto time = csv_number(f[0]);
  if (!time || *time < 0) return fmt::format("time `{}` is not a number of ms >= 0", f[0]);
  if (f[1].empty()) return "missing population name";
  const auto i = csv_index(f[2]);
  if (!i) return fmt::format("index `{}` is not a non-negative integer", f[2]);
  t = *time;
  index = *i;
  return std::nullopt;
}

// The window's ends: as selected, else the run's (populations.csv), else the data's.
void set_window(const figure_selection& s, const std::vector<population_row>& populations,
                double last_time, double& from, double& to) {
  from = s.from.value_or(0.0);
  const double end = populations.empty() ? last_time : run_end(populations);
  to = s.to.value_or(end);
  if (!(to > from)) to = from;
}

}  // namespace

std::optional<std::string> window_problem(double from, double to) {
  if (!(from < to))
    return fmt::format("the window must start before it ends: from {} ms to {} ms", from, to);
  if (!figures::time_window{from, to}.has_span())
    return fmt::format("the window from {} ms to {} ms is too narrow to draw", from, to);
  return std::nullopt;
}

std::string results_error::message() const {
  if (error.line == 0) return fmt::format("cannot read '{}': {}", file.string(), error.message);
  return fmt::format("{}:{}: {}", file.string(), error.line, error.message);
}

std::variant<figures::raster_data, results_error> raster_of(
    const std::filesystem::path& spikes_csv, const std::vector<population_row>& populations,
    const figure_selection& selection) {
  figures::raster_data data;
  // The groups shown: those of populations.csv, in order, else in order of first spike.
  std::map<std::string, std::size_t, std::less<>> group_of;
  std::vector<std::uint32_t> offset;  // the first index shown, by group
  const auto add_group = [&](std::string_view name, std::uint32_t size, bool is_train) {
    const std::uint32_t top = size ? size - 1 : 0;
    std::uint32_t first = 0, last = top;
    bool filtered = false;
    for (const element_filter& f : selection.elements)
      if (f.name == name) {
        first = filtered ? std::min(first, f.first) : f.first;
        last = filtered ? std::max(last, std::min(f.last, top)) : std::min(f.last, top);
        filtered = true;
      }
    figures::raster_group g;
    const bool whole = !filtered || (first == 0 && last + 1 == size);
    g.name = whole           ? std::string(name)
             : first == last ? fmt::format("{}[{}]", name, first)
                             : fmt::format("{}[{}..{}]", name, first, last);
    g.size = last >= first ? last - first + 1 : 0;
    g.is_train = is_train;
    group_of.emplace(std::string(name), data.groups.size());
    offset.push_back(first);
    data.groups.push_back(std::move(g));
  };
  for (const population_row& p : populations)
    if (selection.elements.empty() ||
        std::any_of(selection.elements.begin(), selection.elements.end(),
                    [&](const element_filter& f) { return f.name == p.name; }))
      add_group(p.name, p.size, p.is_train);
  const bool sizes_known = !populations.empty();
  double last_time = 0.0;
  const auto error =
      read_csv_rows(spikes_csv, spikes_header,
                    [&](std::span<const std::string_view> f) -> std::optional<std::string> {
                      double t = 0.0;
                      std::uint32_t index = 0;
                      if (auto e = parse_element(f, t, index)) return e;
                      if (!selected(selection, f[1], index) || !in_window(selection, t))
                        return std::nullopt;
                      auto g = group_of.find(f[1]);
                      if (g == group_of.end()) {
                        if (sizes_known)
                          return fmt::format("population `{}` is not in populations.csv", f[1]);
                        add_group(f[1], 0, false);
                        g = group_of.find(f[1]);
                      }
                      figures::raster_group& group = data.groups[g->second];
                      const std::uint32_t row = index - offset[g->second];
                      if (sizes_known && row >= group.size)
                        return fmt::format("index {} is beyond the {} elements of {}", index,
                                           group.size + offset[g->second], f[1]);
                      if (!sizes_known) group.size = std::max(group.size, row + 1);
                      group.times.push_back(t);
                      group.indices.push_back(row);
                      last_time = std::max(last_time, t);
                      return std::nullopt;
                    });
  if (error) return results_error{spikes_csv, *error};
  set_window(selection, populations, last_time, data.from, data.to);
  data.title = "Spikes";
  return data;
}

std::vector<std::string> names_in(const std::optional<std::filesystem::path>& spikes_csv,
                                  const std::optional<std::filesystem::path>& v_csv) {
  std::vector<std::string> names;
  std::set<std::string, std::less<>> seen;
  for (const auto& [file, header] : {std::pair{spikes_csv, spikes_header}, {v_csv, v_header}}) {
    if (!file) continue;
    read_csv_rows(*file, header,
                  [&](std::span<const std::string_view> f) -> std::optional<std::string> {
                    if (!f[1].empty() && !seen.contains(f[1])) {
                      seen.emplace(f[1]);
                      names.emplace_back(f[1]);
                    }
                    return std::nullopt;
                  });
  }
  return names;
}

std::variant<figures::traces_data, results_error> traces_of(
    const std::filesystem::path& v_csv, const trace_sources& sources,
    const std::vector<population_row>& populations, const figure_selection& selection) {
  figures::traces_data data;
  std::map<element_key, std::size_t> trace_of;
  std::set<element_key> others;  // selected but not shown
  // By trace: its first and latest times read, and its latest sample before the window. The
  // figure draws the samples just outside the window and clips them, so that the line reaches
  // its edges.
  struct reading {
    std::optional<double> first, last;
    std::optional<std::pair<double, double>> before;
    bool after = false;  // the sample after the window is in
  };
  std::vector<reading> readings;
  double last_time = 0.0;
  const auto error = read_csv_rows(
      v_csv, v_header, [&](std::span<const std::string_view> f) -> std::optional<std::string> {
        double t = 0.0;
        std::uint32_t index = 0;
        if (auto e = parse_element(f, t, index)) return e;
        const auto v = csv_number(f[3]);
        if (!v) return fmt::format("v_mV `{}` is not a finite number", f[3]);
        if (!selected(selection, f[1], index)) return std::nullopt;
        last_time = std::max(last_time, t);
        element_key key{std::string(f[1]), index};
        auto it = trace_of.find(key);
        if (it == trace_of.end()) {
          if (trace_of.size() == max_traces) {
            others.insert(std::move(key));
            return std::nullopt;
          }
          figures::trace_data trace;
          trace.label = fmt::format("{}[{}]", key.first, key.second);
          if (const population_row* p = row_of(populations, key.first)) {
            trace.threshold = p->threshold;
            trace.rest = p->rest;
          }
          it = trace_of.emplace(std::move(key), data.traces.size()).first;
          data.traces.push_back(std::move(trace));
          readings.emplace_back();
        }
        figures::trace_data& trace = data.traces[it->second];
        reading& r = readings[it->second];
        if (r.last && t <= *r.last)
          return fmt::format("time {} ms of {}[{}] does not follow {} ms", t, f[1], index, *r.last);
        if (!r.first) r.first = t;
        r.last = t;
        if (selection.from && t < *selection.from) {
          r.before = {t, *v};
          return std::nullopt;
        }
        if (selection.to && t > *selection.to) {
          const bool drawn = !r.after && (!trace.times.empty() || r.before);
          r.after = true;
          if (!drawn) return std::nullopt;
        }
        if (r.before) {
          trace.times.push_back(r.before->first);
          trace.v.push_back(r.before->second);
          r.before.reset();
        }
        trace.times.push_back(t);
        trace.v.push_back(*v);
        return std::nullopt;
      });
  if (error) return results_error{v_csv, *error};
  // Spikes: those given, else spikes.csv's.
  std::map<element_key, std::vector<double>> from_file;
  if (sources.spikes_csv) {
    const auto read = read_csv_rows(
        *sources.spikes_csv, spikes_header,
        [&](std::span<const std::string_view> f) -> std::optional<std::string> {
          double t = 0.0;
          std::uint32_t index = 0;
          if (auto e = parse_element(f, t, index)) return e;
          element_key key{std::string(f[1]), index};
          if (trace_of.contains(key) && !sources.spikes.contains(key) && in_window(selection, t))
            from_file[key].push_back(t);
          return std::nullopt;
        });
    if (read) return results_error{*sources.spikes_csv, *read};
  }
  // Marks from the trace's first sample: a recording begun after a run has no line under the
  // neuron's earlier spikes, and spikes.csv may not hold them.
  for (const auto& [key, i] : trace_of) {
    const double since = readings[i].first.value_or(0.0);
    const auto marked = [&](double t) { return t >= since && in_window(selection, t); };
    const auto given = sources.spikes.find(key);
    const std::vector<double>* spikes = given != sources.spikes.end() ? &given->second : nullptr;
    if (!spikes && from_file.contains(key)) spikes = &from_file[key];
    if (spikes)
      for (const double t : *spikes)
        if (marked(t)) data.traces[i].spikes.push_back(t);
    if (const auto in = sources.inputs.find(key); in != sources.inputs.end())
      for (const double t : in->second)
        if (marked(t)) data.traces[i].inputs.push_back(t);
  }
  set_window(selection, populations, last_time, data.from, data.to);
  data.title = others.empty() ? "Membrane potential"
                              : fmt::format("Membrane potential: the first {} of {} neurons",
                                            data.traces.size(), data.traces.size() + others.size());
  return data;
}

}  // namespace syn::dsl
