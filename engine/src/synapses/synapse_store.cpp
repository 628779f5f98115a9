#include "synapses/synapse_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

#include "syn/engine/model_error.hpp"

namespace syn::detail {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

// Synapses that end in one delay group (or, singles, one segment) of each presynaptic node they
// leave: what connect() added with one key in a row, and projections. Their increments are
// drawn (some member's are: each synapse keeps its own), shared (one for all), or mixed (a few
// members' shared ones: excitatory and inhibitory jumps onto V, say), where each group shares
// one when it can.
struct synapse_class {
  bool singles = false;
  double delay = 0.0;            // of the group; singles have their own
  std::uint32_t model_slot = 0;  // model << 16 | slot
  double since = 0.0;
  double increment = 0.0;  // shared, or NaN
  bool drawn = false;
  struct member {
    const projection* rule;  // or, when null, connections [first, last)
    std::uint64_t first, last;
  };
  std::vector<member> members;  // in the order they were added

  auto key() const { return std::tuple(singles, singles ? 0.0 : delay, model_slot, since); }
  bool mixed() const { return !drawn && increment != increment; }
};

// A synapse's delay counts as its own when it is a float value: stored in 4 bytes, it is exact.
bool alone(const connection& c) {
  return c.own_delay && static_cast<double>(static_cast<float>(c.delay)) == c.delay;
}

}  // namespace

synapse_store::synapse_store(const network& net, const std::vector<std::vector<input_port>>& slots,
                             const std::vector<std::uint32_t>& neuron_index) {
  // Synapses name their target's model and receptor slot in 16 bits each.
  if (slots.size() > UINT16_MAX) throw model_error("network: too many neuron models");
  for (const std::vector<input_port>& ports : slots)
    if (ports.size() >= UINT16_MAX) throw model_error("network: too many receptors");
  const std::vector<model_id> model_of = net.model_by_node();
  const auto slot_of = [&](model_id model, input_port port) {
    const auto& ports = slots[model];
    const auto slot = std::find(ports.begin(), ports.end(), port);
    return (model << 16) |
           static_cast<std::uint32_t>(slot == ports.end() ? 0 : slot - ports.begin() + 1);
  };

  // The classes, each with its members in the order they were added.
  std::vector<synapse_class> classes;
  std::map<decltype(synapse_class{}.key()), std::uint32_t> class_of;
  const auto join = [&](bool singles, double delay, std::uint32_t model_slot, double since,
                        synapse_class::member m, bool drawn, double increment) {
    synapse_class c{singles, delay, model_slot, since, increment, drawn, {}};
    const auto [it, added] =
        class_of.try_emplace(c.key(), static_cast<std::uint32_t>(classes.size()));
    if (added) classes.push_back(std::move(c));
    synapse_class& joined = classes[it->second];
    joined.drawn = joined.drawn || drawn;
    if (drawn || joined.increment != increment)
      joined.increment = std::numeric_limits<double>::quiet_NaN();
    joined.members.push_back(m);
  };
  const auto& connections = net.connections();
  std::uint64_t i = 0;
  const auto connected_until = [&](std::uint64_t end) {
    while (i < end) {
      const connection& c = connections[i];
      const bool singles = alone(c);
      const double since = net.effect_time(i);
      std::uint64_t last = i + 1;
      bool mixed = false;
      for (; last < end; ++last) {
        const connection& d = connections[last];
        if (alone(d) != singles || (!singles && d.delay != c.delay) ||
            model_of[d.post] != model_of[c.post] || d.port() != c.port() ||
            net.effect_time(last) != since)
          break;
        mixed = mixed || d.increment != c.increment;
      }
      join(singles, c.delay, slot_of(model_of[c.post], c.port()), since, {nullptr, i, last}, false,
           mixed ? std::numeric_limits<double>::quiet_NaN() : c.increment);
      i = last;
    }
  };
  for (const projection& p : net.projections()) {
    connected_until(p.after);
    join(p.own_delay, p.delay, slot_of(p.post_model, p.port()), p.since, {&p, 0, 0},
         p.drawn_weights, p.increment);
  }
  connected_until(connections.size());
  std::vector<std::uint32_t> order(classes.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return classes[a].key() < classes[b].key(); });

  // f(pre, target, connection) for each synapse of class c onto a neuron simulated here, in
  // batches whose rows (`row`, by pre) are asked of the cache first: pres come in random order,
  // and waiting for each row in turn was most of the build.
  const synapse_rule::wanted here = [&](node_id post) { return neuron_index[post] != none; };
  std::vector<connection> batch;
  constexpr std::size_t batch_size = 64;
  batch.reserve(batch_size);
  const auto each_of = [&](const synapse_class& c, const auto* row, const auto& f) {
    const auto flush = [&] {
      for (const connection& s : batch) __builtin_prefetch(row + s.pre, 1);
      for (const connection& s : batch) f(s.pre, neuron_index[s.post], s);
      batch.clear();
    };
    const auto take = [&](const connection& s) {
      batch.push_back(s);
      if (batch.size() == batch_size) flush();
    };
    for (const synapse_class::member& m : c.members) {
      if (m.rule) {
        m.rule->each(here, take);
        continue;
      }
      for (std::uint64_t k = m.first; k < m.last; ++k)
        if (here(connections[k].post)) take(connections[k]);
    }
    flush();
  };

  // First pass: how many synapses, groups and increments of their own each node's row holds;
  // second pass: each synapse straight to its place, rows by node and groups by class. What a
  // node's row needs sits in one cursor, a cache line's quarter: pres come in random order.
  struct cursor {
    std::uint32_t mark = none;  // the class of the node's last group (segment)
    std::uint32_t groups = 0, targets = 0, weights = 0;  // counts, then where the next goes
  };
  const std::uint32_t nodes = net.node_count();
  std::vector<cursor> rows(nodes), single_rows(nodes);
  std::uint64_t synapses = 0;
  bool since_varies = false;
  for (const std::uint32_t ci : order) {
    const synapse_class& c = classes[ci];
    since_varies = since_varies || c.since != 0.0;
    std::vector<cursor>& row = c.singles ? single_rows : rows;
    each_of(c, row.data(), [&](node_id pre, std::uint32_t, const connection& s) {
      if (c.singles && !alone(s))
        throw model_error(
            fmt::format("network: a delay of its own ({} ms) must be a float value", s.delay));
      smallest_delay_ = std::min(smallest_delay_, s.delay);
      ++synapses;
      cursor& r = row[pre];
      ++r.targets;
      if (c.drawn) ++r.weights;
      if (r.mark != ci) {
        r.mark = ci;
        ++r.groups;
      }
    });
  }
  size_ = synapses;
  // Groups index the targets and increments in 32 bits.
  if (size_ > UINT32_MAX)
    throw model_error(fmt::format("network: {} synapses, more than the {} a network can hold",
                                  size_, UINT32_MAX));
  // Counts become where each row begins.
  const auto begin_rows = [&](std::vector<cursor>& row, huge_page_vector<std::uint32_t>& begins) {
    begins.assign(nodes + 1, 0);
    std::uint64_t groups = 0;
    cursor sum{};
    for (std::uint32_t n = 0; n < nodes; ++n) {
      const cursor count = row[n];
      groups += count.groups;
      if (groups > UINT32_MAX) throw model_error("network: too many delay groups");
      row[n] = {none, sum.groups, sum.targets, sum.weights};
      sum = {none, sum.groups + count.groups, sum.targets + count.targets,
             sum.weights + count.weights};
      begins[n + 1] = sum.groups;
    }
    return sum;
  };
  const cursor grouped = begin_rows(rows, group_begin_);
  const cursor alone_ones = begin_rows(single_rows, segment_begin_);
  targets_.resize(grouped.targets);
  increments_.resize(grouped.weights);
  groups_.resize(grouped.groups);
  if (since_varies) group_since_.resize(groups_.size());
  single_targets_.resize(alone_ones.targets);
  single_delays_.resize(alone_ones.targets);
  single_increments_.resize(alone_ones.weights);
  segments_.resize(alone_ones.groups);

  // A group of a mixed class shares its first synapse's increment until another differs.
  const auto differs = [](auto& group, double increment) {
    if (group.increment != increment) group.increment = std::numeric_limits<double>::quiet_NaN();
  };
  for (const std::uint32_t ci : order) {
    const synapse_class& c = classes[ci];
    const auto model = static_cast<std::uint16_t>(c.model_slot >> 16);
    const auto slot = static_cast<std::uint16_t>(c.model_slot & 0xffff);
    if (c.singles) {
      each_of(c, single_rows.data(), [&](node_id pre, std::uint32_t target, const connection& s) {
        cursor& r = single_rows[pre];
        if (r.mark != ci) {
          r.mark = ci;
          segments_[r.groups++] = {c.mixed() ? s.increment : c.increment, c.since, pre,   r.targets,
                                   c.mixed() ? none : r.weights,          0,       model, slot};
        }
        if (c.mixed()) differs(segments_[r.groups - 1], s.increment);
        single_delays_[r.targets] = static_cast<float>(s.delay);
        single_targets_[r.targets++] = target;
        if (c.drawn) single_increments_[r.weights++] = s.increment;
      });
      continue;
    }
    each_of(c, rows.data(), [&](node_id pre, std::uint32_t target, const connection& s) {
      cursor& r = rows[pre];
      if (r.mark != ci) {
        r.mark = ci;
        if (since_varies) group_since_[r.groups] = c.since;
        groups_[r.groups++] = {c.delay,   c.mixed() ? s.increment : c.increment,
                               r.targets, c.mixed() ? none : r.weights,
                               0,         model,
                               slot};
      }
      if (c.mixed()) differs(groups_[r.groups - 1], s.increment);
      targets_[r.targets++] = target;
      if (c.drawn) increments_[r.weights++] = s.increment;
    });
  }
  // A group ends where the next of its row begins, the last where its row's cursor stopped.
  for (std::uint32_t n = 0; n < nodes; ++n) {
    for (std::uint32_t g = group_begin_[n]; g < group_begin_[n + 1]; ++g)
      groups_[g].count =
          (g + 1 < group_begin_[n + 1] ? groups_[g + 1].begin : rows[n].targets) - groups_[g].begin;
    for (std::uint32_t g = segment_begin_[n]; g < segment_begin_[n + 1]; ++g)
      segments_[g].count =
          (g + 1 < segment_begin_[n + 1] ? segments_[g + 1].begin : single_rows[n].targets) -
          segments_[g].begin;
  }
  // Third pass, over mixed classes alone: the increments of their groups (segments) that share
  // none, after the drawn ones'.
  bool any_mixed = false;
  const auto place_mixed = [&](auto& groups, huge_page_vector<double>& increments) {
    std::uint64_t end = increments.size();
    for (auto& g : groups) {
      if (g.weights != none) continue;
      if (g.uniform()) {
        g.weights = 0;
        continue;
      }
      any_mixed = true;
      g.weights = static_cast<std::uint32_t>(end);
      end += g.count;
      if (end > UINT32_MAX) throw model_error("network: too many synapses of their own weight");
    }
    increments.resize(end);
  };
  place_mixed(groups_, increments_);
  place_mixed(segments_, single_increments_);
  if (any_mixed)
    for (std::vector<cursor>* row : {&rows, &single_rows})
      for (cursor& r : *row) r.mark = none;
  for (const std::uint32_t ci : order) {
    const synapse_class& c = classes[ci];
    if (!any_mixed || !c.mixed()) continue;
    const auto model = static_cast<std::uint16_t>(c.model_slot >> 16);
    const auto slot = static_cast<std::uint16_t>(c.model_slot & 0xffff);
    // Where the increments of pre's group (segment) of this class go; none when it shares one.
    const auto weights_of = [&](node_id pre) {
      if (c.singles) {
        for (std::uint32_t g = segment_begin_[pre]; g < segment_begin_[pre + 1]; ++g)
          if (const single_segment& x = segments_[g];
              x.model == model && x.slot == slot && x.since == c.since)
            return x.uniform() ? none : x.weights;
      } else {
        for (std::uint32_t g = group_begin_[pre]; g < group_begin_[pre + 1]; ++g)
          if (const delay_group& x = groups_[g];
              x.delay == c.delay && x.model == model && x.slot == slot &&
              (group_since_.empty() || group_since_[g] == c.since))
            return x.uniform() ? none : x.weights;
      }
      return none;
    };
    std::vector<cursor>& row = c.singles ? single_rows : rows;
    huge_page_vector<double>& increments = c.singles ? single_increments_ : increments_;
    each_of(c, row.data(), [&](node_id pre, std::uint32_t, const connection& s) {
      cursor& r = row[pre];
      if (r.mark != ci) {
        r.mark = ci;
        r.weights = weights_of(pre);
      }
      if (r.weights != none) increments[r.weights++] = s.increment;
    });
  }
  sort_members();
}

// Each group's targets in order, and each segment's by delay, then target, so that a delivery
// walks its targets' state forwards through memory. Synapses of one class from one node come in
// the order they were added, sorted already unless several members, or connect()'s calls, made
// them out of order. Equal keys keep that order: inputs onto one target at one time are summed
// in the order they were connected.
void synapse_store::sort_members() {
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> targets;
  std::vector<float> delays;
  std::vector<double> increments;
  const auto permute = [&](auto* values, auto& scratch) {
    scratch.assign(values, values + order.size());
    for (std::size_t k = 0; k < order.size(); ++k) values[k] = scratch[order[k]];
  };
  const auto sort = [&](std::uint32_t* targets_of, std::uint32_t count, const auto& less,
                        float* delays_of, double* increments_of) {
    order.resize(count);
    std::iota(order.begin(), order.end(), 0U);
    if (std::is_sorted(order.begin(), order.end(), less)) return;
    std::stable_sort(order.begin(), order.end(), less);
    permute(targets_of, targets);
    if (delays_of) permute(delays_of, delays);
    if (increments_of) permute(increments_of, increments);
  };
  for (const delay_group& g : groups_) {
    std::uint32_t* t = targets_.data() + g.begin;
    sort(
        t, g.count, [&](std::uint32_t a, std::uint32_t b) { return t[a] < t[b]; }, nullptr,
        g.uniform() ? nullptr : increments_.data() + g.weights);
  }
  for (const single_segment& g : segments_) {
    std::uint32_t* t = single_targets_.data() + g.begin;
    float* d = single_delays_.data() + g.begin;
    sort(
        t, g.count,
        [&](std::uint32_t a, std::uint32_t b) {
          return std::pair(d[a], t[a]) < std::pair(d[b], t[b]);
        },
        d, g.uniform() ? nullptr : single_increments_.data() + g.weights);
  }
}

std::uint64_t synapse_store::bytes() const {
  return increments_.capacity() * sizeof(double) + targets_.capacity() * sizeof(std::uint32_t) +
         groups_.capacity() * sizeof(delay_group) +
         group_begin_.capacity() * sizeof(std::uint32_t) +
         group_since_.capacity() * sizeof(double) +
         segment_begin_.capacity() * sizeof(std::uint32_t) +
         segments_.capacity() * sizeof(single_segment) +
         single_targets_.capacity() * sizeof(std::uint32_t) +
         single_delays_.capacity() * sizeof(float) + single_increments_.capacity() * sizeof(double);
}

}  // namespace syn::detail
