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

# Each segment is a statement or three, and the language's cost grows with the statements of a
# model: a population whose parameters differ from neuron to neuron is refused beyond this.
MAX_SEGMENTS = 200

# Syn draws a v0 from these distributions itself (its own draws, keyed by the seed).
_distributions = {"uniform": ("low", "high"), "normal": ("mu", "sigma")}


def _changed_after_run(population):
    if simulator.state.is_built(population):
        raise NotImplementedError(
            "changing a population's parameters or initial values after a run: Syn builds them "
            "into the model at the first run (call reset() first)")


class Assembly(common.Assembly):
    _simulator = simulator


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
        _changed_after_run(self.parent)
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self.parent._parameters[name][self.mask] = value

    def initialize(self, **initial_values):
        # PyNN's own keeps the values in the view, which has none: they go into the parent's.
        _changed_after_run(self.parent)
        for variable, value in initial_values.items():
            values = np.array(self.parent.initial_values[variable].evaluate(simplify=False),
                              dtype=float).reshape(self.parent.size)
            values[self.mask] = LazyArray(value, shape=(self.size,), dtype=float).evaluate(
                simplify=False)
            self.parent.initial_values[variable] = LazyArray(values, dtype=float)

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
        if hasattr(self.celltype, "check"):
            self.celltype.check(self._parameters)
        self._injected = []  # (DCSource, index)
        for cell in self.all_cells:
            cell.parent = self
        simulator.state.id_counter += self.size
        self._name = f"p{len(simulator.state.populations)}"
        self._segments = []
        simulator.state.populations.append(self)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({name: simplify(self._parameters[name]) for name in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        _changed_after_run(self)
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self._parameters[name] = value

    def _set_initial_value_array(self, variable, initial_values):
        _changed_after_run(self)

    def _inject(self, source, index):
        _changed_after_run(self)
        self._injected.append((source, index))

    def _v0(self):
        """The v0 of each neuron (an array), or the one text of a distribution Syn draws from."""
        if "v" not in self.initial_values:
            return None
        v = self.initial_values["v"]
        base = v.base_value
        if (isinstance(base, RandomDistribution) and not v.operations
                and base.name in _distributions):
            args = ", ".join(f"{number(base.parameters[k])} mV" for k in _distributions[base.name])
            return f"{base.name}({args})"
        return np.array(v.evaluate(simplify=False), dtype=float).reshape(self.size)

    def _statements(self):
        for variable, value in self.initial_values.items():
            if variable != "v" and np.any(np.asarray(value.evaluate(simplify=False)) != 0):
                raise NotImplementedError(
                    f"initial {variable} other than 0: Syn starts every synapse closed")
        v0 = self._v0()
        names = sorted(self._parameters)
        bias = np.zeros(self.size)
        for source, index in self._injected:
            bias[index] += source.bias()

        def key(i):
            values = []
            for name in names:
                value = self._parameters[name][i]
                values.append(tuple(value.value) if isinstance(value, Sequence) else value)
            if isinstance(v0, np.ndarray):
                values.append(v0[i])
            return tuple(values) + (bias[i],)

        starts = [0] + [i for i in range(1, self.size) if key(i) != key(i - 1)]
        if len(starts) > MAX_SEGMENTS:
            raise NotImplementedError(
                f"{self.label}: its parameters or initial V take {len(starts)} runs of values "
                f"(at most {MAX_SEGMENTS}): a Syn population's neurons share their parameters; "
                "a random initial V is drawn by Syn from a uniform or normal distribution")
        self._segments = []
        lines = []
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k + 1 < len(starts) else self.size
            name = self._name if len(starts) == 1 else f"{self._name}s{k}"
            p = {n: self._parameters[n][start] for n in names}
            v = v0 if isinstance(v0, str) or v0 is None else f"{number(v0[start])} mV"
            made = self.celltype.statements(name, stop - start, p, v, bias[start])
            self._segments.append((start, stop, name if made else None))
            lines += made or []
        return lines

    def _segment_of(self, index):
        k = bisect.bisect_right([s[0] for s in self._segments], index) - 1
        return self._segments[k]

    def _element(self, index):
        """The Syn element of neuron `index` (`p0[3]`), or None for a source that never fires."""
        start, _, name = self._segment_of(index)
        return None if name is None else f"{name}[{index - start}]"
