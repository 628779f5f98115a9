#pragma once
// An independent reference for the teaching examples' single cells: the leaky integrate-and-fire
// membrane C dV/dt = g_L (rest - V) + bias + the synapses' currents, integrated with classic
// Runge-Kutta in small fixed steps (none of the engine's closed forms or its exact threshold
// search), with the magnesium block of Jahr & Stevens 1990 where a synapse asks for it.

#include <vector>

namespace syn::test {

// The peak of exp(-t/decay) - exp(-t/rise) (1 when rise is 0).
double biexp_peak(double rise, double decay);

// exp(-t/decay) - exp(-t/rise) normalised to a peak of 1 (exp(-t/decay) when rise is 0), 0
// before t = 0: the time course of every receptor's current or conductance.
double kernel(double t, double rise, double decay);

struct synaptic_input {
  double arrival_ms = 0;
  double rise_ms = 0;
  double decay_ms = 0;
  double current_pA = 0;      // a current synapse: its peak current (signed)
  double conductance_nS = 0;  // or a conductance synapse: its peak conductance ...
  double reversal_mV = 0;     // ... and reversal
  double mg_block_mM = 0;     // the conductance times B(V) at this [Mg2+] (0: none)
};

struct cell {
  double rest_mV = -70;
  double threshold_mV = -55;
  double reset_mV = -70;
  double refractory_ms = 0;
  double tau_m_ms = 10;
  double capacitance_pF = 100;
  double bias_pA = 0;
};

// Jahr & Stevens 1990: the unblocked fraction 1 / (1 + [Mg] / 3.57 mM exp(-0.062 V / mV)).
double mg_unblocked(double v_mV, double mg_mM);

// The peak of the PSP at rest of a current synapse of 1 pA with these kinetics, in mV (closed
// form, maximised on a fine grid): what an mV weight is divided by to give its current.
double psp_peak_per_pA(const cell& c, double rise_ms, double decay_ms);

struct trajectory {
  std::vector<double> spikes_ms;
  std::vector<double> v_mV;  // every `sample_ms`, from 0
};

// V from rest at t = 0 to `end_ms`, sampled every `sample_ms` (a multiple of `step_ms`), its
// spike times found by bisecting the step that crosses threshold, then held at reset while
// refractory.
trajectory simulate(const cell& c, const std::vector<synaptic_input>& inputs, double end_ms,
                    double sample_ms, double step_ms = 1e-3);

}  // namespace syn::test
