#include "run/model_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "files/print_text.hpp"
#include "semantics/value_ranges.hpp"
#include "syn/engine/run_error.hpp"

namespace syn::dsl {

namespace {

// The alone PSPs a neuron's report keeps (the rest are counted).
constexpr std::size_t psps_kept = 100;

// ms: epochs shorter than this (the smallest delay) are worth a word in the summary: a tenth of
// the shortest axonal delays models usually have, where the threads' exchanges start to cost
// more than their epochs' work.
constexpr double short_epoch = 0.01;

// The neurons whose PSPs are measured: those of the `measure psp` statements, else every
// single-neuron population that receives input.
std::vector<node_id> measured_neurons(const model& m, const lowered& l) {
  std::vector<node_id> neurons;
  for (const psp_measure& p : m.psp_measures)
    for (std::uint32_t e = p.target.first; e <= p.target.last; ++e)
      neurons.push_back(l.first_node[p.target.group] + e);
  if (!neurons.empty()) return neurons;
  for (std::uint32_t g = 0; g < m.groups.size(); ++g)
    if (!m.groups[g].is_train && m.groups[g].size == 1) neurons.push_back(l.first_node[g]);
  std::vector<bool> receives(neurons.size(), false);
  const auto candidate = [&](node_id post) {
    return std::binary_search(neurons.begin(), neurons.end(), post);
  };
  l.net.each_synapse(candidate, [&](const connection& c, double) {
    receives[std::lower_bound(neurons.begin(), neurons.end(), c.post) - neurons.begin()] = true;
  });
  std::vector<node_id> chosen;
  for (std::size_t i = 0; i < neurons.size(); ++i)
    if (receives[i]) chosen.push_back(neurons[i]);
  return chosen;
}

}  // namespace

model_run::model_run(const model& m, run_options options, lowered net)
    : model_(&m),
      options_(std::move(options)),
      names_{&m, net.first_node},
      receptor_of_(net.receptor_of) {
  const auto start = std::chrono::steady_clock::now();
  if (options_.measure || !m.psp_measures.empty())
    probe_ = std::make_unique<psp_probe>(net.net, measured_neurons(m, net), m.now(), psps_kept);
  // The neurons a figure traces: their spikes and inputs are marked on their traces.
  for (const figure_request& f : m.figures) {
    if (!f.voltage) continue;
    std::size_t taken = 0;
    for (const element_range& r : f.targets)
      for (std::uint32_t e = r.first; e <= r.last && taken < max_traces; ++e, ++taken)
        traced_.push_back(first_node(r.group) + e);
  }
  if (!traced_.empty()) {
    // Their spikes, marked even when not recorded, and their inputs.
    traced_spikes_ = std::make_unique<spike_keeper>(traced_);
    arrivals_ = std::make_unique<arrival_recorder>(net.net, traced_, most_arrivals_marked + 1);
  }
  sim_ = std::make_unique<simulator>(net.net, options_.threads, options_.group);
  neurons_ = net.net.neuron_count();
  nodes_ = net.net.node_count();
  start_v_records();
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<double> model_run::recorded_since() const {
  std::vector<double> since(nodes_, std::numeric_limits<double>::infinity());
  for (const spike_record& r : model_->spike_records) {
    const auto from = [&](node_id node) { since[node] = std::min(since[node], r.since); };
    if (!r.target) {
      for (node_id node = 0; node < since.size(); ++node) from(node);
      continue;
    }
    for (std::uint32_t e = r.target->first; e <= r.target->last; ++e)
      from(first_node(r.target->group) + e);
  }
  return since;
}

std::string model_run::stopped(const run_error& e) const {
  const auto neuron = [&] {
    const auto [name, index] = element_of(e.node());
    return fmt::format("{}[{}]", *name, index);
  };
  switch (e.why()) {
    case run_error::reason::runaway:
      return fmt::format(
          "{} fired at {} ms and again at {} ms, less than 1 ns later: its "
          "drive is too strong for its refractory period",
          neuron(), e.first(), e.second());
    case run_error::reason::non_finite:
      return fmt::format(
          "{}: its membrane potential is no longer a finite number at {} ms; its "
          "parameters or inputs are too extreme to simulate",
          neuron(), e.first());
    case run_error::reason::memory:
      break;
  }
  if (!writer_)
    return fmt::format(
        "this run stopped at {} ms: the {:.3g} spikes and samples the session keeps and the "
        "{:.3g} spikes in flight need more than the memory syn may use; `reset` frees them, "
        "and `syn run` with `record spikes` keeps them on disk instead",
        sim_->time(), e.second(), e.first());
  return fmt::format(
      "this run stopped at {} ms with {:.3g} spikes in flight (each waits in memory until its "
      "delay has passed), more than the memory syn may use holds; shorten the delays, lower "
      "the rates, make the network smaller or raise SYN_MEMORY",
      sim_->time(), e.first());
}

bool model_run::open_outputs(std::string& error) {
  const bool spikes = !model_->spike_records.empty();
  const bool voltages = !model_->v_records.empty();
  if (spikes || voltages) {
    std::vector<std::string> outputs{"spikes.csv", "v.csv", "populations.csv"};
    for (const figure_request& f : model_->figures) outputs.push_back(f.file);
    std::optional<output_folder> opened =
        output_folder::open(options_.out_dir, std::move(outputs), error);
    if (!opened) return false;
    folder_ = std::make_unique<output_folder>(std::move(*opened));
  }
  const auto create = [&](bool wanted, const char* name) {
    if (!wanted) return row_output{};
    return row_output{folder_->create(name, error),
                      fmt::format("'{}'", (options_.out_dir / name).string())};
  };
  row_output spike_file = create(spikes, "spikes.csv");
  if (spikes && !spike_file.file) return false;
  row_output v_file = create(voltages, "v.csv");
  if (voltages && !v_file.file) {
    if (spike_file.file) std::fclose(spike_file.file);
    return false;
  }
  row_output stream;
  if (options_.spike_stream) stream = {options_.spike_stream, "the spikes to standard output"};
  writer_ = std::make_unique<record_writer>(names_, recorded_since(), std::move(spike_file),
                                            std::move(v_file), std::move(stream));
  statistics_ = std::make_unique<population_statistics>(*model_, names_.first_node);
  tee_ = std::make_unique<record_tee>(std::vector<record_sink*>{
      writer_.get(), statistics_.get(), probe_.get(), traced_spikes_.get(), arrivals_.get()});
  sim_->stream_to(tee_.get());
  return true;
}

bool model_run::close_outputs(std::string& error) {
  if (!writer_) return true;
  sim_->stream_to(nullptr);
  const std::map<node_id, std::vector<double>> traced_spikes =
      traced_spikes_ ? traced_spikes_->kept() : std::map<node_id, std::vector<double>>{};
  const bool closed = writer_->close(error);
  writer_.reset();
  if (!closed) return false;
  if (!folder_) return true;
  if (!write_figures(traced_spikes, error) || !write_population_table(error)) return false;
  const bool committed = folder_->commit(error);
  folder_.reset();
  folder_written_ = committed;
  return committed;
}

bool model_run::run_all(std::FILE* progress_out, std::string& error) {
  try {
    run_slices(progress_out);
    if (probe_) psps_ = probe_->finish();
  } catch (const run_error& e) {
    error = stopped(e);
    if (e.why() == run_error::reason::memory && running_ < model_->run_spans.size())
      failed_at_ = model_->run_spans[running_];
    return false;
  } catch (const output_error& e) {
    error = e.what();
    return false;
  }
  return true;
}

bool model_run::advance(double end, const volatile std::sig_atomic_t* stop, std::string& error) {
  const auto start = std::chrono::steady_clock::now();
  try {
    start_v_records();
    if (probe_ && !tee_) {
      // The REPL: later runs may come, so a PSP is followed as far as time goes, and judged when
      // the next input arrives or a run ends after it is over.
      probe_->read_kept_spikes();
      probe_->set_horizon(max_time);
    }
    if (!stop) {
      run_engine(end);
    } else {
      // Slices of a thousandth of the run, and at most 10 ms, so that a stop comes soon even in a
      // long run of a busy network; they end at absolute times: results do not depend on them.
      const double from = sim_->time();
      const auto slices =
          static_cast<std::uint64_t>(std::max(1000.0, std::ceil((end - from) / 10.0)));
      for (std::uint64_t i = 1; i <= slices && !*stop; ++i)
        run_engine(i == slices ? end
                               : from + (end - from) * static_cast<double>(i) /
                                            static_cast<double>(slices));
    }
    if (probe_) probe_->settle(sim_->time());
  } catch (const run_error& e) {
    error = stopped(e);
    return false;
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

std::vector<population_row> model_run::populations() const {
  const double end = sim_->time();
  return population_rows(
      *model_, statistics_ ? statistics_->summaries(end) : std::vector<population_summary>{}, end);
}

bool model_run::write_population_table(std::string& error) {
  std::string text;
  write_populations_csv(text, populations());
  return folder_->write("populations.csv", text, error);
}

bool model_run::write_figures(const std::map<node_id, std::vector<double>>& traced_spikes,
                              std::string& error) {
  const std::vector<population_row> rows = populations();
  trace_sources sources;
  if (!model_->spike_records.empty()) sources.spikes_csv = folder_->temporary_path("spikes.csv");
  for (const auto& [node, times] : traced_spikes) {
    const auto [name, index] = element_of(node);
    sources.spikes[{*name, index}] = times;
  }
  // Each input's arrival, where they are few enough to be told apart on a trace.
  for (const node_id node : traced_) {
    const std::vector<input_arrival> inputs = arrivals_->arrivals_onto(node);
    if (inputs.size() > most_arrivals_marked) continue;
    const auto [name, index] = element_of(node);
    std::vector<double>& times = sources.inputs[{*name, index}];
    for (const input_arrival& a : inputs)
      if (times.empty() || times.back() != a.time) times.push_back(a.time);
  }
  for (const figure_request& f : model_->figures) {
    figure_selection selection;
    for (const element_range& r : f.targets)
      selection.elements.push_back({model_->groups[r.group].name, r.first, r.last});
    std::string svg;
    if (f.voltage) {
      auto data = traces_of(folder_->temporary_path("v.csv"), sources, rows, selection);
      if (const auto* e = std::get_if<results_error>(&data)) {
        error = e->message();
        return false;
      }
      svg = figures::traces_svg(std::get<figures::traces_data>(data));
    } else {
      auto data = raster_of(folder_->temporary_path("spikes.csv"), rows, selection);
      if (const auto* e = std::get_if<results_error>(&data)) {
        error = e->message();
        return false;
      }
      svg = figures::raster_svg(std::get<figures::raster_data>(data));
    }
    if (!folder_->write(f.file, svg, error)) return false;
  }
  return true;
}

void model_run::start_v_records() {
  for (; v_records_started_ < model_->v_records.size(); ++v_records_started_) {
    const v_record& v = model_->v_records[v_records_started_];
    if (v.since > sim_->time()) return;
    std::vector<node_id> nodes;
    for (const element_range& r : v.targets)
      for (std::uint32_t e = r.first; e <= r.last; ++e) nodes.push_back(first_node(r.group) + e);
    sim_->record_v(std::move(nodes), v.interval);
  }
}

void model_run::run_slices(std::FILE* progress_out) {
  const auto start = std::chrono::steady_clock::now();
  const double total = model_->run_ends.empty() ? 0.0 : model_->run_ends.back();
  for (running_ = 0; running_ < model_->run_ends.size(); ++running_) {
    const double end = model_->run_ends[running_];
    start_v_records();
    if (!progress_out) {
      run_engine(end);
      continue;
    }
    // On a terminal, in slices, so a long run shows how far it got. Runs end at absolute
    // times, so slicing changes nothing in the results.
    constexpr int slices = 100;
    const double from = sim_->time();
    auto last_print = std::chrono::steady_clock::now();
    for (int i = 1; i <= slices; ++i) {
      run_engine(i == slices ? end : from + (end - from) * i / slices);
      const auto now = std::chrono::steady_clock::now();
      if (now - last_print > std::chrono::milliseconds(250) &&
          now - start > std::chrono::seconds(1)) {
        print_text(progress_out, "\rsyn: {:5.1f} % of {} ms simulated",
                   100.0 * sim_->time() / total, total);
        std::fflush(progress_out);
        last_print = now;
      }
    }
  }
  if (progress_out && std::chrono::steady_clock::now() - start > std::chrono::seconds(1))
    print_text(progress_out, "\r{:60}\r", "");
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void model_run::run_engine(double end) {
  if (probe_)
    probe_->run_until(*sim_, end);
  else
    sim_->run_until(end);
}

run_summary model_run::summary() const {
  run_summary r;
  const run_stats& s = sim_->stats();
  r.neurons = neurons_;
  r.synapses = sim_->synapse_count();
  r.bytes_per_synapse = r.synapses ? static_cast<double>(sim_->synapse_bytes()) / r.synapses : 0.0;
  r.spikes = s.neuron_spikes;
  r.simulated_ms = sim_->time();
  r.events = s.events;
  r.threads = sim_->threads();
  r.processes = options_.group ? options_.group->size() : 1;
  r.epochs = s.epochs;
  r.epoch_ms = sim_->epoch_length();
  r.wall_seconds = seconds_;
  r.seed = options_.seed.value_or(model_->seed_set ? model_->seed : default_seed);
  if (!model_->spike_records.empty() || !model_->v_records.empty())
    r.out = options_.out_dir.string();
  if (statistics_) r.populations = statistics_->summaries(sim_->time());
  if (psps_) r.psps = named(*psps_);
  return r;
}

std::optional<std::vector<measured_neuron>> model_run::psps_so_far() const {
  if (!probe_) return std::nullopt;
  return named(probe_->reports());
}

std::vector<measured_neuron> model_run::named(const std::vector<psp_report>& reports) const {
  const auto name = [&](node_id node) {
    const auto [group, index] = element_of(node);
    return fmt::format("{}[{}]", *group, index);
  };
  std::vector<measured_neuron> out;
  for (const psp_report& report : reports) {
    measured_neuron n{
        name(report.neuron), {}, report.alone_count, report.overlapping, report.unfinished};
    for (const psp& p : report.alone)
      n.alone.push_back({p.input.time, name(p.input.pre),
                         model_->receptors[receptor_of_[p.input.receptor]].name,
                         p.input.conductance, p.shape});
    out.push_back(std::move(n));
  }
  return out;
}

void model_run::print_summary(std::FILE* out) const {
  const run_summary r = summary();
  const double seconds_simulated = r.simulated_ms / 1000.0;
  const double rate = r.neurons && seconds_simulated > 0
                          ? static_cast<double>(r.spikes) / r.neurons / seconds_simulated
                          : 0.0;
  print_text(out,
             "syn: {} neuron{}, {} synapse{}{}, {} ms simulated: {} spike{} ({:.3g} Hz per "
             "neuron), {} events in {:.3g} s\n",
             r.neurons, r.neurons == 1 ? "" : "s", r.synapses, r.synapses == 1 ? "" : "s",
             r.synapses ? fmt::format(" ({:.1f} bytes each)", r.bytes_per_synapse) : "",
             r.simulated_ms, r.spikes, r.spikes == 1 ? "" : "s", rate, r.events, r.wall_seconds);
  if (r.threads > 1 || r.processes > 1)
    print_text(out, "syn: {}, {} exchanges of spikes{}\n",
               r.processes > 1 ? fmt::format("{} processes of {} thread{}", r.processes, r.threads,
                                             r.threads == 1 ? "" : "s")
                               : fmt::format("{} threads", r.threads),
               r.epochs,
               std::isfinite(r.epoch_ms)
                   ? fmt::format(", at most {} ms apart (the smallest delay){}", r.epoch_ms,
                                 r.epoch_ms < short_epoch ? ": so short an epoch leaves the "
                                                            "threads waiting on each other"
                                                          : "")
                   : "");
  // Each neuron population's rate, CV and synchrony; a long list stops early (populations.csv
  // and --summary json have them all).
  constexpr std::size_t listed = 8;
  std::size_t shown = 0, more = 0;
  for (const population_summary& p : r.populations) {
    if (p.is_train) continue;
    if (shown == listed) {
      ++more;
      continue;
    }
    ++shown;
    const auto optional = [](const char* name, const std::optional<double>& x) {
      return x ? fmt::format(", {} {:.3g}", name, *x) : std::string();
    };
    print_text(out, "syn:   {:<12} {:>8} neuron{} {:>9} spike{}  {:.3g} Hz{}{}\n", p.name, p.size,
               p.size == 1 ? " " : "s", p.spikes, p.spikes == 1 ? " " : "s",
               p.rate_hz.value_or(0.0), optional("CV", p.cv_isi),
               optional("synchrony", p.synchrony));
  }
  if (more)
    print_text(out, "syn:   and {} more population{}{}\n", more, more == 1 ? "" : "s",
               folder_written_
                   ? fmt::format(" (all in {})", (options_.out_dir / "populations.csv").string())
                   : "");
  if (r.out) print_text(out, "syn: wrote {}\n", *r.out);
}

}  // namespace syn::dsl
