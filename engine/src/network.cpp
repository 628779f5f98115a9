#include "syn/engine/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cell/linear/cell_model.hpp"
#include "syn/engine/model_error.hpp"

namespace syn {

namespace {

template <typename... Args>
[[noreturn, gnu::cold, gnu::noinline]] void fail(fmt::format_string<Args...> message,
                                                 Args&&... args) {
  throw model_error(fmt::format(message, std::forward<Args>(args)...));
}

// The message is only formatted on failure, out of line: connect() runs once per synapse.
template <typename... Args>
void require(bool ok, fmt::format_string<Args...> message, Args&&... args) {
  if (!ok) [[unlikely]]
    fail(message, std::forward<Args>(args)...);
}

void require_set(double value, const char* what, const char* owner) {
  require(!std::isnan(value), "{}: {} is not set", owner, what);
  require(std::isfinite(value), "{}: {} must be finite", owner, what);
}

// +1 for an EPSP, -1 for an IPSP, 0 for a shunting receptor (reversal == rest).
double psp_sign(const receptor_params& r, const neuron_params& n) {
  switch (r.sign) {
    case effect::excitatory:
      return 1.0;
    case effect::inhibitory:
      return -1.0;
    case effect::from_reversal:
      break;
  }
  return *r.reversal > n.rest ? 1.0 : *r.reversal < n.rest ? -1.0 : 0.0;
}

}  // namespace

const char* unit_name(weight_unit unit) {
  switch (unit) {
    case weight_unit::mV:
      return "mV";
    case weight_unit::pA:
      return "pA";
    case weight_unit::nS:
      return "nS";
  }
  return "?";
}

model_id network::add_model(const neuron_params& p) {
  const char* owner = "neuron";
  require_set(p.rest, "rest", owner);
  require_set(p.threshold, "threshold", owner);
  require_set(p.tau_m, "tau_m", owner);
  require(p.tau_m >= min_time_constant, "neuron: tau_m ({} ms) must be at least {} ms", p.tau_m,
          min_time_constant);
  const double reset = p.reset.value_or(p.rest);
  require(std::isfinite(reset), "neuron: reset must be finite");
  require(reset < p.threshold, "neuron: reset ({} mV) must be below threshold ({} mV)", reset,
          p.threshold);
  require(std::isfinite(p.refractory) && p.refractory >= 0.0,
          "neuron: refractory ({} ms) must be zero or positive", p.refractory);
  if (p.capacitance)
    require(std::isfinite(*p.capacitance) && *p.capacitance > 0.0,
            "neuron: capacitance ({} pF) must be positive", *p.capacitance);
  require(std::isfinite(p.bias), "neuron: bias must be finite");
  require(p.bias == 0.0 || p.capacitance.has_value(),
          "neuron: a bias current needs the neuron's capacitance");
  require(!std::isnan(p.length_constant), "neuron: length_constant is not set");
  require(p.length_constant > 0.0, "neuron: length_constant ({} um) must be positive",
          p.length_constant);
  if (p.v0) require(std::isfinite(*p.v0), "neuron: v0 must be finite");
  models_.push_back(p);
  return static_cast<model_id>(models_.size() - 1);
}

receptor_id network::add_receptor(const receptor_params& r) {
  if (r.kind == kinetics::current) {
    require_set(r.decay, "decay", "receptor");
    require(r.decay >= min_time_constant, "receptor: decay ({} ms) must be at least {} ms", r.decay,
            min_time_constant);
    require(std::isfinite(r.rise) && r.rise >= 0.0,
            "receptor: rise ({} ms) must be zero or positive", r.rise);
    require(r.rise == 0.0 || r.rise >= min_time_constant,
            "receptor: rise ({} ms) must be 0 or at least {} ms", r.rise, min_time_constant);
    require(r.rise <= r.decay, "receptor: rise ({} ms) must not exceed decay ({} ms)", r.rise,
            r.decay);
  }
  if (r.reversal) require(std::isfinite(*r.reversal), "receptor: reversal must be finite");
  require(std::isfinite(r.mg_block) && r.mg_block >= 0.0,
          "receptor: mg_block ({} mM) must be zero or positive", r.mg_block);
  require(r.mg_block == 0.0 || r.kind == kinetics::current,
          "receptor: a magnesium block acts on a conductance, which a jump receptor has not");
  require(r.reversal.has_value() || r.sign != effect::from_reversal,
          "receptor: states neither a reversal potential nor an effect, so whether it excites or "
          "inhibits is unknown");
  receptors_.push_back(r);
  return static_cast<receptor_id>(receptors_.size() - 1);
}

// Called before anything changes, so a refused call leaves the network as it was.
void network::check_room(std::uint64_t count) const {
  require(std::uint64_t{node_count_} + count <= std::uint64_t{UINT32_MAX},
          "network: too many neurons and sources (at most 2^32 - 1)");
}

population network::add_population(population pop) {
  pop.first = node_count_;
  pop.born = effect_time_;
  node_count_ += pop.size;
  v0_.resize(node_count_, not_set);
  populations_.push_back(std::move(pop));
  regular_.emplace_back();
  poisson_.emplace_back();
  train_kind_.push_back(source_train::kind::times);
  return populations_.back();
}

population network::add_neurons(std::string name, model_id model, std::uint32_t count) {
  require(model < models_.size(), "network: unknown neuron model {}", model);
  check_room(count);
  population pop{std::move(name), false, model, 0, count, neuron_count_};
  neuron_count_ += count;
  return add_population(std::move(pop));
}

population network::add_sources(std::string name, std::vector<std::vector<double>> spike_times) {
  check_room(spike_times.size());
  for (auto& times : spike_times) {
    for (const double t : times)
      require(std::isfinite(t) && t >= 0.0,
              "source: spike time {} ms must be finite and not negative", t);
    std::sort(times.begin(), times.end());
  }
  const auto count = static_cast<std::uint32_t>(spike_times.size());
  population pop{
      std::move(name), true, 0, 0, count, static_cast<std::uint32_t>(source_times_.size())};
  for (auto& times : spike_times) source_times_.push_back(std::move(times));
  return add_population(std::move(pop));
}

population network::add_sources(std::string name, std::uint32_t count, const regular_train& train) {
  require(std::isfinite(train.interval) && train.interval > 0.0,
          "train: interval ({} ms) must be positive", train.interval);
  const population added =
      add_generated(std::move(name), count, source_train::kind::regular, train.start, train.stop);
  regular_.back() = train;
  return added;
}

population network::add_sources(std::string name, std::uint32_t count, const poisson_train& train) {
  require(std::isfinite(train.rate) && train.rate >= 0.0,
          "train: rate ({} kHz) must be finite and not negative", train.rate);
  const population added =
      add_generated(std::move(name), count, source_train::kind::poisson, train.start, train.stop);
  poisson_.back() = train;
  return added;
}

population network::add_generated(std::string name, std::uint32_t count, source_train::kind kind,
                                  double start, double stop) {
  check_room(count);
  require(std::isfinite(start) && start >= 0.0,
          "train: start ({} ms) must be finite and not negative", start);
  require(!std::isnan(stop), "train: stop is not a number");
  population pop{
      std::move(name), true, 0, 0, count, static_cast<std::uint32_t>(source_times_.size())};
  source_times_.resize(source_times_.size() + count);
  const population added = add_population(std::move(pop));
  train_kind_.back() = kind;
  return added;
}

void network::take_effect_at(double t) {
  require(std::isfinite(t) && t >= 0.0,
          "network: effect time ({} ms) must be finite and not negative", t);
  if (t == effect_time_) return;
  effect_time_ = t;
  if (!connection_times_.empty() && connection_times_.back().first == connections_.size())
    connection_times_.back().second = t;
  else
    connection_times_.emplace_back(connections_.size(), t);
}

double network::effect_time(std::uint64_t connection) const {
  const auto it = std::upper_bound(
      connection_times_.begin(), connection_times_.end(), connection,
      [](std::uint64_t i, const std::pair<std::uint64_t, double>& seg) { return i < seg.first; });
  return it == connection_times_.begin() ? 0.0 : std::prev(it)->second;
}

const population& network::population_of(node_id node) const {
  require(node < node_count_, "network: unknown node {}", node);
  const auto it = std::upper_bound(populations_.begin(), populations_.end(), node,
                                   [](node_id n, const population& p) { return n < p.first; });
  return *std::prev(it);
}

std::vector<model_id> network::model_by_node() const {
  std::vector<model_id> model(node_count_, 0);
  for (const population& p : populations_)
    if (!p.is_source) std::fill_n(model.begin() + p.first, p.size, p.model);
  return model;
}

bool network::is_neuron(node_id node) const { return !population_of(node).is_source; }

const neuron_params& network::model_of(node_id neuron) const {
  const population& pop = population_of(neuron);
  require(!pop.is_source, "network: node {} is a source, not a neuron", neuron);
  return models_[pop.model];
}

double network::v0(node_id neuron) const {
  const neuron_params& m = model_of(neuron);
  return std::isnan(v0_[neuron]) ? m.v0.value_or(m.rest) : v0_[neuron];
}

network::source_train network::train_of(node_id source) const {
  const population& pop = population_of(source);
  require(pop.is_source, "network: node {} is a neuron, not a source", source);
  const auto p = static_cast<std::size_t>(&pop - populations_.data());
  source_train train{train_kind_[p]};
  train.element = source - pop.first;
  switch (train.shape) {
    case source_train::kind::times:
      train.times = &source_times_[pop.first_index + train.element];
      break;
    case source_train::kind::regular:
      train.regular = &regular_[p];
      break;
    case source_train::kind::poisson:
      train.poisson = &poisson_[p];
      break;
  }
  return train;
}

void network::set_v0(node_id neuron, double v0) {
  model_of(neuron);
  require(std::isfinite(v0), "neuron: v0 must be finite");
  v0_[neuron] = v0;
}

// Connections come in runs onto one population with one receptor: the population is looked
// up from the last one found, and the weight's scale is worked out once per run.
std::size_t network::population_index(node_id node) {
  require(node < node_count_, "network: unknown node {}", node);
  const population& last = populations_[last_population_];
  if (node >= last.first && node - last.first < last.size) return last_population_;
  last_population_ = static_cast<std::size_t>(&population_of(node) - populations_.data());
  return last_population_;
}

const network::weight_scale& network::scale_of(std::size_t p, const synapse_params& s) {
  weight_scale& w = last_scale_;
  const neuron_params& n = models_[populations_[p].model];
  const receptor_params& r = receptors_[s.receptor];
  require(std::isfinite(s.distance) && s.distance >= 0.0,
          "synapse: distance ({} um) must be zero or positive", s.distance);
  if (s.unit != weight_unit::mV)
    require(r.kind != kinetics::jump, "synapse: a jump receptor takes weights in mV, not {}",
            unit_name(s.unit));
  if (s.unit != weight_unit::mV)
    require(n.capacitance.has_value(),
            "synapse: a weight in {} needs the target neuron's capacitance", unit_name(s.unit));
  require(r.mg_block == 0.0 || s.unit == weight_unit::nS,
          "synapse: a receptor with a magnesium block takes weights in nS, not {}",
          unit_name(s.unit));
  if (s.unit == weight_unit::nS) {
    require(r.reversal.has_value(),
            "synapse: a weight in nS needs the receptor's reversal potential");
    // V is stepped on the membrane's own time scale between a conductance's inputs.
    require(n.tau_m >= min_conductance_tau_m,
            "synapse: a weight in nS needs a target tau_m of at least {} ms, not {} ms",
            min_conductance_tau_m, n.tau_m);
  }
  double scale = 1.0;
  if (r.kind == kinetics::current) {
    if (s.unit == weight_unit::mV) {
      // One unit of input into the first stage peaks at psp_peak * inv_c mV.
      const double inv_c = n.capacitance ? 1.0 / *n.capacitance : 1.0;
      const auto key = std::pair{populations_[p].model, s.receptor};
      auto it = psp_peaks_.find(key);
      if (it == psp_peaks_.end())
        it = psp_peaks_.emplace(key, detail::psp_peak(r, 1.0 / n.tau_m)).first;
      scale = 1.0 / (it->second * inv_c);
    } else {
      scale = 1.0 / detail::current_peak(r);  // a current's or a conductance's peak of 1
    }
  }
  const double attenuation = std::exp(-s.distance / n.length_constant);
  // A conductance has no sign: its driving force decides.
  const double sign = s.unit == weight_unit::nS ? 1.0 : psp_sign(r, n);
  w = {p, s.receptor, s.unit, s.distance, sign * attenuation, scale};
  return w;
}

// A synapse's own weight and delay.
void network::check_magnitudes(const synapse_params& s) const {
  require(std::isfinite(s.weight) && s.weight >= 0.0,
          "synapse: weight ({} {}) must be a magnitude, zero or positive; the "
          "receptor decides the sign",
          s.weight, unit_name(s.unit));
  require_set(s.delay, "delay", "synapse");
  require(s.delay > 0.0, "synapse: delay ({} ms) must be positive", s.delay);
}

// A conductance's own time constant, C / g, bounds the steps as tau_m does (scale_of).
void network::check_conductance(std::size_t p, double weight, const weight_scale& w) const {
  const double capacitance = *models_[populations_[p].model].capacitance;
  require(weight * w.sign_attenuation * min_conductance_tau_m <= capacitance,
          "synapse: a conductance of {} nS on {} pF makes a membrane time constant shorter than "
          "{} ms",
          weight * w.sign_attenuation, capacitance, min_conductance_tau_m);
}

void network::connect(node_id pre, node_id post, const synapse_params& s) {
  require(pre < node_count_, "network: unknown node {}", pre);
  const std::size_t p = population_index(post);
  require(!populations_[p].is_source,
          "synapse: node {} is a spike source; sources cannot receive synapses", post);
  require(s.receptor < receptors_.size(), "network: unknown receptor {}", s.receptor);
  check_magnitudes(s);
  const weight_scale& w = last_scale_.fits(p, s) ? last_scale_ : scale_of(p, s);
  if (s.unit == weight_unit::nS) check_conductance(p, s.weight, w);
  connections_.push_back({pre, post, s.receptor, s.unit == weight_unit::nS, s.own_delay,
                          w.sign_attenuation * s.weight * w.scale, s.delay});
}

void network::project(node_id pre_first, std::uint32_t pre_count, node_id post_first,
                      std::uint32_t post_count, const synapse_params& s, bool drawn_weights,
                      std::shared_ptr<const synapse_rule> rule) {
  require(std::uint64_t{pre_first} + pre_count <= node_count_, "network: unknown node {}",
          std::uint64_t{pre_first} + pre_count - 1);
  const std::size_t p = population_index(post_first);
  const population& pop = populations_[p];
  require(!pop.is_source, "synapse: node {} is a spike source; sources cannot receive synapses",
          post_first);
  require(std::uint64_t{post_first - pop.first} + post_count <= pop.size,
          "network: a projection onto nodes {} to {} reaches beyond population {}", post_first,
          std::uint64_t{post_first} + post_count - 1, pop.name);
  require(s.receptor < receptors_.size(), "network: unknown receptor {}", s.receptor);
  synapse_params checked = s;
  if (drawn_weights) checked.weight = 0.0;
  if (s.own_delay) checked.delay = 1.0;
  check_magnitudes(checked);
  const weight_scale& w = scale_of(p, s);
  if (s.unit == weight_unit::nS && !drawn_weights) check_conductance(p, s.weight, w);
  projection made{pre_first,
                  pre_count,
                  post_first,
                  post_count,
                  pop.model,
                  s.receptor,
                  s.unit == weight_unit::nS,
                  drawn_weights,
                  s.own_delay,
                  w.sign_attenuation * s.weight * w.scale,
                  w.sign_attenuation,
                  w.scale,
                  s.delay,
                  effect_time_,
                  connections_.size(),
                  std::move(rule)};
  if (drawn_weights && s.unit == weight_unit::nS)
    made.rule->make([](node_id) { return true; }, [&](node_id, node_id, double weight,
                                                      double) { check_conductance(p, weight, w); });
  projections_.push_back(std::move(made));
}

}  // namespace syn
