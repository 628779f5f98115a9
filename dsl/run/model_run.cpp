#include "run/model_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "syn/engine/run_error.hpp"

namespace syn::dsl {

model_run::model_run(const model& m, run_options options, lowered net)
    : model_(&m), options_(std::move(options)), names_{&m, std::move(net.first_node)} {
  const auto start = std::chrono::steady_clock::now();
  sim_ = std::make_unique<simulator>(net.net);
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
  // The spikes of the neurons a figure traces, marked on their traces even when not recorded.
  std::vector<node_id> traced;
  for (const figure_request& f : model_->figures) {
    if (!f.voltage) continue;
    std::size_t taken = 0;
    for (const element_range& r : f.targets)
      for (std::uint32_t e = r.first; e <= r.last && taken < max_traces; ++e, ++taken)
        traced.push_back(first_node(r.group) + e);
  }
  writer_->keep_spikes_of(std::move(traced));
  sim_->stream_to(writer_.get());
  return true;
}

bool model_run::close_outputs(std::string& error) {
  if (!writer_) return true;
  sim_->stream_to(nullptr);
  group_spikes_ = writer_->group_spikes();
  std::map<node_id, std::vector<double>> traced_spikes = writer_->kept_spikes();
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
    if (!stop) {
      sim_->run_until(end);
    } else {
      // Slices of a thousandth of the run, and at most 10 ms, so that a stop comes soon even in a
      // long run of a busy network; they end at absolute times: results do not depend on them.
      const double from = sim_->time();
      const auto slices =
          static_cast<std::uint64_t>(std::max(1000.0, std::ceil((end - from) / 10.0)));
      for (std::uint64_t i = 1; i <= slices && !*stop; ++i)
        sim_->run_until(i == slices ? end
                                    : from + (end - from) * static_cast<double>(i) /
                                                 static_cast<double>(slices));
    }
  } catch (const run_error& e) {
    error = stopped(e);
    return false;
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

std::vector<population_row> model_run::populations() const {
  return population_rows(*model_, group_spikes_, sim_->time());
}

bool model_run::write_output(const std::string& name, const std::string& text, std::string& error) {
  std::FILE* out = folder_->create(name, error);
  if (!out) return false;
  std::fwrite(text.data(), 1, text.size(), out);
  const bool failed = std::ferror(out) != 0;
  if (std::fclose(out) != 0 || failed) {
    error = fmt::format("cannot write '{}': {}", (options_.out_dir / name).string(),
                        std::strerror(errno));
    return false;
  }
  return true;
}

bool model_run::write_population_table(std::string& error) {
  std::string text;
  write_populations_csv(text, populations());
  return write_output("populations.csv", text, error);
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
    if (!write_output(f.file, svg, error)) return false;
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
      sim_->run_until(end);
      continue;
    }
    // On a terminal, in slices, so a long run shows how far it got. Runs end at absolute
    // times, so slicing changes nothing in the results.
    constexpr int slices = 100;
    const double from = sim_->time();
    auto last_print = std::chrono::steady_clock::now();
    for (int i = 1; i <= slices; ++i) {
      sim_->run_until(i == slices ? end : from + (end - from) * i / slices);
      const auto now = std::chrono::steady_clock::now();
      if (now - last_print > std::chrono::milliseconds(250) &&
          now - start > std::chrono::seconds(1)) {
        fmt::print(progress_out, "\rsyn: {:5.1f} % of {} ms simulated",
                   100.0 * sim_->time() / total, total);
        std::fflush(progress_out);
        last_print = now;
      }
    }
  }
  if (progress_out && std::chrono::steady_clock::now() - start > std::chrono::seconds(1))
    fmt::print(progress_out, "\r{:60}\r", "");
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void model_run::print_summary(std::FILE* out) const {
  const run_stats& s = sim_->stats();
  const std::uint64_t neuron_spikes = s.neuron_spikes;
  const double seconds_simulated = sim_->time() / 1000.0;
  const double rate = neurons_ && seconds_simulated > 0
                          ? static_cast<double>(neuron_spikes) / neurons_ / seconds_simulated
                          : 0.0;
  const std::uint64_t synapses = sim_->synapse_count();
  fmt::print(out,
             "syn: {} neuron{}, {} synapse{}{}, {} ms simulated: {} spike{} ({:.3g} Hz per "
             "neuron), {} events in {:.3g} s\n",
             neurons_, neurons_ == 1 ? "" : "s", synapses, synapses == 1 ? "" : "s",
             synapses ? fmt::format(" ({:.1f} bytes each)",
                                    static_cast<double>(sim_->synapse_bytes()) / synapses)
                      : "",
             sim_->time(), neuron_spikes, neuron_spikes == 1 ? "" : "s", rate, s.events, seconds_);
  // Each neuron population's rate; a long list stops early (populations.csv has them all).
  constexpr std::size_t listed = 8;
  std::size_t shown = 0, more = 0;
  for (const population_row& p : populations()) {
    if (p.is_train) continue;
    if (shown == listed) {
      ++more;
      continue;
    }
    ++shown;
    fmt::print(out, "syn:   {:<12} {:>8} neuron{} {:>9} spike{}  {:.3g} Hz\n", p.name, p.size,
               p.size == 1 ? " " : "s", p.spikes, p.spikes == 1 ? " " : "s",
               std::isnan(p.rate) ? 0.0 : p.rate);
  }
  if (more)
    fmt::print(out, "syn:   and {} more population{}{}\n", more, more == 1 ? "" : "s",
               folder_written_
                   ? fmt::format(" (all in {})", (options_.out_dir / "populations.csv").string())
                   : "");
  if (!model_->spike_records.empty() || !model_->v_records.empty())
    fmt::print(out, "syn: wrote {}\n", options_.out_dir.string());
}

}  // namespace syn::dsl
