#pragma once

// Where a Taylor step of a conductance cell (taylor_step.hpp) fires: the first s in [0, length]
// at which p(s) reaches threshold, or has a maximum within peak_tolerance below it (SPEC §1).
//
// Why no crossing is missed. p is a polynomial of known degree; on [l, r] its Bernstein
// coefficients b_0 .. b_N bound it (p lies in their convex hull), b_0 = p(l), b_N = p(r), and
// the differences b_{i+1} - b_i are, up to a positive factor, the Bernstein coefficients of p'.
// The search goes from left to right over a subdivision of the step:
// - max b < threshold - peak_tolerance: p stays below the band on [l, r]: no firing there.
// - b non-decreasing: p rises; it reaches threshold on [l, r] if and only if p(r) does, and the
//   single crossing is polished by bracketed Newton. Otherwise it ends below threshold, still
//   rising: a maximum in the band can only come after r.
// - b non-increasing: p falls, so its maximum on [l, r] is p(l). If p(l) is in the band, l is a
//   maximum within the tolerance (p rose up to l: everything before was searched and had
//   neither a crossing nor such a maximum), so it fires at l.
// - otherwise [l, r] is halved, the left half first. The coefficients converge to p as the
//   intervals shrink, so each interval ends in one of the cases above, except around a
//   maximum within rounding of the band, or a crossing at a point where p' = 0; there, when
//   [l, r] spans a few ULP of the absolute time, it fires at l: within the rounding of V, that is
//   a maximum within the tolerance or a crossing.
// And u itself: p is within the step's `error` of u (a few ULP of the potentials, 1e-14 mV or
// so), far less than peak_tolerance. Where u reaches threshold, p reaches threshold - error, in
// the band: p then crosses or has a maximum in the band at or before that point, which the
// search finds. So no crossing of u is missed; a maximum of u within `error` of the band's lower
// edge may be decided either way, and a firing time is off by at most the time V takes to move
// by `error` (within ULP of the time for any crossing that is not grazing).

#include <optional>

#include "cell/conductance/taylor_step.hpp"

namespace syn::detail {

// The first firing in the step, relative to its start `now` (ms), given p(0) < threshold (u
// has not fired at the step's start).
std::optional<double> first_firing(const taylor_step& step, double threshold_rel, double now);

}  // namespace syn::detail
