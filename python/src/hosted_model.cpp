#include "hosted_model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tools/command_line_value.hpp"
#include "tools/repl/command_text.hpp"

namespace syn::python {

namespace fs = std::filesystem;

namespace {

// The diagnostics as `syn` prints them on a pipe: without colour.
std::string rendered(const dsl::diagnostics& diags) {
  std::string text;
  for (const dsl::diagnostic& d : diags.all()) text += dsl::render(d, false);
  return text;
}

}  // namespace

hosted_model::hosted_model(model_options options)
    : options_(std::move(options)),
      path_(dsl::library_path::from_environment(options_.include_dirs)) {
  if (!options_.stdlib_dir.empty()) path_.stdlib_dir = options_.stdlib_dir;
  std::vector<std::string> arguments;
  for (const auto& [name, value] : options_.settings)
    arguments.push_back(fmt::format("{}={}", name, value));
  dsl::diagnostics diags;
  if (!params_.read(arguments, diags)) throw model_error(rendered(diags));
  session_ =
      std::make_unique<dsl::session>(path_, out_.file(), err_.file(), false,
                                     dsl::session_settings{options_.seed, params_.settings, true});
}

void hosted_model::load_file(const std::string& path) { taken(session_->load_model_file(path)); }

void hosted_model::load_text(const std::string& whole) {
  // A byte order mark, which Python's open() keeps, as a file's (dsl::read_source_file).
  std::string_view text = whole;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  taken(session_->load_model_text(text));
}

void hosted_model::execute(std::string_view input) { taken(session_->execute(input)); }

void hosted_model::taken(bool ok) {
  out_.take();
  if (!ok) throw model_error(err_.take());
}

std::string hosted_model::take_warnings() { return err_.take(); }

void hosted_model::add(std::string_view statements) {
  // A command of the REPL's (`show`, `:save`) is no statement; `time = 3 ms` is one.
  if (const std::string_view text = dsl::trim(statements); dsl::session::is_command(text))
    throw model_error(fmt::format("syn: error: '{}' is a command of the REPL, not a statement\n",
                                  dsl::first_word(text).first));
  execute(statements);
}

void hosted_model::run(std::string_view duration) {
  if (duration.find_first_of("\n;#") != std::string_view::npos)
    throw model_error(fmt::format("syn: error: '{}' is not a duration\n", duration));
  execute(fmt::format("run {}", duration));
}

std::string hosted_model::show(std::string_view name) {
  if (!session_->execute(fmt::format("show {}", name))) {
    out_.take();
    throw model_error(err_.take());
  }
  return out_.take();
}

std::vector<std::string> hosted_model::groups() const {
  std::vector<std::string> names;
  for (const dsl::group& g : session_->current_model().groups) names.push_back(g.name);
  return names;
}

std::uint64_t hosted_model::synapse_count() const {
  const dsl::model_run* sim = session_->simulation();
  return sim ? sim->engine().synapse_count() : 0;
}

const dsl::model_run& hosted_model::simulation() {
  const dsl::model_run* sim = session_->simulation();
  if (!sim) throw model_error(err_.take());
  return *sim;
}

spike_columns hosted_model::spikes(bool recorded_only) {
  const dsl::model_run& sim = simulation();
  const std::size_t group_count = session_->current_model().groups.size();
  std::vector<node_id> first_nodes;
  for (std::uint32_t g = 0; g < group_count; ++g) first_nodes.push_back(sim.first_node(g));
  const std::vector<double> since = recorded_only ? sim.recorded_since() : std::vector<double>{};
  spike_columns columns;
  for (const spike& s : sim.engine().spikes()) {
    if (recorded_only && s.time < since[s.node]) continue;
    const auto after = std::upper_bound(first_nodes.begin(), first_nodes.end(), s.node);
    const auto g = static_cast<std::uint32_t>(after - first_nodes.begin() - 1);
    columns.times.push_back(s.time);
    columns.groups.push_back(g);
    columns.indices.push_back(s.node - first_nodes[g]);
  }
  return columns;
}

trace_columns hosted_model::v(std::string_view neuron) {
  std::string error;
  const std::optional<dsl::element_filter> f = dsl::command_line_elements(neuron, error);
  if (!f) throw model_error(fmt::format("syn: error: {}\n", error));
  const dsl::model& m = session_->current_model();
  const auto g = std::find_if(m.groups.begin(), m.groups.end(),
                              [&](const dsl::group& x) { return x.name == f->name; });
  if (g == m.groups.end())
    throw model_error(fmt::format("syn: error: unknown population or train '{}'\n", f->name));
  const bool indexed = neuron.find('[') != std::string_view::npos;
  if (g->is_train)
    throw model_error(fmt::format("syn: error: '{}' is a train: it has no V\n", g->name));
  if ((indexed && f->first != f->last) || (!indexed && g->size != 1))
    throw model_error(fmt::format("syn: error: {} has {} neurons: name one, as {}[0]\n", g->name,
                                  g->size, g->name));
  const std::uint32_t index = indexed ? f->first : 0;
  if (index >= g->size)
    throw model_error(fmt::format("syn: error: {} has {} neuron{}; [{}] is out of range\n", g->name,
                                  g->size, g->size == 1 ? "" : "s", index));
  const dsl::model_run& sim = simulation();
  const node_id node = sim.first_node(static_cast<std::uint32_t>(g - m.groups.begin())) + index;
  trace_columns columns;
  for (const sample& s : sim.engine().samples()) {
    if (s.node != node) continue;
    columns.times.push_back(s.time);
    columns.v.push_back(s.v);
  }
  if (columns.times.empty() &&
      !std::any_of(m.v_records.begin(), m.v_records.end(), [&](const dsl::v_record& r) {
        return std::any_of(r.targets.begin(), r.targets.end(), [&](const dsl::element_range& e) {
          return &m.groups[e.group] == &*g && e.first <= index && index <= e.last;
        });
      }))
    throw model_error(fmt::format(
        "syn: error: V of {}[{}] is not recorded\nhint: record v of {}[{}] every 0.1 ms\n", g->name,
        index, g->name, index));
  return columns;
}

}  // namespace syn::python
