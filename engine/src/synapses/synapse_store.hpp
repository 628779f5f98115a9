#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "memory/huge_page_allocator.hpp"
#include "syn/engine/network.hpp"

namespace syn::detail {

// The synapses of one presynaptic node with one delay and one target model and input slot
// (0: V itself, for jump kinetics; j + 1: the j-th input port that the model's cell kind lists). A
// synapse is its target (4 bytes) and, unless the group shares one increment as a projection with a
// constant weight does, its own increment (8 bytes more): what arrives is added to the target's
// input `slot`. 32 bytes, aligned so that a spike reads one cache line of each of its groups (it
// was 40, and half the groups straddled two lines).
struct alignas(32) delay_group {
  double delay;
  double increment;       // shared; NaN when each synapse has its own
  std::uint32_t begin;    // into the targets
  std::uint32_t weights;  // into the increments, when not shared
  std::uint32_t count;
  std::uint16_t model;
  std::uint16_t slot;
  bool uniform() const { return increment == increment; }
};
static_assert(sizeof(delay_group) == 32);

// Synapses whose delay is theirs alone (distributed delays), of one presynaptic node, target
// model and input slot and effect time: each is its target, its delay (a float value, which the
// language draws distributed delays as) and, unless the segment shares one increment, its own:
// 8 or 16 bytes a synapse, where a delay group of its own would cost 36 or 44.
struct single_segment {
  double increment;       // shared; NaN when each synapse has its own
  double since;           // when its synapses take effect (see network::take_effect_at)
  std::uint32_t node;     // presynaptic
  std::uint32_t begin;    // into the singles' targets and delays
  std::uint32_t weights;  // into their increments, when not shared
  std::uint32_t count;
  std::uint16_t model;
  std::uint16_t slot;
  bool uniform() const { return increment == increment; }
};

// Synapses in compressed rows: by presynaptic node, then delay, target model and slot, and the
// time they take effect, then target. A spike becomes one queue entry per group, fanned out to its
// targets on delivery, and one per synapse with a delay of its own.
//
// Built in two passes over the network's synapses, by class (what shares a delay, model, slot
// and effect time): one counts each row's synapses and groups, the other puts each synapse in its
// place. Projections make their synapses in each pass, so that the build never holds more than
// the store and a few numbers per node.
class synapse_store {
 public:
  // slots: by model, the input port of each input slot after 0 (see delay_group). neuron_index:
  // by node, the target index of a neuron simulated here, UINT32_MAX for all other nodes, whose
  // synapses are left out.
  synapse_store(const network& net, const std::vector<std::vector<input_port>>& slots,
                const std::vector<std::uint32_t>& neuron_index);

  std::span<const delay_group> groups_of(node_id node) const {
    return {groups_.data() + group_begin_[node], groups_.data() + group_begin_[node + 1]};
  }
  const delay_group& group(std::uint32_t index) const { return groups_[index]; }
  std::uint32_t group_index(const delay_group& g) const {
    return static_cast<std::uint32_t>(&g - groups_.data());
  }
  std::span<const std::uint32_t> targets_of(const delay_group& g) const {
    return {targets_.data() + g.begin, g.count};
  }
  std::span<const double> increments_of(const delay_group& g) const {
    return {increments_.data() + g.weights, g.count};
  }
  // Whether group g carries a spike emitted at t (see network::take_effect_at).
  bool carries(const delay_group& g, double t) const {
    return group_since_.empty() || group_since_[group_index(g)] <= t;
  }
  std::span<const single_segment> segments_of(node_id node) const {
    return {segments_.data() + segment_begin_[node], segments_.data() + segment_begin_[node + 1]};
  }
  const single_segment& segment(std::uint32_t index) const { return segments_[index]; }
  std::uint32_t segment_index(const single_segment& g) const {
    return static_cast<std::uint32_t>(&g - segments_.data());
  }
  double single_delay(std::uint32_t i) const { return single_delays_[i]; }
  std::span<const float> single_delays() const { return single_delays_; }
  std::uint32_t single_target(std::uint32_t i) const { return single_targets_[i]; }
  // The increment of single i of segment g.
  double single_increment(const single_segment& g, std::uint32_t i) const {
    return g.uniform() ? g.increment : single_increments_[g.weights + (i - g.begin)];
  }
  // Asks the cache for what delivering single i of segment `segment` reads first.
  void prefetch_single(std::uint32_t segment, std::uint32_t i) const {
    __builtin_prefetch(&segments_[segment]);
    __builtin_prefetch(&single_targets_[i]);
  }
  std::uint64_t size() const { return size_; }
  std::uint64_t bytes() const;
  // ms; infinite without synapses.
  double smallest_delay() const { return smallest_delay_; }

 private:
  void sort_members();

  huge_page_vector<std::uint32_t> group_begin_;  // by node, node_count + 1 entries
  huge_page_vector<delay_group> groups_;
  huge_page_vector<std::uint32_t> targets_;        // neuron indices
  huge_page_vector<double> increments_;            // of the groups that do not share one
  std::vector<double> group_since_;           // by group, when it takes effect; empty: all at 0
  huge_page_vector<std::uint32_t> segment_begin_;  // by node, node_count + 1 entries
  huge_page_vector<single_segment> segments_;
  huge_page_vector<std::uint32_t> single_targets_;
  huge_page_vector<float> single_delays_;
  huge_page_vector<double> single_increments_;  // of the segments that do not share one
  std::uint64_t size_ = 0;
  double smallest_delay_ = std::numeric_limits<double>::infinity();
};

}  // namespace syn::detail
