// The REPL's plot: V traces and rasters of what the session recorded, in the terminal or, with
// `to "FILE.svg"`, as the same figure `syn run` draws.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <unordered_set>
#include <utility>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "files/whole_file.hpp"
#include "tools/command_line_value.hpp"
#include "tools/repl/command_text.hpp"
#include "tools/repl/session_world.hpp"
#include "tools/terminal_plot.hpp"

namespace syn::dsl {
namespace {

constexpr const char* plot_usage =
    "usage: plot v of NAME[, NAME...] | plot spikes [of NAME[, NAME...]], then [from T] [to T] "
    "[to \"FILE.svg\"]";

// The words of a plot command, a quoted file name as one, commas apart.
std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    if (s[i] == '"') {
      end = s.find('"', i + 1);
      end = end == std::string_view::npos ? s.size() : end + 1;
    } else {
      while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != ',') ++end;
    }
    words.push_back(s.substr(i, end - i));
    i = end;
  }
  return words;
}

// The text from the first word to the last of words[a, b).
std::string_view span_of(const std::vector<std::string_view>& words, std::size_t a, std::size_t b) {
  return {words[a].data(),
          static_cast<std::size_t>(words[b - 1].data() + words[b - 1].size() - words[a].data())};
}

std::string_view span_of(const std::vector<std::string_view>& words) {
  return words.empty() ? std::string_view() : span_of(words, 0, words.size());
}

}  // namespace

bool session::plot(std::string_view args) {
  const std::vector<std::string_view> words = words_of(args);
  if (words.empty() || (words[0] != "v" && words[0] != "spikes")) return fail(plot_usage);
  const bool voltage = words[0] == "v";
  std::size_t i = 1;
  if (i < words.size() && words[i] == "of")
    ++i;
  else if (voltage)
    return fail(plot_usage);
  const auto is_clause = [](std::string_view w) { return w == "from" || w == "to"; };
  std::vector<std::string_view> targets;
  for (; i < words.size() && !is_clause(words[i]); ++i) targets.push_back(words[i]);
  if (voltage && targets.empty()) return fail(plot_usage);
  std::optional<double> from, to;
  std::optional<std::string_view> file;
  while (i < words.size()) {
    const std::string_view clause = words[i];
    const std::size_t start = ++i;
    while (i < words.size() && !is_clause(words[i])) ++i;
    if (start == i)
      return fail(fmt::format("'{}' needs a time, as in {} 20 ms", clause, clause), {}, clause);
    const std::string_view text = span_of(words, start, i);
    if (clause == "to" && text.front() == '"') {
      if (file || i != words.size()) return fail(plot_usage, {}, text);
      if (text.size() < 2 || text.back() != '"')
        return fail("the figure's file name needs its closing quote", {}, text);
      file = text.substr(1, text.size() - 2);
      if (!file->ends_with(".svg"))
        return fail(fmt::format("figures are SVG: '{}' must end in .svg", *file), {}, text);
      continue;
    }
    std::optional<double>& bound = clause == "from" ? from : to;
    if (bound) return fail(fmt::format("'{}' is given twice", clause), {}, clause);
    std::string error;
    bound = command_line_quantity(text, dims::time, error);
    if (!bound) return fail(error, {}, text);
  }
  if (!ensure_simulation()) return false;
  if (from || to)
    if (const auto problem = window_problem(from.value_or(0.0), to.value_or(world_->now)))
      return fail(*problem, to ? "" : fmt::format("the session is at {} ms", world_->now), args);

  std::vector<element_selection> selected;
  for (const std::string_view t : targets) {
    const auto sel = voltage ? neurons(t) : elements(t);
    if (!sel) return false;
    selected.push_back(*sel);
  }
  const engine_view view{world_->m, *world_->sim, from.value_or(0.0), to.value_or(world_->now)};
  const std::size_t most = file ? max_traces : plot_marks.size();
  if (!voltage) {
    const figures::raster_data data = raster_data_of(view, selected);
    std::size_t count = 0;
    for (const figures::raster_group& g : data.groups) count += g.times.size();
    if (file) return write_figure(*file, figures::raster_svg(data));
    fmt::print(
        out_, "{} spike{} of {}\n", count, count == 1 ? "" : "s",
        fmt::join(targets.empty() ? std::vector<std::string_view>{"every population"} : targets,
                  ", "));
    fmt::print(out_, "{}", plot_raster(data));
    return true;
  }
  std::string note;
  const std::optional<figures::traces_data> data =
      traces_data_of(view, selected, targets, most, file.has_value(), note);
  if (!data) return false;
  if (file) return write_figure(*file, figures::traces_svg(*data));
  std::vector<std::string> legend;
  for (std::size_t k = 0; k < data->traces.size(); ++k)
    legend.push_back(data->traces.size() == 1
                         ? data->traces[k].label
                         : fmt::format("{} ({})", data->traces[k].label, plot_marks[k]));
  fmt::print(out_, "V of {}\n", fmt::join(legend, ", "));
  if (!note.empty()) fmt::print(out_, "{}\n", note);
  fmt::print(out_, "{}", plot_traces(*data));
  return true;
}

figures::raster_data session::raster_data_of(const engine_view& view,
                                             const std::vector<element_selection>& selected) const {
  figures::raster_data data;
  data.title = "Spikes";
  data.from = view.from;
  data.to = view.to;
  std::vector<element_selection> shown = selected;
  if (shown.empty())
    for (std::uint32_t g = 0; g < view.m.groups.size(); ++g)
      shown.push_back({g, 0, view.m.groups[g].size - 1});
  std::vector<std::pair<node_id, node_id>> ranges;  // nodes of each group shown
  for (const element_selection& s : shown) {
    const group& g = view.m.groups[s.group];
    figures::raster_group r;
    r.name = s.first == 0 && s.last + 1 == g.size ? g.name
             : s.first == s.last                  ? fmt::format("{}[{}]", g.name, s.first)
                                 : fmt::format("{}[{}..{}]", g.name, s.first, s.last);
    r.size = s.last - s.first + 1;
    r.is_train = g.is_train;
    data.groups.push_back(std::move(r));
    const node_id first = view.sim.first_node(s.group) + s.first;
    ranges.emplace_back(first, first + (s.last - s.first));
  }
  for (const spike& sp : view.sim.engine().spikes()) {
    if (sp.time < view.from || sp.time > view.to) continue;
    for (std::size_t k = 0; k < ranges.size(); ++k)
      if (sp.node >= ranges[k].first && sp.node <= ranges[k].second) {
        data.groups[k].times.push_back(sp.time);
        data.groups[k].indices.push_back(static_cast<std::uint32_t>(sp.node - ranges[k].first));
      }
  }
  return data;
}

std::optional<figures::traces_data> session::traces_data_of(
    const engine_view& view, const std::vector<element_selection>& selected,
    const std::vector<std::string_view>& targets, std::size_t most, bool neighbours,
    std::string& note) {
  // The recorded neurons of each selection, in order.
  std::vector<node_id> recorded;
  std::vector<bool> has_samples;
  for (const sample& s : view.sim.engine().samples()) {
    if (s.node >= has_samples.size()) has_samples.resize(s.node + 1);
    has_samples[s.node] = true;
  }
  // The neurons named, each once however often it is named (a, a[0]).
  std::unordered_set<node_id> named;
  for (const element_selection& s : selected)
    for (std::uint32_t e = s.first; e <= s.last; ++e) {
      const node_id node = view.sim.first_node(s.group) + e;
      if (named.insert(node).second && node < has_samples.size() && has_samples[node])
        recorded.push_back(node);
    }
  const std::uint64_t listed = named.size();
  const std::string name = fmt::format("{}", fmt::join(targets, ", "));
  if (recorded.empty()) {
    fail(fmt::format("no samples of {}", name),
         fmt::format("record v of {} every 0.1 ms, then run", name), span_of(targets));
    return std::nullopt;
  }
  std::vector<node_id> shown(
      recorded.begin(),
      recorded.begin() + static_cast<std::ptrdiff_t>(std::min(most, recorded.size())));
  if (recorded.size() > shown.size())
    note = selected.size() == 1
               ? fmt::format(
                     "the first {} of the {} {}neurons of {}; plot v of {}[i] for another",
                     shown.size(), recorded.size(), recorded.size() == listed ? "" : "recorded ",
                     view.m.groups[selected[0].group].name, view.m.groups[selected[0].group].name)
               : fmt::format("the first {} of the {} recorded neurons of {}", shown.size(),
                             recorded.size(), name);
  else if (recorded.size() < listed)
    note = fmt::format("{} of the {} neurons of {}: the others are not recorded", recorded.size(),
                       listed, name);

  figures::traces_data data;
  data.title = fmt::format("Membrane potential of {}", name);
  data.from = view.from;
  data.to = view.to;
  for (const node_id node : shown) {
    // Not a structured binding: clang cannot capture one in the lambda below.
    const std::pair<const std::string*, std::uint32_t> element = view.sim.element_of(node);
    const std::string* group_name = element.first;
    figures::trace_data t;
    t.label = fmt::format("{}[{}]", *group_name, element.second);
    const auto g = std::find_if(view.m.groups.begin(), view.m.groups.end(),
                                [group_name](const group& gr) { return &gr.name == group_name; });
    t.threshold = g->params.threshold;
    t.rest = g->params.rest;
    data.traces.push_back(std::move(t));
  }
  const auto trace_of = [&](node_id node) -> figures::trace_data* {
    const auto at = std::find(shown.begin(), shown.end(), node);
    return at == shown.end() ? nullptr : &data.traces[static_cast<std::size_t>(at - shown.begin())];
  };
  // Spikes are marked from a trace's first sample, as in syn run's figures: a recording begun
  // after a run has no line under the earlier ones.
  std::vector<double> since(shown.size(), std::numeric_limits<double>::infinity());
  struct edges {
    std::optional<sample> before;
    std::size_t inside = 0;
    bool after = false;
  };
  std::vector<edges> edge(shown.size());
  for (const sample& s : view.sim.engine().samples())
    if (figures::trace_data* t = trace_of(s.node)) {
      const auto k = static_cast<std::size_t>(t - data.traces.data());
      since[k] = std::min(since[k], s.time);
      const bool after = s.time > view.to;
      if (s.time < view.from) {
        if (neighbours) edge[k].before = s;
        continue;
      }
      if (after && (!neighbours || edge[k].after || edge[k].inside == 0)) continue;
      edge[k].after |= after;
      edge[k].inside += !after;
      for (const std::optional<sample>& point :
           {std::exchange(edge[k].before, {}), std::optional<sample>(s)})
        if (point) {
          t->times.push_back(point->time);
          t->v.push_back(point->v);
        }
    }
  for (const spike& sp : view.sim.engine().spikes())
    if (figures::trace_data* t = trace_of(sp.node);
        t && sp.time >= view.from && sp.time <= view.to &&
        sp.time >= since[static_cast<std::size_t>(t - data.traces.data())])
      t->spikes.push_back(sp.time);
  for (std::size_t k = 0; k < data.traces.size(); ++k)
    if (edge[k].inside == 0) {
      const figures::trace_data& t = data.traces[k];
      fail(fmt::format("no samples of {} between {} ms and {} ms", t.label, view.from, view.to),
           "choose a window the recording covers", span_of(targets));
      return std::nullopt;
    }
  return data;
}

bool session::write_figure(std::string_view file, const std::string& svg) {
  std::string error;
  if (!write_whole_file(std::string(file), svg, error)) return fail(error, {}, file);
  fmt::print(out_, "wrote {}\n", file);
  return true;
}

}  // namespace syn::dsl
