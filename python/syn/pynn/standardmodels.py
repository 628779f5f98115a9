"""The standard cells Syn runs exactly, and what each becomes in the language.

Native parameters keep PyNN's names and units (mV, ms, nF, nA, uS, Hz): the statements state
those units and the language converts them, so no factor is applied here."""

import numpy as np
from pyNN import errors
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from . import simulator
from .text import number


def _identity(*names):
    return build_translations(*[(name, name) for name in names])


_if_names = ("v_rest", "cm", "tau_m", "tau_refrac", "tau_syn_E", "tau_syn_I", "i_offset",
             "v_reset", "v_thresh")


def _neuron_block(p, bias):
    """The neuron properties of one segment's parameters p (a dict of PyNN values)."""
    return (f"rest = {number(p['v_rest'])} mV; threshold = {number(p['v_thresh'])} mV; "
            f"tau_m = {number(p['tau_m'])} ms; reset = {number(p['v_reset'])} mV; "
            f"refractory = {number(p['tau_refrac'])} ms; capacitance = {number(p['cm'])} nF; "
            f"bias = {number(p['i_offset'] + bias)} nA")


class _IntegrateAndFire:
    """An integrate-and-fire cell: a Syn neuron type and two receptors, declared once for all the
    segments that share them (declare gives the name of each). Current
    synapses take their sign from the receptor's effect; conductances from the reversal.
    rise = decay makes the language's alpha function, normalised to a peak of the weight as
    PyNN's alpha synapses are."""

    alpha = False
    weight_unit = "nA"

    def receptor_blocks(self, p):
        blocks = {}
        for receptor, tau, reversal in (("excitatory", p["tau_syn_E"], "e_rev_E"),
                                        ("inhibitory", p["tau_syn_I"], "e_rev_I")):
            sign = (f"reversal = {number(p[reversal])} mV" if self.conductance_based
                    else f"effect = {receptor}")
            rise = f"; rise = {number(tau)} ms" if self.alpha else ""
            blocks[receptor] = f"{sign}; decay = {number(tau)} ms{rise}"
        return blocks

    def statements(self, name, size, p, v0, bias, declare):
        neuron = declare("neuron", _neuron_block(p, bias))
        receptors = {kind: declare("receptor", block)
                     for kind, block in self.receptor_blocks(p).items()}
        return [f"population {name} = {size} x {neuron} {{ v0 = {v0} }}"], receptors


class IF_curr_exp(_IntegrateAndFire, cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity(*_if_names)


class IF_curr_alpha(_IntegrateAndFire, cells.IF_curr_alpha):
    __doc__ = cells.IF_curr_alpha.__doc__
    translations = _identity(*_if_names)
    alpha = True


class IF_cond_exp(_IntegrateAndFire, cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _identity(*_if_names, "e_rev_E", "e_rev_I")
    weight_unit = "uS"


class IF_cond_alpha(_IntegrateAndFire, cells.IF_cond_alpha):
    __doc__ = cells.IF_cond_alpha.__doc__
    translations = _identity(*_if_names, "e_rev_E", "e_rev_I")
    weight_unit = "uS"
    alpha = True


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity("spike_times")

    def check(self, parameters):
        for times in parameters["spike_times"]:
            if np.any(np.diff(times.value) < 0):
                raise errors.InvalidParameterValueError(
                    f"spike times must be in increasing order: {list(times.value)}")

    def statements(self, name, size, p, v0, bias, declare):
        times = [float(t) for t in p["spike_times"].value]
        if not times:
            return None, {}  # a source that never fires: nothing to build
        listed = ", ".join(f"{number(t)} ms" for t in times)
        return [f"train {name} = {size} x times [{listed}]"], {}


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity("rate", "start", "duration")

    def statements(self, name, size, p, v0, bias, declare):
        if p["rate"] == 0 or p["duration"] <= 0:
            return None, {}
        # PyNN's default duration (1e10 ms) is past the language's latest time, 1e9 ms.
        start, stop = p["start"], min(p["start"] + p["duration"], 1e9)
        return [f"train {name} = {size} x poisson {number(p['rate'])} Hz "
                f"from {number(start)} ms to {number(stop)} ms"], {}


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity("weight", "delay")

    def _get_minimum_delay(self):
        return simulator.state.min_delay


class DCSource(electrodes.DCSource):
    """A constant current from the start of the simulation on: added to the bias of the neurons
    it is injected into when the model is built. Syn has no current that switches on or off or
    changes during a run: a start after 0, a stop, or a change after the first run raises
    NotImplementedError."""
    translations = _identity("amplitude", "start", "stop")

    def inject_into(self, cells):
        for cell in cells:
            if not cell.celltype.injectable:
                raise TypeError("Can't inject current into a spike source.")
            cell.parent._inject(self, cell.parent.id_to_index(cell))

    def bias(self):
        """The amplitude (nA), when Syn can run this source as a bias."""
        p = {name: float(self.parameter_space[name].base_value) for name in self.translations}
        if p["start"] > 0 or p["stop"] < 1e12:
            raise NotImplementedError(
                "DCSource with start or stop: Syn's bias current is constant for the whole "
                "simulation (start = 0, no stop)")
        return p["amplitude"]

    def set_native_parameters(self, parameters):
        if simulator.state.model is not None:
            raise NotImplementedError(
                "changing a DCSource after a run: Syn's bias current is constant for the whole "
                "simulation")
        parameters.evaluate(simplify=True)
        self.parameter_space.update(**parameters)

    def get_native_parameters(self):
        return self.parameter_space


def _unsupported(model, why):
    class Unsupported(model):
        __doc__ = model.__doc__

        def __init__(self, *args, **kwargs):
            raise NotImplementedError(f"{model.__name__}: {why}")

    Unsupported.__name__ = model.__name__
    return Unsupported


_cell = ("Syn runs integrate-and-fire neurons with exponential or alpha synapses exactly; it has "
         "no model for this cell type")
_source = "Syn's trains are spike times, regular or Poisson"
_plastic = "Syn's synapses are static"
_current = "Syn's only injected current is a constant bias"

HH_cond_exp = _unsupported(cells.HH_cond_exp, _cell)
EIF_cond_exp_isfa_ista = _unsupported(cells.EIF_cond_exp_isfa_ista, _cell)
EIF_cond_alpha_isfa_ista = _unsupported(cells.EIF_cond_alpha_isfa_ista, _cell)
Izhikevich = _unsupported(cells.Izhikevich, _cell)
IF_cond_exp_gsfa_grr = _unsupported(cells.IF_cond_exp_gsfa_grr, _cell)
IF_facets_hardware1 = _unsupported(cells.IF_facets_hardware1, _cell)
SpikeSourceInhGamma = _unsupported(cells.SpikeSourceInhGamma, _source)
SpikeSourceGamma = _unsupported(cells.SpikeSourceGamma, _source)
SpikeSourcePoissonRefractory = _unsupported(cells.SpikeSourcePoissonRefractory, _source)
TsodyksMarkramSynapse = _unsupported(synapses.TsodyksMarkramSynapse, _plastic)
STDPMechanism = _unsupported(synapses.STDPMechanism, _plastic)
SimpleStochasticSynapse = _unsupported(synapses.SimpleStochasticSynapse, _plastic)
AdditiveWeightDependence = _unsupported(synapses.AdditiveWeightDependence, _plastic)
MultiplicativeWeightDependence = _unsupported(synapses.MultiplicativeWeightDependence, _plastic)
SpikePairRule = _unsupported(synapses.SpikePairRule, _plastic)
ACSource = _unsupported(electrodes.ACSource, _current)
StepCurrentSource = _unsupported(electrodes.StepCurrentSource, _current)
NoisyCurrentSource = _unsupported(electrodes.NoisyCurrentSource, _current)
