#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <span>
#include <vector>

#include "run/input_arrivals.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/record_sink.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::dsl {

// A PSP on V's exact trajectory from its input's arrival at t_a, the neuron evolving as nothing
// else touches it. V moves away from V_a = V just before the arrival, up for sign +1 (an EPSP)
// and down for -1, to the peak: t_a itself after a jump that V relaxes from, else V's first
// maximum (minimum for -1) after it starts to move that way. The amplitude is V(peak) - V_a,
// signed (IPSPs negative); half-width is t_2 - t_1, V beyond V_a + amplitude / 2 from t_1 (on
// the rise; t_a after a jump) to t_2 (on the decay). The PSP is over at t_e, when V has come back
// to within 1 % of the amplitude from V_a: an earlier PSP must have decayed so far for a later
// one to be measured alone, on a baseline it moves by no more.
struct psp_shape {
  double amplitude;     // mV
  double time_to_peak;  // ms
  double half_width;    // ms
  double half_rise;     // ms: t_1 - t_a
  double end;           // ms: t_e
};

// The fraction of its amplitude within which a PSP is over.
inline constexpr double psp_over = 0.01;

// The PSP of the input that arrived at `arrival` onto `neuron`, `sim` being at that instant
// (its inputs in), `before` V and its slope just before it, `sign` its way (0: none) and `jump`
// whether its receptor's kinetics make V jump (else V moves smoothly from V_a). The peak
// is found where the slope changes sign, t_1, t_2 and t_e where V crosses its levels, each
// bracketed by a march whose steps are a sixteenth of the time since the arrival (at least 1 ns: a
// time constant's least), then bisected to adjacent doubles. None when V does not move that way
// before `horizon`; the end (and what comes after the peak) infinite when the PSP is not over by
// then.
std::optional<psp_shape> trace_psp(const simulator& sim, node_id neuron, double arrival,
                                   membrane_point before, double sign, bool jump, double horizon);

// An input measured alone.
struct psp {
  input_arrival input;
  psp_shape shape;
};

// The PSPs of one neuron's inputs: those measured alone (the first `kept` of them), and how many
// were not.
struct psp_report {
  node_id neuron;
  std::vector<psp> alone;
  std::uint64_t alone_count = 0;
  std::uint64_t overlapping = 0;  // another input or a spike of the neuron within its PSP
  std::uint64_t unfinished = 0;   // not over by the end of the simulation
};

// Measures the PSP of every input onto some neurons while a simulator runs. An input arriving
// at t_a is measured alone when (1) no other input reaches the neuron at t_a, (2) its PSP
// (psp_shape) is over, at t_e, before the end of the simulation, (3) no other input arrives and
// the neuron does not spike in (t_a, t_e], (4) the inputs before it are over: each one's t_e is
// before t_a (an input that makes no PSP, as during refractoriness, counts as over at its
// arrival), and so is the neuron's last refractory period, and (5) the baseline is flat: V's
// slope just before t_a, kept up to t_e, would move V by at most 1 % of the amplitude (a V still
// falling on an earlier PSP's tail, or relaxing from reset or v0, would distort it).
//
// run_until() steps the simulator from event to event, each step as long as no spike still to
// come can reach the neurons within it (the shortest delay after the next event), and stops
// after every event before an arrival (V_a is V's limit there) and at it (for the trajectory).
// That splits the run into instants but changes no result; the spikes must reach take() as the
// simulator streams them.
class psp_probe final : public record_sink {
 public:
  // At most `kept` alone PSPs are kept per neuron (the rest counted); `horizon` is the end of
  // the simulation.
  psp_probe(const network& net, std::vector<node_id> neurons, double horizon, std::size_t kept);

  void run_until(simulator& sim, double end);
  // The spikes come from sim.spikes() instead of take(): the simulator keeps them (the REPL).
  void read_kept_spikes() { reads_kept_ = true; }
  // The simulation has reached `now`: the last inputs whose PSPs were over before it are judged
  // (nothing arriving later can overlap them).
  void settle(double now);
  // The reports so far (the last inputs not judged yet left out).
  std::vector<psp_report> reports() const;
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample>) override {}
  // Judges each neuron's last input (nothing more arrives) and returns the reports, in the order
  // the neurons were given.
  std::vector<psp_report> finish();
  // How far a PSP is followed, when the end of the simulation is not known (the REPL).
  void set_horizon(double horizon) { horizon_ = horizon; }

 private:
  struct last_input {
    input_arrival input;
    std::optional<psp_shape> shape;
    std::uint64_t inputs = 1;     // arriving at once (more than one: none is alone)
    bool spoiled = false;         // the neuron spiked within the PSP
    double busy_before = 0.0;     // when the inputs and refractory periods before it were over
    double baseline_slope = 0.0;  // mV/ms: V's slope just before it
  };
  struct watched {
    node_id neuron;
    double refractory;
    std::optional<last_input> last;
    double busy_until = -1.0;  // ms: the PSPs and refractory periods so far are over
    double spiked_at = -1.0;   // ms: its last spike
    psp_report report;
  };
  struct later {
    bool operator()(const input_arrival& a, const input_arrival& b) const {
      return a.time > b.time;
    }
  };

  watched& of(node_id neuron);
  // sim.run_until(to), and the spikes it kept read when it keeps them.
  void advance(simulator& sim, double to);
  // The way an input moves V from v: a current synapse's sign; towards a conductance's reversal.
  double direction(const input_arrival& a, double v) const;
  // The last input of w is judged: nothing else arrives before `next` (ms).
  void judge(watched& w, double next);

  input_map inputs_;
  std::vector<double> reversals_;   // by receptor, mV (NaN: none)
  std::vector<bool> jumps_;         // by receptor: jump kinetics
  std::vector<watched> watched_;    // sorted by neuron
  std::vector<std::size_t> order_;  // the neurons as given: indices into watched_
  std::priority_queue<input_arrival, std::vector<input_arrival>, later> coming_;
  double horizon_;
  std::size_t kept_;
  bool reads_kept_ = false;
  bool advanced_ = false;      // the simulator has run since the probe was made
  std::size_t kept_seen_ = 0;  // of sim.spikes(), read
};

}  // namespace syn::dsl
