#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "syn/engine/network.hpp"

namespace syn::detail {

// The highest degree of the Taylor polynomials that advance V (taylor_step.hpp).
inline constexpr std::uint32_t max_degree = 24;
using series = std::array<double, max_degree + 2>;
// The largest multiple of a common rate that the expansion in w takes (taylor_step.hpp): the
// binomial coefficients of (1 - w)^m grow with m, and so would the rounding of their sums.
inline constexpr std::uint32_t max_multiple = 8;

// One input port of a conductance cell: a receptor's conductance g (nS) or current (pA), as the
// linear cell's currents a chain of one or two first-order stages, g' = -decay_rate g + x,
// x' = -rise_rate x, fed at x (or at g without a rise). In u = V - rest, the membrane obeys
//   u' = b(t) - a(t) u,   a = 1/tau_m + sum to_a g,   b = bias / C + sum to_b g,
// with to_a = 1/C, to_b = (E - rest)/C for a conductance and to_a = 0, to_b = 1/C for a current.
struct port_kernel {
  input_port port;
  std::uint32_t g = 0;  // index of g in a neuron's kernel state; x, when there is one, follows
  bool has_rise = false;
  double decay_rate = 0.0;  // 1/ms
  double rise_rate = 0.0;   // 1/ms, >= decay_rate, when has_rise
  double to_a = 0.0;
  double to_b = 0.0;
  double reversal_rel = 0.0;  // |E - rest|, mV, for a conductance (the steps' error budget)
  // A magnesium block (blocked_step.hpp): the conductance is scaled by B(u) = 1 / (1 + e^w),
  // w = block_offset - mg_slope u, block_offset = ln([Mg] / 3.57 mM) - mg_slope rest (in
  // logarithms, so that no product overflows however far V lies from rest).
  bool blocked = false;
  double block_offset = 0.0;
  // What a unit of g, and of x, adds to the kernel's integral over all time: 1 / decay and
  // 1 / (rise decay) (propagate_kernels' test for a spent kernel).
  double area_g = 0.0;
  double area_x = 0.0;
  // Taylor coefficients at 0 of g's response to a unit g (e^{-decay s}) and to a unit x
  // (chain2(rise, decay, s)), and the bounds of their tails that the remainder takes:
  // decay^m / m!, and rise^(m-1) / (m-1)! (m >= 1), which bound the coefficients from m on
  // (|chain2_j| = h_{j-1}(rise, decay) / j! <= rise^(j-1) / (j-1)!).
  series from_g{};
  series from_x{};
  series tail_g{};
  series tail_x{};
  // With a common rate (conductance_model::common_rate), e^{-decay s} = z^m with
  // z = e^{-common_rate s} = 1 - w: the coefficients in w of g's response to a unit g,
  // (1 - w)^m_decay, and to a unit x, ((1 - w)^m_decay - (1 - w)^m_rise) / (rise - decay).
  std::array<double, max_multiple + 1> in_w_from_g{};
  std::array<double, max_multiple + 1> in_w_from_x{};
};

// A neuron model with conductance synapses, lowered for simulation.
struct conductance_model {
  double rest = 0.0;
  double threshold_rel = 0.0;  // threshold - rest
  double reset_rel = 0.0;      // reset - rest
  double refractory = 0.0;
  double leak_rate = 0.0;  // 1 / tau_m: a's constant part
  double drive = 0.0;      // bias / C: b's constant part
  // mV: the size of the potentials involved (1 mV, threshold and reset; taylor_step adds u and
  // the reversals of the conductances open): the Taylor steps' error is kept below a few ULP.
  double scale = 1.0;
  // The Taylor steps' error budget, in ULP of: scale plus the |E - rest| of the model's
  // conductance ports (of a view's, the open ones: with_open).
  double budget_scale = 1.0;
  // 1/ms: |bias / C| / scale, how fast the bias alone moves u across the model's potentials.
  double drift = 0.0;
  // Whether a port has a magnesium block: V's equation is then nonlinear (blocked_step.hpp).
  bool blocked = false;
  std::vector<port_kernel> ports;
  std::uint32_t dim = 0;  // kernel state per neuron
  // A rate (1/ms) of which every kernel rate is a small multiple, no larger than max_multiple,
  // and the largest multiple; 0 when there is none (or an alpha kernel, whose t e^{-t/tau} is
  // no polynomial in z). Then a, b are polynomials in w = 1 - e^{-common_rate s}.
  double common_rate = 0.0;
  std::uint32_t largest_multiple = 0;
  // The rates (1/ms, ascending, the first 0) of the exponentials that bound V's equilibrium
  // (equilibrium_bound.hpp), and for each port the rates of its g and its x term.
  std::vector<double> bound_rates;
  std::vector<std::array<std::uint32_t, 2>> bound_bins;

  // The model restricted to the ports whose kernels are open (open_ports), with its own
  // expansion in w: a Taylor step depends only on them, so a port added to a growing network
  // leaves the past unchanged. All ports open (the common case), or too many to tell by bits:
  // the model itself; otherwise made on first use and kept (a model has few such sets).
  const conductance_model& with_open(std::uint64_t open) const {
    return ports.size() >= 64 || open + 1 == std::uint64_t{1} << ports.size() ? *this
                                                                               : view(open);
  }

 private:
  const conductance_model& view(std::uint64_t open) const;
  mutable std::vector<std::pair<std::uint64_t, std::unique_ptr<conductance_model>>> views_;
};

conductance_model make_conductance_model(const neuron_params& params,
                                         const std::vector<input_port>& ports,
                                         const std::vector<receptor_params>& receptors);

// Whether port p's kernel is open (not all 0) in a kernel state.
inline bool is_open(const port_kernel& p, const double* kernels) {
  return kernels[p.g] != 0.0 || (p.has_rise && kernels[p.g + 1] != 0.0);
}

// Bit i: port i's kernel is open (ports from 63 on share bit 63); 0 when none is.
inline std::uint64_t open_ports(const conductance_model& m, const double* kernels) {
  std::uint64_t open = 0;
  for (std::size_t i = 0; i < m.ports.size(); ++i)
    if (is_open(m.ports[i], kernels)) open |= std::uint64_t{1} << std::min<std::size_t>(i, 63);
  return open;
}

// Brings a kernel state forward by dt >= 0 (in and out may alias); a kernel that can no longer
// move u by more than 2^-60 of it becomes 0.
void propagate_kernels(const conductance_model& m, const double* in, double* out, double dt);

}  // namespace syn::detail
