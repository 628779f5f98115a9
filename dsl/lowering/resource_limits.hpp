#pragma once

#include "diagnostics/diagnostics.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

// What a model may ask for before it is built: beyond these, a typo (`1e9 x LIF`, `every 1 us`
// over hours) would exhaust the machine's memory instead of failing with a message. Sized for
// this project's 24 GiB machines: building takes about 56 bytes per synapse at its
// peak, a generated input spike 8 bytes, a recorded sample 24 bytes in the engine and as many
// again while it is written.
struct limits {
  double nodes = 1e8;  // neurons and spike sources
  double synapses = 2e8;
  // Spikes the trains are expected to generate: they are drawn while the simulation runs, so
  // this bounds work (and recorded spikes), not the memory of building.
  double source_spikes = 1e10;
  double samples = 1e8;  // recorded values of V
};

// Estimates what lowering and running `m` up to `until` would create; each estimate over its
// limit is an error at the statement that causes it. True when all fit.
bool within_limits(const model& m, double until, diagnostics& diags, const limits& caps = {});

}  // namespace syn::dsl
