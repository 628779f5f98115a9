// What a receptor's properties must agree with: its magnesium block, which scales a conductance;
// the time course and latency its kind (ionotropic or metabotropic) allows, which only warn,
// since a model may mean an unusual receptor; and, on each connection, whether its stated
// effect is what its reversal does on the neurons it reaches.
#include <fmt/format.h>

#include "semantics/checker.hpp"

namespace syn::dsl {

namespace {

// A metabotropic receptor acts through a G-protein cascade: its fastest responses, the
// membrane-delimited opening of GIRK channels by GABA_B, 5-HT1A or D2 receptors, start tens of
// ms after release and last hundreds of ms (Otis, De Koninck & Mody 1993 J Physiol 463:391;
// Beckstead, Grandy, Wickman & Williams 2004 Neuron 42:939; Hille 1992 Neuron 9:187), where an
// ionotropic receptor's current decays within a few ms (AMPA 2 ms, GABA_A 5 ms). A decay below
// 10 ms is an ionotropic time course.
constexpr double min_metabotropic_decay = 10.0;  // ms

// A ligand-gated channel opens within a millisecond of release: the synaptic delay of fast
// synapses is about 0.15 ms at 38 °C (Sabatini & Regehr 1996 Nature 384:170), and a few ms of
// axonal conduction belong in the connection's delay. More than 5 ms is a second messenger's.
constexpr double max_ionotropic_latency = 5.0;  // ms

const char* effect_name(effect e) { return e == effect::excitatory ? "excitatory" : "inhibitory"; }

}  // namespace

bool checker::receptor_physiology(const receptor_info& r,
                                  const std::map<std::string, span>& written) {
  const auto at = [&](const char* name) { return written.at(name); };
  if (r.params.mg_block > 0.0) {
    if (r.params.kind == kinetics::jump) {
      diags_.error(at("mg_block"),
                   fmt::format("receptor {} has jump kinetics, which take no mg_block: a "
                               "magnesium block scales a conductance, which a jump has not",
                               r.name),
                   "give it rise and decay (NMDA: rise = 2 ms, decay = 100 ms) and weights in nS");
      return false;
    }
    if (!r.params.reversal && r.ions.empty()) {
      diags_.error(at("mg_block"),
                   fmt::format("receptor {} has a magnesium block but no reversal potential: a "
                               "blocked receptor is a conductance, g B(V) (reversal - V)",
                               r.name),
                   "state its reversal, as reversal = 0 mV for NMDA");
      return false;
    }
  }
  if (r.kind == "metabotropic") {
    if (!written.contains("latency"))
      diags_.warning(at("kind"),
                     fmt::format("metabotropic receptor {} states no latency: its effect would "
                                 "start the instant a spike arrives",
                                 r.name),
                     "add its second-messenger delay, as latency = 30 ms (GABA_B) or 200 ms "
                     "(dopamine D1); latency = 0 ms states that there is none");
    if (r.params.kind == kinetics::jump)
      diags_.warning(at("kinetics"),
                     fmt::format("metabotropic receptor {} has jump kinetics, an instantaneous "
                                 "PSP: a second-messenger response lasts hundreds of ms",
                                 r.name),
                     "give it rise and decay, as rise = 60 ms, decay = 200 ms (GABA_B)");
    else if (r.params.decay < min_metabotropic_decay)
      diags_.warning(at("decay"),
                     fmt::format("metabotropic receptor {} decays in {} ms: a second-messenger "
                                 "response lasts hundreds of ms, and a decay below {} ms is an "
                                 "ionotropic receptor's",
                                 r.name, r.params.decay, min_metabotropic_decay),
                     "give it a decay of tens to hundreds of ms, or state kind = ionotropic");
  }
  if (r.kind == "ionotropic" && r.latency > max_ionotropic_latency)
    diags_.warning(at("latency"),
                   fmt::format("ionotropic receptor {} has a latency of {} ms: a ligand-gated "
                               "channel opens within a millisecond of release",
                               r.name, r.latency),
                   "a latency over 5 ms is a second messenger's (kind = metabotropic); axonal "
                   "conduction belongs in the connection's delay");
  return true;
}

bool checker::receptor_on_targets(const receptor_info& r, const group& target, weight_unit unit,
                                  std::optional<double> reversal_here, const ast::connect_stmt& c) {
  if (r.params.mg_block > 0.0 && unit != weight_unit::nS) {
    diags_.error(c.weight->where,
                 fmt::format("receptor {} has a magnesium block (mg_block = {} mM), which acts on "
                             "a conductance: its weights are in nS",
                             r.name, r.params.mg_block),
                 "give the weight in nS (a conductance through the driving force, blocked near "
                 "rest), or use a receptor without mg_block for a current synapse");
    return false;
  }
  // A stated effect must be what the reversal does at the target's rest: a reversal at rest
  // shunts, which is inhibition (it opposes any departure from rest) and cannot excite.
  if (r.params.sign == effect::from_reversal || !reversal_here) return true;
  const double reversal = *reversal_here, rest = target.params.rest;
  const bool excites = reversal > rest;
  if (excites == (r.params.sign == effect::excitatory)) return true;
  const char* does = excites ? "above" : reversal == rest ? "at" : "below";
  const std::string reversal_text = r.params.reversal
                                        ? fmt::format("{} mV", reversal)
                                        : fmt::format("{:.1f} mV from its ions", reversal);
  diags_.error(
      c.receptor.where,
      fmt::format("receptor {} states effect = {}, but its reversal ({}) lies {} the "
                  "rest potential of {} ({} mV), where it {}",
                  r.name, effect_name(r.params.sign), reversal_text, does, target.name, rest,
                  excites            ? "depolarises"
                  : reversal == rest ? "shunts"
                                     : "hyperpolarises"),
      reversal == rest
          ? "a conductance reversing at rest shunts, which inhibits: state effect = "
            "inhibitory, or none"
          : "a receptor's sign on a neuron comes from its reversal against the neuron's "
            "rest; drop the effect, or correct the reversal");
  return false;
}

}  // namespace syn::dsl
