"""syn.pynn: a PyNN 0.10 backend that runs PyNN scripts on Syn (docs/pynn.md).

    import syn.pynn as sim
    sim.setup(timestep=0.1)
    ...

Importing it also makes it PyNN's simulator "syn", for pyNN.utility.get_simulator."""

import sys

import pyNN
from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import (AllToAllConnector, ArrayConnector, CloneConnector,  # noqa: F401
                             CSAConnector, DisplacementDependentProbabilityConnector,
                             DistanceDependentProbabilityConnector, FixedNumberPostConnector,
                             FixedNumberPreConnector, FixedProbabilityConnector,
                             FixedTotalNumberConnector, FromFileConnector, FromListConnector,
                             IndexBasedProbabilityConnector, OneToOneConnector,
                             SmallWorldConnector)
from pyNN.parameters import Sequence  # noqa: F401
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import get_io
from pyNN.space import Space  # noqa: F401

from . import simulator
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .standardmodels import (ACSource, AdditiveWeightDependence, DCSource,  # noqa: F401
                             EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista, HH_cond_exp,
                             IF_cond_alpha, IF_cond_exp, IF_cond_exp_gsfa_grr, IF_curr_alpha,
                             IF_curr_exp, IF_facets_hardware1, Izhikevich,
                             MultiplicativeWeightDependence, NoisyCurrentSource,
                             SimpleStochasticSynapse, SpikePairRule, SpikeSourceArray,
                             SpikeSourceGamma, SpikeSourceInhGamma, SpikeSourcePoisson,
                             SpikeSourcePoissonRefractory, STDPMechanism, StaticSynapse,
                             StepCurrentSource, TsodyksMarkramSynapse)

sys.modules.setdefault("pyNN.syn", sys.modules[__name__])
pyNN.syn = sys.modules[__name__]


def list_standard_models():
    """The cell types syn.pynn runs."""
    return ["IF_curr_exp", "IF_curr_alpha", "IF_cond_exp", "IF_cond_alpha", "SpikeSourceArray",
            "SpikeSourcePoisson"]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Starts a new simulation. `timestep` changes no dynamics (Syn is event-driven, without a
    time step): it is the default sampling interval of recorded V. `seed` (or `rng_seed`) is
    the seed of Syn's own draws; other extra parameters (threads, ...) are accepted and unused."""
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.clear()
    state.dt = timestep
    state.auto_min_delay = min_delay == "auto"
    state.min_delay = timestep if min_delay == "auto" else min_delay
    state.max_delay = 10.0 if max_delay == "auto" else max_delay
    state.seed = extra_params.get("seed", extra_params.get("rng_seed"))
    return 0


def end(compatible_output=True):
    """Writes the data that record(..., to_file=...) asked for."""
    for population, variables, filename in simulator.state.write_on_end:
        population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, num_processes, rank = \
    common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)
