"""Populations: each becomes one Syn population (or train) per run of neurons that share
their parameters, since a Syn population's neurons share theirs."""

import bisect

import numpy as np
from pyNN import common
from pyNN.parameters import LazyArray, ParameterSpace, Sequence, simplify
from pyNN.random import RandomDistribution
from pyNN.standardmodels import StandardCellType

from . import simulator
from .recording import Recorder
from .text import number

# A population whose parameters differ from neuron to neuron is refused beyond this many runs
# of neurons sharing theirs (each a population of the model, with its own record).
MAX_SEGMENTS = 100_000

# Syn draws a v0 from these distributions itself (its own draws, keyed by the seed).
_distributions = {"uniform": ("low", "high"), "normal": ("mu", "sigma")}


def _changed_after_run(population, names=()):
    """Refuses a change to a population already built, but for new spike times of a
    SpikeSourceArray, which become new trains at the next run."""
    if not simulator.state.is_built(population):
        return
    if set(names) == {"spike_times"}:
        population._respiked = True
        return
    raise NotImplementedError(
        "changing a population's parameters or initial values after a run: Syn builds them "
        "into the model at the first run (call reset() first)")


class Assembly(common.Assembly):
    _simulator = simulator

    @property
    def local_size(self):
        # PyNN's connectors report their progress per local neuron of the target, which PyNN's
        # Assembly does not count (VAbenchmarks.py --use-assembly); with one process, all.
        return self.size


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        values = {}
        for name in names:
            value = self.parent._parameters[name]
            if isinstance(value, np.ndarray):
                value = value[self.mask]
            values[name] = simplify(value)
        return ParameterSpace(values, shape=(self.size,))

    def _set_parameters(self, parameter_space):
        _changed_after_run(self.parent, parameter_space.keys())
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self.parent._parameters[name][self.mask] = value
        self.parent._check()

    def initialize(self, **initial_values):
        # PyNN's own keeps the values in the view, which has none: they go into the parent's.
        _changed_after_run(self.parent)
        for variable, value in initial_values.items():
            # The parent's V as drawn already: evaluating it again would draw it anew.
            values = (self.parent._initial_v.copy() if variable == "v" else
                      np.array(self.parent.initial_values[variable].evaluate(simplify=False),
                               dtype=float).reshape(self.parent.size))
            values[self.mask] = LazyArray(value, shape=(self.size,), dtype=float).evaluate(
                simplify=False)
            self.parent.initial_values[variable] = LazyArray(values, dtype=float)
            self.parent._set_initial_value_array(variable, self.parent.initial_values[variable])

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        if not (isinstance(self.celltype, StandardCellType)
                and hasattr(self.celltype, "statements")):
            raise NotImplementedError(
                f"{type(self.celltype).__name__}: not a cell type of syn.pynn")
        first = simulator.state.id_counter
        self.all_cells = np.array([simulator.ID(i) for i in range(first, first + self.size)],
                                  dtype=simulator.ID)
        self._mask_local = np.ones(self.size, dtype=bool)
        parameters = self.celltype.native_parameters
        parameters.shape = (self.size,)
        parameters.evaluate(simplify=False)
        self._parameters = parameters.as_dict()
        self._check()
        self._injected = []  # (DCSource, index)
        for cell in self.all_cells:
            cell.parent = self
        simulator.state.id_counter += self.size
        self._name = f"p{len(simulator.state.populations)}"
        self._segments = []  # (start, stop, Syn name or None, receptor names) of each run
        self._starts = []
        self._drawn_onto = False  # a projection the language draws reaches it
        self._respiked = False  # new spike times since the last run
        self._generation = 0  # how many times the population was written into the model
        self._read_back = {}  # Syn name -> first index, of every generation's segments
        simulator.state.populations.append(self)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({name: simplify(self._parameters[name]) for name in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        _changed_after_run(self, parameter_space.keys())
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self._parameters[name] = value
        self._check()

    def _check(self):
        if hasattr(self.celltype, "check"):
            self.celltype.check(self._parameters)

    def _set_initial_value_array(self, variable, initial_values):
        # Evaluated now, as NEST's backend does: a random V is PyNN's draws, the same after a
        # reset. One that Syn can draw itself is kept as its law too, for a population too
        # large to give each neuron a population of its own.
        _changed_after_run(self)
        if variable != "v":
            return
        self._initial_v = np.array(initial_values.evaluate(simplify=False),
                                   dtype=float).reshape(self.size)
        base = initial_values.base_value
        self._v_law = None
        if (isinstance(base, RandomDistribution) and not initial_values.operations
                and base.name in _distributions):
            args = ", ".join(f"{number(base.parameters[k])} mV" for k in _distributions[base.name])
            self._v_law = f"{base.name}({args})"

    def _set_cell_initial_value(self, id, variable, value):
        _changed_after_run(self)
        super()._set_cell_initial_value(id, variable, value)
        if variable == "v":
            self._initial_v[self.id_to_index(id)] = value
            self._v_law = None

    def _inject(self, source, index):
        _changed_after_run(self)
        self._injected.append((source, index))

    def _statements(self, declare):
        """The population's statements; declare(kind, block) names a neuron type or receptor,
        declared once for the whole model."""
        for variable, value in self.initial_values.items():
            if variable != "v" and np.any(np.asarray(value.evaluate(simplify=False)) != 0):
                raise NotImplementedError(
                    f"initial {variable} other than 0: Syn starts every synapse closed")
        names = sorted(self._parameters)
        bias = np.zeros(self.size)
        for source, index in self._injected:
            bias[index] += source.bias()

        def parameters(i):
            values = []
            for name in names:
                value = self._parameters[name][i]
                values.append(tuple(value.value) if isinstance(value, Sequence) else value)
            return tuple(values) + (bias[i],)

        def runs(keys):
            return [0] + [i for i in range(1, self.size) if keys[i] != keys[i - 1]]

        keys = [parameters(i) for i in range(self.size)]
        v = getattr(self, "_initial_v", None)
        starts = runs(keys if v is None else [k + (x,) for k, x in zip(keys, v)])
        # A projection the language draws needs its populations whole.
        syn_draws_v = (v is not None and self._v_law is not None
                       and (len(starts) > MAX_SEGMENTS or self._drawn_onto))
        if syn_draws_v:
            starts = runs(keys)
        if len(starts) > MAX_SEGMENTS:
            raise NotImplementedError(
                f"{self.label}: its parameters or initial V take {len(starts)} runs of values "
                f"(at most {MAX_SEGMENTS}): a Syn population's neurons share their parameters")
        self._segments = []
        lines = []
        prefix = self._name + (f"g{self._generation}" if self._generation else "")
        self._generation += 1
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else self.size
            name = prefix if len(starts) == 1 else f"{prefix}s{k}"
            p = {n: self._parameters[n][start] for n in names}
            v0 = None if v is None else self._v_law if syn_draws_v else f"{number(v[start])} mV"
            made, receptors = self.celltype.statements(name, stop - start, p, v0, bias[start],
                                                       declare)
            self._segments.append((start, stop, name if made else None, receptors))
            if made:
                self._read_back[name] = start
            lines += made or []
        if "spike_times" in self._parameters:
            self._last_spike = max((t for times in self._parameters["spike_times"]
                                    for t in times.value), default=-np.inf)
        self._starts = starts
        return lines

    def _segment_of(self, index):
        return self._segments[bisect.bisect_right(self._starts, index) - 1]

    def _element(self, index):
        """The Syn element of neuron `index` (`p0[3]`), or None for a source that never fires."""
        start, _, name, _ = self._segment_of(index)
        return None if name is None else f"{name}[{index - start}]"
