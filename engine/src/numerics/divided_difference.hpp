#pragma once

// Impulse responses of chains of first-order linear stages, x_k' = -rate_k x_k + x_{k-1}.
// A unit impulse into the first of n stages gives, at the last one,
//   h_n(t) = t^(n-1) * exp[z_1, ..., z_n],   z_k = -rate_k t,
// the divided difference of exp over the scaled rates. Written this way the response has no
// singularity when rates coincide (h_2 becomes t e^{-rate t}, the alpha function) and, computed
// as below, loses no digits when they nearly coincide, where the textbook form
// (e^{-a t} - e^{-b t}) / (b - a) cancels catastrophically.

namespace syn::detail {

// (e^z - 1) / z, with its limit 1 at z = 0.
double phi1(double z);

// h_1 = e^{-a t}.
double chain1(double a, double t);
// h_2 = (e^{-b t} - e^{-a t}) / (a - b); t e^{-a t} when a == b.
double chain2(double a, double b, double t);
// h_3 = the response after three stages; symmetric in its rates.
double chain3(double a, double b, double c, double t);

// Time of the maximum of h_2 over t > 0.
double chain2_peak_time(double a, double b);

}  // namespace syn::detail
