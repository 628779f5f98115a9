#include "run/model_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "run/csv_files.hpp"
#include "syn/engine/run_error.hpp"

namespace syn::dsl {

model_run::model_run(const model& m, run_options options, lowered net)
    : model_(&m), options_(std::move(options)), first_node_(std::move(net.first_node)) {
  const auto start = std::chrono::steady_clock::now();
  sim_ = std::make_unique<simulator>(net.net);
  neurons_ = net.net.neuron_count();
  recorded_since_.assign(net.net.node_count(), std::numeric_limits<double>::infinity());
  for (const spike_record& r : m.spike_records) {
    const auto from = [&](node_id node) {
      recorded_since_[node] = std::min(recorded_since_[node], r.since);
    };
    if (!r.target) {
      for (node_id node = 0; node < recorded_since_.size(); ++node) from(node);
      continue;
    }
    for (std::uint32_t e = r.target->first; e <= r.target->last; ++e)
      from(first_node_[r.target->group] + e);
  }
  start_v_records();
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string model_run::runaway(const run_error& e) const {
  const auto [name, index] = element_of(e.node());
  return fmt::format(
      "{}[{}] fired at {} ms and again at {} ms, less than 1 ns later: its "
      "drive is too strong for its refractory period",
      *name, index, e.first(), e.second());
}

bool model_run::run_all(std::FILE* progress_out, std::string& error) {
  try {
    run_slices(progress_out);
  } catch (const run_error& e) {
    error = runaway(e);
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
    error = runaway(e);
    return false;
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

void model_run::start_v_records() {
  for (; v_records_started_ < model_->v_records.size(); ++v_records_started_) {
    const v_record& v = model_->v_records[v_records_started_];
    if (v.since > sim_->time()) return;
    std::vector<node_id> nodes;
    for (const element_range& r : v.targets)
      for (std::uint32_t e = r.first; e <= r.last; ++e) nodes.push_back(first_node_[r.group] + e);
    sim_->record_v(std::move(nodes), v.interval);
  }
}

void model_run::run_slices(std::FILE* progress_out) {
  const auto start = std::chrono::steady_clock::now();
  const double total = model_->run_ends.empty() ? 0.0 : model_->run_ends.back();
  for (const double end : model_->run_ends) {
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

std::pair<const std::string*, std::uint32_t> model_run::element_of(node_id node) const {
  const auto it = std::upper_bound(first_node_.begin(), first_node_.end(), node);
  const auto g = static_cast<std::size_t>(it - first_node_.begin()) - 1;
  return {&model_->groups[g].name, node - first_node_[g]};
}

bool model_run::recorded(const spike& s) const { return s.time >= recorded_since_[s.node]; }

namespace {

// The recorded spikes as CSV rows, header first, a chunk at a time in reused storage: a run can
// record millions, and memory fresh from the system costs a page fault per 4 kB.
void write_spike_rows(std::FILE* out, const std::vector<spike>& spikes, const auto& recorded,
                      const auto& element_of) {
  constexpr std::size_t chunk = 4096;
  std::vector<spike_row> rows;
  rows.reserve(chunk);
  for (std::size_t first = 0; first == 0 || first < spikes.size(); first += chunk) {
    rows.clear();
    for (std::size_t i = first; i < std::min(first + chunk, spikes.size()); ++i) {
      if (!recorded(spikes[i])) continue;
      const auto [name, index] = element_of(spikes[i].node);
      rows.push_back({spikes[i].time, *name, index});
    }
    if (first == 0) {
      write_spikes_csv(out, rows);
    } else {
      append_spikes_csv(out, rows);
    }
  }
}

}  // namespace

bool model_run::write_outputs(std::string& error) const {
  const bool spikes = !model_->spike_records.empty();
  const bool voltages = !model_->v_records.empty();
  if (!spikes && !voltages) return true;
  std::error_code ec;
  std::filesystem::create_directories(options_.out_dir, ec);
  if (ec) {
    error = fmt::format("cannot create the output folder '{}': {}", options_.out_dir.string(),
                        ec.message());
    return false;
  }
  const auto write = [&](const char* name, const auto& body) {
    const auto path = options_.out_dir / name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
      error = fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno));
      return false;
    }
    body(f);
    const bool failed = std::ferror(f) != 0;
    if (std::fclose(f) != 0 || failed) {
      error = fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno));
      return false;
    }
    return true;
  };
  const auto by_node = [&](node_id n) { return element_of(n); };
  const auto is_recorded = [&](const spike& s) { return recorded(s); };
  if (spikes && !write("spikes.csv", [&](std::FILE* f) {
        write_spike_rows(f, sim_->spikes(), is_recorded, by_node);
      }))
    return false;
  if (voltages && !write("v.csv", [&](std::FILE* f) {
        std::vector<v_row> rows;
        rows.reserve(sim_->samples().size());
        for (const sample& s : sim_->samples()) {
          const auto [name, index] = element_of(s.node);
          rows.push_back({s.time, *name, index, s.v});
        }
        write_v_csv(f, rows);
      }))
    return false;
  return true;
}

void model_run::stream_spikes(std::FILE* out) const {
  const auto by_node = [&](node_id n) { return element_of(n); };
  const auto is_recorded = [&](const spike& s) { return recorded(s); };
  write_spike_rows(out, sim_->spikes(), is_recorded, by_node);
}

void model_run::print_summary(std::FILE* out) const {
  const run_stats& s = sim_->stats();
  std::uint64_t neuron_spikes = 0;
  for (const spike& sp : sim_->spikes())
    if (!model_
             ->groups[static_cast<std::size_t>(
                          std::upper_bound(first_node_.begin(), first_node_.end(), sp.node) -
                          first_node_.begin()) -
                      1]
             .is_train)
      ++neuron_spikes;
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
  if (!model_->spike_records.empty() || !model_->v_records.empty())
    fmt::print(out, "syn: wrote {}\n", options_.out_dir.string());
}

}  // namespace syn::dsl
