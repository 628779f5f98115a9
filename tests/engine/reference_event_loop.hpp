#pragma once

// What the two conductance references (conductance_reference.cpp, mg_block_reference.cpp) share
// around their integrators, in the number type of each: the cell's parameters, kernels and
// synapses; the loop over inputs, samples and the ends of refractoriness; spikes and resets; and
// the bookkeeping that decides when double precision cannot be expected to reproduce a spike or
// a sample. `Derived` integrates u = V - rest between events, through
//   std::optional<Number> evolve(const Number& t): from now_ to t, or to the first threshold
//     crossing, with now_ and u_ left there and u's slope there returned;
//   void advance_rows(const Number& len): the kernels over len ms while V is held at reset;
//   void receive(const synapse_model<Number>& s, std::size_t synapse): a current or conductance
//     input on synapse number `synapse`;
//   Number slope_after_reset() const: u' just after V is set to reset at now_.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference_neuron.hpp"
#include "reference_result.hpp"

namespace syn::reference {

// A term coef * t^power * exp(-nu_rate t) of a unit-peak kernel.
template <class Number>
struct term {
  Number coef;
  int power;
  std::size_t rate;
};

template <class Number>
struct synapse_model {
  enum class kind { jump, current, conductance } what;
  std::size_t receptor;
  Number scale;  // jump: mV; current: mV/ms at the kernel's peak; conductance: peak g / C (1/ms)
};

template <class Number, class Derived>
class event_loop {
 public:
  sampled_result<Number> run();

 protected:
  using kind = typename synapse_model<Number>::kind;

  event_loop(const cell& c, double duration, const std::vector<double>& sample_times,
             const conditioning& limits);

  void flag(std::string why) {
    if (!out_.ill_conditioned) out_.ill_conditioned = std::move(why);
  }

  const conditioning& limits_;
  double duration_;
  const std::vector<double>& sample_times_;
  Number rest_, level_, reset_, inv_tau_, bias_c_, refractory_;
  double level_d_, refractory_d_;
  std::vector<double> taus_;                        // by rate
  std::vector<Number> nu_;                          // 1/tau by rate, 0 for an infinite one
  std::vector<std::vector<term<Number>>> kernels_;  // by receptor (current kinetics)
  std::vector<synapse_model<Number>> synapses_;
  std::vector<input> inputs_;  // sorted, up to the end of the run

  // The state at now_.
  Number now_ = 0, u_;
  std::optional<Number> refractory_until_;
  double sigma_ = 0;  // mV: what an earlier spike's timing error may have left in V

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }
  std::size_t rate_of(double tau);
  std::vector<term<Number>> unit_peak_kernel(const receptor_params& r);

  void fire(const Number& t, bool exact, const Number& slope);
  void end_refractoriness();
  void apply_inputs(std::size_t& next);
  void record_sample(std::size_t k);

  double pending_dt_ = 0;  // ms: the timing error of the spike whose refractoriness runs
  std::vector<std::size_t> held_samples_;  // taken in refractoriness within pending_dt_ of its end
  std::optional<Number> last_crossing_;    // the latest spike not at an input's arrival
  sampled_result<Number> out_;
};

template <class Number, class Derived>
event_loop<Number, Derived>::event_loop(const cell& c, double duration,
                                        const std::vector<double>& sample_times,
                                        const conditioning& limits)
    : limits_(limits), duration_(duration), sample_times_(sample_times) {
  const neuron_params& n = c.neuron;
  rest_ = n.rest;
  level_ = Number(n.threshold) - rest_;
  reset_ = Number(n.reset.value_or(n.rest)) - rest_;
  inv_tau_ = 1 / Number(n.tau_m);
  bias_c_ = n.bias == 0 ? Number(0) : Number(Number(n.bias) / Number(*n.capacitance));
  refractory_ = n.refractory;
  level_d_ = to_double(level_);
  refractory_d_ = n.refractory;
  u_ = Number(n.v0.value_or(n.rest)) - rest_;

  for (const receptor_params& r : c.receptors) {
    kernels_.push_back(r.kind == kinetics::current ? unit_peak_kernel(r)
                                                   : std::vector<term<Number>>{});
  }
  for (const synapse& s : c.synapses) {
    const receptor_params& r = c.receptors[s.receptor];
    synapse_model<Number> m{kind::current, s.receptor, 0};
    if (r.kind == kinetics::jump) {
      m.what = kind::jump;
      m.scale = to_number<Number>(input_scale(n, r, s));
    } else if (s.unit == weight_unit::nS) {
      m.what = kind::conductance;
      const real attenuation = std::isinf(n.length_constant)
                                   ? real(1)
                                   : real(exp(-real(s.distance) / real(n.length_constant)));
      m.scale = to_number<Number>(real(attenuation * s.weight / *n.capacitance));
    } else {
      m.scale = to_number<Number>(input_scale(n, r, s));
    }
    synapses_.push_back(m);
  }
  for (const input& in : c.inputs) {
    if (in.time <= duration) inputs_.push_back(in);
  }
  std::stable_sort(inputs_.begin(), inputs_.end(),
                   [](const auto& a, const auto& b) { return a.time < b.time; });
}

template <class Number, class Derived>
std::size_t event_loop<Number, Derived>::rate_of(double tau) {
  const auto it = std::find(taus_.begin(), taus_.end(), tau);
  if (it != taus_.end()) return static_cast<std::size_t>(it - taus_.begin());
  taus_.push_back(tau);
  nu_.push_back(std::isinf(tau) ? Number(0) : Number(1 / Number(tau)));
  return taus_.size() - 1;
}

// The receptor's kernel scaled to a peak of 1, as conductance and current kernels both are.
template <class Number, class Derived>
std::vector<term<Number>> event_loop<Number, Derived>::unit_peak_kernel(const receptor_params& r) {
  const Number scale = to_number<Number>(real(1 / current_peak(r)));
  if (r.rise == 0) return {{scale, 0, rate_of(r.decay)}};
  if (r.rise == r.decay) return {{scale, 1, rate_of(r.decay)}};
  return {{scale, 0, rate_of(r.decay)}, {-scale, 0, rate_of(r.rise)}};
}

// exact: at an input's arrival (or at 0), so double arithmetic has the time exactly.
template <class Number, class Derived>
void event_loop<Number, Derived>::fire(const Number& t, bool exact, const Number& slope) {
  out_.spikes.push_back(t);
  const double t_d = to_double(t);
  const double tol = limits_.timing_tolerance;
  double dt = 0;  // ms: how far the engine's spike may be from t
  if (!exact) {
    last_crossing_ = t;
    dt = (limits_.potential_error + sigma_) / to_double(slope);
    if (dt > tol || dt < 0) {
      flag(fmt::format("V crosses threshold at {:.3g} mV/ms with {:.3g} mV of uncertainty",
                       to_double(slope), limits_.potential_error + sigma_));
    }
    if (abs(t - duration_) < tol) flag("a spike at the end of the run");
    for (const input& in : inputs_) {
      if (abs(in.time - t) < tol) flag("an input next to a spike");
    }
    for (std::size_t k = out_.samples.size(); k-- > 0 && sample_times_[k] >= t_d - tol;) {
      out_.samples[k].ill_conditioned = true;
    }
  }
  // The engine rounds the spike time and the end of refractoriness to double.
  const Number end = t + refractory_;
  const bool end_exact = exact && Number(t_d + refractory_d_) == end;
  if (!end_exact) dt += std::numeric_limits<double>::epsilon() * (t_d + refractory_d_);
  if (refractory_ > 0) {
    for (const input& in : inputs_) {
      const bool jump = synapses_[in.synapse].what == kind::jump;
      if (jump && !end_exact && abs(in.time - end) < tol) {
        flag("a jump input next to the end of refractoriness");
      }
    }
  }
  u_ = reset_;
  sigma_ = 0;
  if (refractory_ > 0) {
    refractory_until_ = end;
    pending_dt_ = dt;
    held_samples_.clear();
  } else {
    sigma_ = std::abs(to_double(derived().slope_after_reset())) * dt;
  }
}

template <class Number, class Derived>
void event_loop<Number, Derived>::end_refractoriness() {
  refractory_until_.reset();
  u_ = reset_;
  // A timing error dt of the spike shifts the whole trajectory from reset by dt.
  sigma_ = std::abs(to_double(derived().slope_after_reset())) * pending_dt_;
  if (sigma_ > limits_.sample_tolerance) {
    for (std::size_t k : held_samples_) out_.samples[k].ill_conditioned = true;
  }
}

// Applies every input arriving at inputs_[next].time, all before threshold is tested.
template <class Number, class Derived>
void event_loop<Number, Derived>::apply_inputs(std::size_t& next) {
  const double t = inputs_[next].time;
  const bool refractory = refractory_until_.has_value();
  const Number near = limits_.grazing_tolerance + sigma_;
  if (!refractory && abs(u_ - level_) < near) flag("V next to threshold when an input arrives");
  bool jumped = false;
  for (; next < inputs_.size() && inputs_[next].time == t; ++next) {
    const std::size_t i = inputs_[next].synapse;
    const synapse_model<Number>& s = synapses_[i];
    if (s.what != kind::jump) {
      derived().receive(s, i);
    } else if (!refractory) {  // jumps during refractoriness are discarded
      u_ += s.scale;
      jumped = true;
    }
  }
  if (jumped && abs(u_ - level_) < near) flag("a jump input lands V next to threshold");
  if (!refractory && u_ >= level_) fire(now_, true, 0);
}

template <class Number, class Derived>
void event_loop<Number, Derived>::record_sample(std::size_t k) {
  const double t = sample_times_[k];
  sample<Number> s{rest_ + (refractory_until_ ? reset_ : u_)};
  if (refractory_until_) {
    if (*refractory_until_ - t <= pending_dt_) held_samples_.push_back(k);
  } else {
    s.ill_conditioned = sigma_ > limits_.sample_tolerance;
  }
  if (last_crossing_ && abs(t - *last_crossing_) < limits_.timing_tolerance) {
    s.ill_conditioned = true;
  }
  out_.samples.push_back(s);
}

template <class Number, class Derived>
sampled_result<Number> event_loop<Number, Derived>::run() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (u_ >= level_) fire(0, true, 0);
  std::size_t next_input = 0, next_sample = 0;
  while (true) {
    const double t_input = next_input < inputs_.size() ? inputs_[next_input].time : inf;
    const double t_sample = next_sample < sample_times_.size() ? sample_times_[next_sample] : inf;
    const double t_d = std::min({t_input, t_sample, duration_});
    const Number t = t_d;
    if (refractory_until_) {
      if (*refractory_until_ <= t) {
        derived().advance_rows(*refractory_until_ - now_);
        now_ = *refractory_until_;
        end_refractoriness();
        continue;
      }
      derived().advance_rows(t - now_);
      now_ = t;
    } else if (t > now_) {
      if (const auto slope = derived().evolve(t)) {
        fire(now_, false, *slope);
        continue;
      }
    }
    // At t: the inputs, then the samples, which see V after them.
    if (t_d == t_input) {
      apply_inputs(next_input);
    } else if (t_d == t_sample) {
      record_sample(next_sample++);
    } else {
      break;
    }
  }
  out_.v_end = rest_ + (refractory_until_ ? reset_ : u_);
  return std::move(out_);
}

}  // namespace syn::reference
