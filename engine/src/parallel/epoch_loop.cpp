#include "parallel/epoch_loop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>
#include <tuple>

#include "parallel/spin_barrier.hpp"
#include "syn/engine/model_error.hpp"
#include "syn/engine/run_error.hpp"

namespace syn::detail {

namespace {

// ms: the first epoch's longest span, before the records it brings are known.
constexpr double first_span = 1.0;

// Records an epoch may bring before the next is made shorter (and a quarter as many before it
// is made longer): what a part keeps for its epoch then stays about as small as a single loop's
// chunk of streamed records.
constexpr std::size_t record_chunk = 4096;

double smallest_delay(const network& net) {
  double d = never;
  for (const connection& c : net.connections()) d = std::min(d, c.delay);
  return d;
}

// f(part) for every part, each on a thread of its own (the first on the caller's), the first
// exception rethrown when all are done.
template <typename F>
void on_each_part(std::uint32_t parts, F&& f) {
  std::vector<std::exception_ptr> errors(parts);
  {
    std::vector<std::jthread> threads;
    for (std::uint32_t p = 1; p < parts; ++p)
      threads.emplace_back([&, p] {
        try {
          f(p);
        } catch (...) {
          errors[p] = std::current_exception();
        }
      });
    try {
      f(0);
    } catch (...) {
      errors[0] = std::current_exception();
    }
  }
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

epoch_loop::epoch_loop(const network& net, std::uint32_t parts)
    : parts_(std::max(parts, 1u)),
      populations_(net.populations()),
      sent_(parts_.size()),
      failures_(parts_.size()),
      min_delay_(smallest_delay(net)),
      span_(std::min(min_delay_, first_span)) {
  on_each_part(this->parts(), [&](std::uint32_t p) {
    parts_[p] = std::make_unique<event_loop>(net, shard{p, this->parts()});
  });
}

event_loop& epoch_loop::owner_of(node_id neuron) const {
  for (const std::unique_ptr<event_loop>& part : parts_)
    if (part->holds(neuron)) return *part;
  throw model_error(fmt::format("node {} is not a neuron", neuron));
}

void epoch_loop::record_v(std::vector<node_id> neurons, double interval) {
  std::vector<std::uint32_t> owners;
  for (const node_id node : neurons) {
    const auto it = std::upper_bound(populations_.begin(), populations_.end(), node,
                                     [](node_id n, const population& p) { return n < p.first; });
    if (it == populations_.begin() || node - std::prev(it)->first >= std::prev(it)->size)
      throw model_error(fmt::format("record: unknown node {}", node));
    const population& p = *std::prev(it);
    if (p.is_source)
      throw model_error(fmt::format("record: node {} is a spike source, not a neuron", node));
    owners.push_back((p.first_index + (node - p.first)) % parts());
  }
  for (const std::unique_ptr<event_loop>& part : parts_) part->record_v(neurons, interval);
  if (parts() > 1) samples_merge_.add(std::move(neurons), std::move(owners), interval, time());
}

void epoch_loop::stream_to(record_sink* sink) {
  if (parts() == 1) return parts_[0]->stream_to(sink);
  sink_ = sink;
  flush_records();
}

void epoch_loop::limit_memory(std::size_t bytes) {
  for (const std::unique_ptr<event_loop>& part : parts_) part->limit_memory(bytes / parts());
}

void epoch_loop::run_until(double end) {
  if (parts() == 1) return parts_[0]->run_until(end);
  if (!(end >= time()) || !std::isfinite(end))
    throw model_error(
        fmt::format("run: the end ({} ms) must not be before the present ({} ms)", end, time()));
  const double last = parts_[0]->last_due(end);
  // The first epoch starts at 0, where every neuron is settled whatever the queues hold.
  step next = plan(parts_[0]->started() ? next_time() : 0.0, last);
  bool more = true;
  spin_barrier sync(parts());
  on_each_part(parts(), [&](std::uint32_t p) {
    do {
      take_step(p, next, end);
      sync.arrive_and_wait([&] { more = exchange(next, end, last); });
    } while (more);
  });
  for (const failure& f : failures_)
    if (f.error) std::rethrow_exception(f.error);
}

// An epoch from `from`, no longer than the smallest delay, holds every consequence of its spikes.
epoch_loop::step epoch_loop::plan(double from, double last) const {
  const double limit = after(from, std::min(min_delay_, span_));
  return limit <= last ? step{step::kind::epoch, limit} : step{step::kind::last_epoch, last};
}

void epoch_loop::take_step(std::uint32_t p, const step& s, double end) {
  event_loop& part = *parts_[p];
  try {
    for (std::uint32_t q = 0; q < parts(); ++q)
      if (q != p)
        for (const spike& sp : sent_[q]) part.send(sp.node, sp.time);
    switch (s.what) {
      case step::kind::epoch:
        part.start();
        part.advance(s.limit, false);
        break;
      case step::kind::last_epoch:
        part.start();
        part.advance(s.limit, true);
        part.end_run(end);
        break;
      case step::kind::deliver_only:
        break;
    }
  } catch (const run_error& e) {
    // A runaway at its second spike; a V that is not finite at its sample, which may come after
    // the part's last event.
    const bool sampling = e.why() == run_error::reason::non_finite;
    double time = part.time();
    if (e.why() == run_error::reason::runaway) time = e.second();
    if (sampling) time = e.first();
    failures_[p] = {std::current_exception(), time, sampling, e.node()};
  } catch (...) {
    failures_[p] = {std::current_exception(), part.time()};
  }
}

bool epoch_loop::exchange(step& next, double end, double last) {
  try {
    const step done = next;
    // The earliest failure ends the run; the records up to it are of no use.
    const auto key = [](const failure& f) {
      return std::tuple(!f.error, f.time, f.sampling, f.node);
    };
    const auto failed =
        std::min_element(failures_.begin(), failures_.end(),
                         [&](const failure& a, const failure& b) { return key(a) < key(b); });
    if (failed->error) {
      const failure first = *failed;
      std::fill(failures_.begin(), failures_.end(), failure{});
      failures_[0] = first;
      return false;
    }
    // The step's spikes, merged into (time, node) order, become the ones to send.
    double first_sent = never;
    for (std::uint32_t p = 0; p < parts(); ++p) {
      sent_[p].clear();
      std::swap(sent_[p], parts_[p]->spikes());
      if (!sent_[p].empty()) first_sent = std::min(first_sent, sent_[p].front().time);
    }
    const std::size_t records = spikes_.size() + samples_.size();
    const auto before = static_cast<std::ptrdiff_t>(spikes_.size());
    for (const std::vector<spike>& s : sent_) spikes_.insert(spikes_.end(), s.begin(), s.end());
    std::sort(spikes_.begin() + before, spikes_.end(), [](const spike& a, const spike& b) {
      return std::tie(a.time, a.node) < std::tie(b.time, b.node);
    });
    if (done.what == step::kind::epoch) take_records(done.limit, false);
    if (done.what == step::kind::last_epoch) take_records(end, true);
    adapt_span(spikes_.size() + samples_.size() - records);
    flush_records();
    if (done.what == step::kind::deliver_only) return false;
    if (done.what == step::kind::last_epoch) {
      next = {step::kind::deliver_only, 0.0};
      return true;
    }
    // Nothing happens before the earliest pending event or arrival of a spike just sent; the
    // next sample counts too, so that an epoch's span bounds the samples it brings.
    double from = first_sent < never ? after(first_sent, min_delay_) : never;
    from = std::min({from, next_time(), parts_[0]->next_sample_time()});
    next = plan(from, last);
    ++stats_.epochs;
    return true;
  } catch (...) {
    failures_[0] = {std::current_exception(), time()};
    return false;
  }
}

// The parts keep an epoch's records until its end: epochs are made shorter while they bring
// many (a network without synapses has no smallest delay to bound them), longer while few.
void epoch_loop::adapt_span(std::size_t records) {
  if (records > record_chunk)
    span_ /= 2.0;
  else if (records < record_chunk / 4 && span_ < min_delay_)
    span_ *= 2.0;
}

void epoch_loop::take_records(double limit, bool inclusive) {
  std::vector<std::vector<sample>*> from;
  for (const std::unique_ptr<event_loop>& part : parts_) from.push_back(&part->samples());
  samples_merge_.take(limit, inclusive, std::move(from), samples_);
}

void epoch_loop::flush_records() {
  if (!sink_) return;
  sink_->take(std::span<const spike>(spikes_));
  spikes_.clear();
  sink_->take(std::span<const sample>(samples_));
  samples_.clear();
}

double epoch_loop::next_time() const {
  double t = never;
  for (const std::unique_ptr<event_loop>& part : parts_) t = std::min(t, part->next_time());
  return t;
}

std::vector<pending_event> epoch_loop::pending_events(std::size_t count) const {
  // A spike's delivery after one delay is one event, whichever parts, models and receptors its
  // synapses are of: the list is the same for any number of parts. Each part lists all its
  // events, as its own order (deliveries to single synapses after all others) is not this one.
  std::map<std::tuple<double, int, node_id, double>, pending_event> all;
  for (const std::unique_ptr<event_loop>& part : parts_)
    for (const pending_event& e : part->pending_events(SIZE_MAX)) {
      const int order = e.what == pending_event::kind::delivery ? 2
                        : e.what == pending_event::kind::source_spike ? 1
                                                                       : 0;
      const auto [it, added] = all.try_emplace({e.time, order, e.node, e.delay}, e);
      if (!added) it->second.targets += e.targets;
    }
  std::vector<pending_event> out;
  for (const auto& [key, e] : all) {
    if (out.size() == count) break;
    out.push_back(e);
  }
  return out;
}

double epoch_loop::v(node_id neuron) const { return owner_of(neuron).v(neuron); }

membrane_point epoch_loop::v_at(node_id neuron, double t) const {
  return owner_of(neuron).v_at(neuron, t);
}

const std::vector<spike>& epoch_loop::spikes() const {
  return parts() == 1 ? parts_[0]->spikes() : spikes_;
}

const std::vector<sample>& epoch_loop::samples() const {
  return parts() == 1 ? parts_[0]->samples() : samples_;
}

const run_stats& epoch_loop::stats() const {
  if (parts() == 1) return parts_[0]->stats();
  const std::uint64_t epochs = stats_.epochs;
  stats_ = {};
  stats_.epochs = epochs;
  for (const std::unique_ptr<event_loop>& part : parts_) {
    const run_stats& s = part->stats();
    stats_.events += s.events;
    stats_.deliveries += s.deliveries;
    stats_.spikes += s.spikes;
    stats_.neuron_spikes += s.neuron_spikes;
    stats_.predictions += s.predictions;
    stats_.window_checks += s.window_checks;
  }
  return stats_;
}

std::uint64_t epoch_loop::synapse_count() const {
  std::uint64_t n = 0;
  for (const std::unique_ptr<event_loop>& part : parts_) n += part->synapses().size();
  return n;
}

std::uint64_t epoch_loop::synapse_bytes() const {
  std::uint64_t n = 0;
  for (const std::unique_ptr<event_loop>& part : parts_) n += part->synapses().bytes();
  return n;
}

}  // namespace syn::detail
