#include "lowering.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "connectivity.hpp"
#include "random_stream.hpp"
#include "syn/engine/model_error.hpp"

namespace syn::dsl {

namespace {

// Spike times of one source of a train, in ms: before the train's `to`, and up to the end of
// the last run, `until`, included (the engine processes events at a run's end).
std::vector<double> train_times(const group& g, std::uint32_t element, std::uint32_t group_index,
                                std::uint64_t seed, double until) {
  const double stop = g.stop.value_or(std::numeric_limits<double>::infinity());
  const auto past = [&](double t) { return t >= stop || t > until; };
  std::vector<double> times;
  switch (g.train) {
    case group::train_kind::times:
      return g.times;
    case group::train_kind::file:
      return {};  // the caller replays the file's sources instead
    case group::train_kind::regular: {
      const double period = 1.0 / g.rate;
      // k * period, a product rather than a running sum, so no rounding accumulates.
      for (std::uint64_t k = 0;; ++k) {
        const double t = g.start + static_cast<double>(k) * period;
        if (past(t)) break;
        times.push_back(t);
      }
      return times;
    }
    case group::train_kind::poisson: {
      if (g.rate <= 0) return times;
      random_stream rng(seed, static_cast<std::uint64_t>(stream_purpose::poisson),
                        (std::uint64_t{group_index} << 32) | element);
      for (double t = g.start + rng.exponential(1.0 / g.rate); !past(t);
           t += rng.exponential(1.0 / g.rate))
        times.push_back(t);
      return times;
    }
  }
  return times;
}

}  // namespace

std::optional<lowered> lower(const model& m, std::uint64_t seed, double until, diagnostics& diags) {
  lowered out;
  network& net = out.net;
  // Runs one step; an error the engine finds in it is reported at the statement behind it.
  const auto step = [&](span where, const auto& body) {
    try {
      body();
      return true;
    } catch (const model_error& e) {
      diags.error(where, e.what());
      return false;
    }
  };
  std::vector<receptor_id> receptors;
  for (const receptor_info& r : m.receptors)
    if (!step(r.where, [&] { receptors.push_back(net.add_receptor(r.params)); }))
      return std::nullopt;
  for (std::uint32_t gi = 0; gi < m.groups.size(); ++gi) {
    const group& g = m.groups[gi];
    const bool ok = step(g.where, [&] {
      if (g.is_train) {
        std::vector<std::vector<double>> sources;
        if (g.train == group::train_kind::file) {
          sources = g.replay;
        } else {
          for (std::uint32_t e = 0; e < g.size; ++e)
            sources.push_back(train_times(g, e, gi, seed, until));
        }
        out.first_node.push_back(net.add_sources(g.name, std::move(sources)).first);
        return;
      }
      const population pop = net.add_neurons(g.name, net.add_model(g.params), g.size);
      out.first_node.push_back(pop.first);
      if (g.v0) {
        random_stream rng(seed, stream_purpose::v0, gi);
        for (std::uint32_t e = 0; e < g.size; ++e) net.set_v0(pop[e], rng.draw(*g.v0));
      }
    });
    if (!ok) return std::nullopt;
  }
  for (std::uint32_t ci = 0; ci < m.connections.size(); ++ci) {
    const connection_info& c = m.connections[ci];
    // Pairs and values from separate streams: a weight that becomes a distribution does not
    // change which pairs are connected.
    random_stream rng(seed, stream_purpose::connect, ci);
    random_stream values(seed, stream_purpose::synapse_values, ci);
    const node_id pre0 = out.first_node[c.pre.group] + c.pre.first;
    const node_id post0 = out.first_node[c.post.group] + c.post.first;
    synapse_params s{receptors[c.receptor], 0.0, c.unit, 0.0, c.distance};
    const bool ok = step(c.where, [&] {
      for_each_pair(c.rule, c.pre.size(), c.post.size(), c.probability, c.degree, rng,
                    [&](std::uint32_t i, std::uint32_t j) {
                      s.weight = values.draw(c.weight);
                      s.delay = values.draw_positive(c.delay);
                      net.connect(pre0 + i, post0 + j, s);
                    });
    });
    if (!ok) return std::nullopt;
  }
  return out;
}

}  // namespace syn::dsl
