#include "cell/linear/mode_basis.hpp"

#include <algorithm>
#include <cmath>

namespace syn::detail {

namespace {

constexpr double separation = 0.1;

bool apart(double a, double b) { return std::abs(a - b) >= separation * std::max(a, b); }

}  // namespace

void mode_basis::state(double u_amplitude, const double* others, const double* decay,
                       double* y) const {
  double u = y_inf[0] + u_amplitude * decay[0];  // u's own mode moves u alone
  for (std::uint32_t k = 1; k < dim; ++k) {
    const double own = others[k - 1] * decay[k];  // v_kk = 1
    y[k] = own;
    u += u_weight[k] * own;
  }
  y[0] = u;
  for (const entry& e : entries) y[e.row] += e.value * (others[e.mode - 1] * decay[e.mode]);
}

mode_basis make_mode_basis(const cell_model& m) {
  mode_basis b;
  const double rm = m.membrane_rate;
  for (const receptor_slot& s : m.slots) {
    if (!apart(s.decay_rate, rm)) return b;
    if (s.has_rise && (!apart(s.rise_rate, rm) || !apart(s.rise_rate, s.decay_rate))) return b;
  }
  b.usable = true;
  b.dim = m.dim;
  const std::uint32_t n = m.dim;
  b.rates.assign(n, rm);
  std::vector<double> vectors(n * n, 0.0);  // row = state component, column = stage's mode
  b.y_inf.assign(n, 0.0);
  b.y_inf[0] = m.u_inf;
  const auto v = [&](std::uint32_t row, std::uint32_t col) -> double& {
    return vectors[row * n + col];
  };
  v(0, 0) = 1.0;
  mode_basis::impulse jump;
  jump.count = 1;
  jump.stage[0] = 0;
  jump.gamma[0] = 1.0;
  b.impulses.push_back(jump);
  double fastest = rm;
  for (const receptor_slot& s : m.slots) {
    const std::uint32_t i = s.current;
    const double rd = s.decay_rate;
    // Current mode: I = e^{-rd s}, u = inv_c e^{-rd s} / (rm - rd).
    b.rates[i] = rd;
    v(i, i) = 1.0;
    v(0, i) = m.inv_c / (rm - rd);
    fastest = std::max(fastest, rd);
    mode_basis::impulse in;
    if (!s.has_rise) {
      // e_I = v_I - inv_c / (rm - rd) v_u
      in.count = 2;
      in.stage = {i, 0, 0};
      in.gamma = {1.0, -m.inv_c / (rm - rd), 0.0};
    } else {
      const std::uint32_t x = i + 1;
      const double rr = s.rise_rate;
      // Rise mode: x = e^{-rr s}, I = e^{-rr s} / (rd - rr), u = inv_c e^{-rr s} / ((rd - rr)(rm -
      // rr)).
      b.rates[x] = rr;
      v(x, x) = 1.0;
      v(i, x) = 1.0 / (rd - rr);
      v(0, x) = m.inv_c / ((rd - rr) * (rm - rr));
      fastest = std::max(fastest, rr);
      // e_x = v_x - v_I / (rd - rr) + inv_c / (rd - rr) (1 / (rm - rd) - 1 / (rm - rr)) v_u
      in.count = 3;
      in.stage = {x, i, 0};
      in.gamma = {1.0, -1.0 / (rd - rr), m.inv_c / (rd - rr) * (1.0 / (rm - rd) - 1.0 / (rm - rr))};
    }
    b.impulses.push_back(in);
  }
  b.epoch_length = 30.0 / fastest;
  b.u_weight.assign(n, 0.0);
  for (std::uint32_t k = 1; k < n; ++k) {
    b.u_weight[k] = v(0, k);
    for (std::uint32_t i = 1; i < n; ++i)
      if (i != k && v(i, k) != 0.0) b.entries.push_back({i, k, v(i, k)});
  }
  return b;
}

}  // namespace syn::detail
