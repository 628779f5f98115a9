#include "parallel/epoch_loop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
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

// A process alone: every collective is its own data.
class epoch_loop::one_process final : public process_group {
 public:
  std::uint32_t rank() const override { return 0; }
  std::uint32_t size() const override { return 1; }
  std::uint32_t on_this_machine() const override { return 1; }
  void min(std::span<double>) override {}
  void sum(std::span<std::uint64_t>) override {}
  void all_spikes(std::span<const spike> spikes, std::span<const double> numbers,
                  gathered& into) override {
    into.spikes.assign(spikes.begin(), spikes.end());
    into.numbers.assign(numbers.begin(), numbers.end());
  }
  std::vector<std::vector<sample>> samples_at_root(
      const std::vector<std::vector<sample>*>& mine) override {
    std::vector<std::vector<sample>> lists;
    for (std::vector<sample>* list : mine) lists.push_back(std::move(*list));
    return lists;
  }
  std::string broadcast(std::uint32_t, const std::string& text) override { return text; }
};

epoch_loop::epoch_loop(const network& net, std::uint32_t threads, process_group* group)
    : own_group_(group ? nullptr : std::make_unique<one_process>()),
      group_(group ? group : own_group_.get()),
      first_part_(group_->rank() * std::max(threads, 1u)),
      all_parts_(group_->size() * std::max(threads, 1u)),
      parts_(std::max(threads, 1u)),
      populations_(net.populations()),
      failures_(parts_.size()),
      min_delay_(never),
      span_(first_span) {
  on_each_part(parts(), [&](std::uint32_t p) {
    parts_[p] = std::make_unique<event_loop>(net, shard{first_part_ + p, all_parts_});
    if (all_parts_ > 1) parts_[p]->send_at_exchanges();
  });
  // Each part has the synapses onto its own neurons only.
  for (const std::unique_ptr<event_loop>& part : parts_)
    min_delay_ = std::min(min_delay_, part->synapses().smallest_delay());
  group_->min(std::span(&min_delay_, 1));
  span_ = std::min(min_delay_, first_span);
  for (const std::unique_ptr<event_loop>& part : parts_) {
    synapses_[0] += part->synapses().size();
    synapses_[1] += part->synapses().bytes();
  }
  group_->sum(synapses_);
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
    owners.push_back((p.first_index + (node - p.first)) % all_parts_);
  }
  for (const std::unique_ptr<event_loop>& part : parts_) part->record_v(neurons, interval);
  samples_merge_.add(std::move(neurons), std::move(owners), interval, time());
  recording_ = true;
}

void epoch_loop::stream_to(record_sink* sink) {
  if (all_parts_ == 1) return parts_[0]->stream_to(sink);
  sink_ = sink;
  flush_records();
}

void epoch_loop::limit_memory(std::size_t bytes) {
  for (const std::unique_ptr<event_loop>& part : parts_) part->limit_memory(bytes / parts());
}

void epoch_loop::run_until(double end) {
  if (all_parts_ == 1) return parts_[0]->run_until(end);
  parts_[0]->check_end(end);
  const double last = parts_[0]->last_due(end);
  // The first epoch starts at 0, where every neuron is settled whatever the queues hold.
  double from = parts_[0]->started() ? next_time() : 0.0;
  group_->min(std::span(&from, 1));
  step next = plan(from, last);
  bool more = true;
  // Its processes on this machine may each have other cores (mpirun gives each one).
  spin_barrier sync(
      parts(), parts() <= usable_cores() && parts() * group_->on_this_machine() <=
                                                std::max(1u, std::thread::hardware_concurrency()));
  on_each_part(parts(), [&](std::uint32_t p) {
    do {
      take_step(p, next, end);
      sync.arrive_and_wait(p, [&] { more = exchange(next, end, last); });
    } while (more);
  });
  for (const failure& f : failures_)
    if (f.error) std::rethrow_exception(f.error);
  sum_stats();
}

// An epoch from `from`, no longer than the smallest delay, holds every consequence of its spikes.
epoch_loop::step epoch_loop::plan(double from, double last) const {
  const double limit = after(from, std::min(min_delay_, span_));
  return limit <= last ? step{step::kind::epoch, limit} : step{step::kind::last_epoch, last};
}

void epoch_loop::take_step(std::uint32_t p, const step& s, double end) {
  event_loop& part = *parts_[p];
  try {
    for (const spike& sp : all_.spikes) part.send(sp.node, sp.time);
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

// Every process makes the same collective calls here, step after step, failed or not.
bool epoch_loop::exchange(step& next, double end, double last) {
  try {
    const step done = next;
    // The step's spikes, of every part of every process, and with them each process's earliest
    // next event, earliest failure and samples of the step.
    mine_.clear();
    for (const std::unique_ptr<event_loop>& part : parts_) {
      mine_.insert(mine_.end(), part->spikes().begin(), part->spikes().end());
      part->spikes().clear();
    }
    double local[3] = {std::min(next_time(), parts_[0]->next_sample_time()), never, 0.0};
    for (const failure& f : failures_)
      if (f.error) local[1] = std::min(local[1], f.time);
    if (recording_)
      for (const std::unique_ptr<event_loop>& part : parts_)
        local[2] += static_cast<double>(part->samples().size());
    group_->all_spikes(mine_, local, all_);
    // The order in which they are sent does not matter (the queues order their deliveries);
    // the records' does.
    const std::vector<spike>& sent = all_.spikes;
    double first_sent = never;
    for (const spike& sp : sent) first_sent = std::min(first_sent, sp.time);
    // Nothing happens before the earliest pending event or arrival of a spike just sent; the
    // next sample counts too, so that an epoch's span bounds the samples it brings.
    double from = first_sent < never ? after(first_sent, min_delay_) : never;
    // The records process 0 takes: every spike and every sample.
    double failed = never, records = static_cast<double>(sent.size());
    for (std::size_t i = 0; i < all_.numbers.size(); i += 3) {
      from = std::min(from, all_.numbers[i]);
      failed = std::min(failed, all_.numbers[i + 1]);
      records += all_.numbers[i + 2];
    }
    // A part that failed left its samples of the step unfinished, which the merge would read
    // past: the run ends here, on every process.
    if (failed < never) return !take_failure(failed);
    if (group_->rank() == 0) {
      const auto before = static_cast<std::ptrdiff_t>(spikes_.size());
      spikes_.insert(spikes_.end(), sent.begin(), sent.end());
      std::sort(spikes_.begin() + before, spikes_.end(), [](const spike& a, const spike& b) {
        return std::tie(a.time, a.node) < std::tie(b.time, b.node);
      });
    }
    if (recording_) {
      if (done.what == step::kind::epoch) take_samples(done.limit, false);
      if (done.what == step::kind::last_epoch) take_samples(end, true);
    }
    try {
      flush_records();
    } catch (...) {
      // Process 0's record cannot be written: every process learns it at the next exchange,
      // which the last step's deliveries always bring.
      failures_[0] = {std::current_exception(), time()};
    }
    adapt_span(records);
    if (done.what == step::kind::deliver_only) {
      // The run's last exchange: a record that could not be written just now must still reach
      // every process.
      double late = never;
      for (const failure& f : failures_)
        if (f.error) late = std::min(late, f.time);
      group_->min(std::span(&late, 1));
      if (late < never) take_failure(late);
      return false;
    }
    if (done.what == step::kind::last_epoch) {
      next = {step::kind::deliver_only, 0.0};
      return true;
    }
    next = plan(from, last);
    ++stats_.epochs;
    return true;
  } catch (...) {
    // Not expected: MPI's own errors abort.
    failures_[0] = {std::current_exception(), time()};
    return false;
  }
}

// The failure that a single loop would have met first (see failure; the lowest rank among
// equals) becomes every process's, as the same run_error; its message is kept whatever its kind.
bool epoch_loop::take_failure(double earliest) {
  // Among the failures at `earliest`: those met taking samples last, then by node, as a number.
  const auto order = [](const failure& f) { return (f.sampling ? 0x1p32 : 0.0) + f.node; };
  const failure* mine = nullptr;
  for (const failure& f : failures_)
    if (f.error && f.time == earliest && (!mine || order(f) < order(*mine))) mine = &f;
  double lowest = mine ? order(*mine) : never;
  group_->min(std::span(&lowest, 1));
  double who = mine && order(*mine) == lowest ? group_->rank() : never;
  group_->min(std::span(&who, 1));
  const auto from = static_cast<std::uint32_t>(who);
  std::string text;
  if (from == group_->rank()) {
    try {
      std::rethrow_exception(mine->error);
    } catch (const run_error& e) {
      text = fmt::format("{} {} {} {} {}", static_cast<int>(e.why()), e.node(), e.first(),
                         e.second(), e.what());
    } catch (const std::exception& e) {
      text = fmt::format("{} 0 0 0 {}", static_cast<int>(run_error::reason::memory) + 1, e.what());
    }
  }
  text = group_->broadcast(from, text);
  const failure first = from == group_->rank() ? *mine : failure{};
  std::fill(failures_.begin(), failures_.end(), failure{});
  if (from == group_->rank()) {
    failures_[0] = first;
    return true;
  }
  int why = 0;
  node_id node = 0;
  double first_time = 0.0, second_time = 0.0;
  int length = 0;
  std::sscanf(text.c_str(), "%d %u %lf %lf %n", &why, &node, &first_time, &second_time, &length);
  const std::string message = text.substr(static_cast<std::size_t>(length));
  failures_[0].error =
      why <= static_cast<int>(run_error::reason::memory)
          ? std::make_exception_ptr(run_error(static_cast<run_error::reason>(why), message, node,
                                              first_time, second_time))
          : std::make_exception_ptr(std::runtime_error(message));
  return true;
}

// The parts keep an epoch's records until its end: epochs are made shorter while they bring
// many (a network without synapses has no smallest delay to bound them), longer while few.
void epoch_loop::adapt_span(double records) {
  if (records > record_chunk)
    span_ /= 2.0;
  else if (records < record_chunk / 4 && span_ < min_delay_)
    span_ *= 2.0;
}

// Process 0 merges every part's samples; the others send theirs.
void epoch_loop::take_samples(double limit, bool inclusive) {
  std::vector<std::vector<sample>*> mine;
  for (const std::unique_ptr<event_loop>& part : parts_) mine.push_back(&part->samples());
  if (group_->size() == 1) return samples_merge_.take(limit, inclusive, mine, samples_);
  std::vector<std::vector<sample>> all = group_->samples_at_root(mine);
  for (std::vector<sample>* list : mine) list->clear();
  if (group_->rank() != 0) return;
  std::vector<std::vector<sample>*> from;
  for (std::vector<sample>& list : all) from.push_back(&list);
  samples_merge_.take(limit, inclusive, std::move(from), samples_);
}

void epoch_loop::flush_records() {
  if (!sink_) return;
  sink_->take(std::span<const spike>(spikes_));
  spikes_.clear();
  sink_->take(std::span<const sample>(samples_));
  samples_.clear();
}

void epoch_loop::sum_stats() {
  std::uint64_t sums[6] = {};
  for (const std::unique_ptr<event_loop>& part : parts_) {
    const run_stats& s = part->stats();
    const std::uint64_t each[6] = {s.events,        s.deliveries,  s.spikes,
                                   s.neuron_spikes, s.predictions, s.window_checks};
    for (int i = 0; i < 6; ++i) sums[i] += each[i];
  }
  group_->sum(sums);
  stats_ = {sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], stats_.epochs};
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
      const int order = e.what == pending_event::kind::delivery       ? 2
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
  return all_parts_ == 1 ? parts_[0]->spikes() : spikes_;
}

const std::vector<sample>& epoch_loop::samples() const {
  return all_parts_ == 1 ? parts_[0]->samples() : samples_;
}

const run_stats& epoch_loop::stats() const { return all_parts_ == 1 ? parts_[0]->stats() : stats_; }

}  // namespace syn::detail
