#include "syn/engine/simulator.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>

#include "parallel/epoch_loop.hpp"
#include "syn/engine/model_error.hpp"

namespace syn {

std::uint32_t usable_cores() {
  cpu_set_t cores;
  if (sched_getaffinity(0, sizeof(cores), &cores) == 0)
    return static_cast<std::uint32_t>(std::max(1, CPU_COUNT(&cores)));
  return std::max(1u, std::thread::hardware_concurrency());
}

struct simulator::impl : detail::epoch_loop {
  using epoch_loop::epoch_loop;
};

simulator::simulator(const network& net, std::uint32_t threads, process_group* group)
    : impl_(std::make_unique<impl>(net, threads, group)) {}
simulator::~simulator() = default;
simulator::simulator(simulator&&) noexcept = default;
simulator& simulator::operator=(simulator&&) noexcept = default;

void simulator::record_v(std::vector<node_id> neurons, double interval) {
  impl_->record_v(std::move(neurons), interval);
}

void simulator::stream_to(record_sink* sink) { impl_->stream_to(sink); }
void simulator::limit_memory(std::size_t bytes) { impl_->limit_memory(bytes); }

void simulator::run(double duration) {
  if (!(duration >= 0.0) || !std::isfinite(duration))
    throw model_error(fmt::format("run: duration ({} ms) must be zero or positive", duration));
  impl_->run_until(impl_->time() + duration);
}

void simulator::run_until(double end) { impl_->run_until(end); }
double simulator::time() const { return impl_->time(); }
double simulator::next_event_time() const { return impl_->next_time(); }
std::vector<pending_event> simulator::pending_events(std::size_t count) const {
  return impl_->pending_events(count);
}
double simulator::v(node_id neuron) const { return impl_->v(neuron); }
membrane_point simulator::v_at(node_id neuron, double t) const { return impl_->v_at(neuron, t); }
const std::vector<spike>& simulator::spikes() const { return impl_->spikes(); }
const std::vector<sample>& simulator::samples() const { return impl_->samples(); }
const run_stats& simulator::stats() const { return impl_->stats(); }
std::uint64_t simulator::synapse_count() const { return impl_->synapse_count(); }
std::uint64_t simulator::synapse_bytes() const { return impl_->synapse_bytes(); }
std::uint32_t simulator::threads() const { return impl_->parts(); }
double simulator::epoch_length() const { return impl_->epoch_length(); }

}  // namespace syn
