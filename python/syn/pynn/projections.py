"""Projections: PyNN's connectors draw the synapses (PyNN's own draws, so `get` and `save`
give what runs), and each synapse becomes a `connect PRE[i] -> POST[j]` statement with its own
weight and delay. Beyond MAX_LISTED synapses so listed in a model (about 30 s of building), a
projection whose connector is one of the language's own rules, with weights and delays the
language can write (a constant or a distribution it draws from), is written as that rule
instead: `with probability p`, `with indegree k`, ... Its synapses are then Syn's draws (keyed
by the seed) rather than PyNN's: the same laws, other draws, which PyNN cannot list. Another
projection beyond MAX_LISTED is refused."""

import numpy as np
from pyNN import common, connectors
from pyNN.random import RandomDistribution
from pyNN.space import Space

from . import simulator
from .populations import Population
from .standardmodels import StaticSynapse
from .text import number

MAX_LISTED = 1_000_000


class Connection(common.Connection):

    def __init__(self, pre, post, weight, delay):
        self.presynaptic_index = pre
        self.postsynaptic_index = post
        self.weight = weight
        self.delay = delay

    def as_tuple(self, *names):
        return tuple(getattr(self, name) for name in names)


def _constant(parameter_space, name):
    value = parameter_space[name].base_value
    if parameter_space[name].operations or not isinstance(value, (int, float, np.number)):
        return None
    return float(value)


def _magnitude_text(parameter_space, name, unit):
    """A weight or delay of every synapse as the language writes it: a constant, or one of the
    distributions Syn draws from itself with the same law (a uniform, an exponential, a normal
    redrawn outside [0, inf) as PyNN's normal_clipped is); PyNN's negative inhibitory weights as
    their magnitudes. None when the language has no such value."""
    value = parameter_space[name].base_value
    if parameter_space[name].operations:
        return None
    if isinstance(value, (int, float, np.number)):
        return f"{number(abs(value))} {unit}"
    if not isinstance(value, RandomDistribution):
        return None
    p = value.parameters
    if value.name == "uniform" and p["low"] * p["high"] >= 0:
        low, high = sorted((abs(p["low"]), abs(p["high"])))
        return f"uniform({number(low)} {unit}, {number(high)} {unit})"
    if value.name == "exponential" and p["beta"] > 0:
        return f"exponential({number(p['beta'])} {unit})"
    if value.name == "normal_clipped":
        if p["low"] == 0 and p["high"] == np.inf:
            return f"normal({number(p['mu'])} {unit}, {number(p['sigma'])} {unit})"
        if p["high"] == 0 and p["low"] == -np.inf and name == "weight":
            return f"normal({number(-p['mu'])} {unit}, {number(p['sigma'])} {unit})"
    return None


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        super().__init__(presynaptic_population, postsynaptic_population, connector,
                         synapse_type, source, receptor_type, space, label)
        if type(self.synapse_type).__name__ != "StaticSynapse":
            raise NotImplementedError(
                f"{type(self.synapse_type).__name__}: syn.pynn has static synapses only")
        self.connections = []
        self._rule = None
        self._size = None
        expected = self._expected_size()
        if expected is not None and simulator.state.listed_synapses + expected > MAX_LISTED:
            self._rule = self._native_rule()
            if self._rule is None:
                self._refuse(expected)
            self.pre._drawn_onto = self.post._drawn_onto = True
        else:
            connector.connect(self)
            simulator.state.listed_synapses += len(self.connections)
            if simulator.state.listed_synapses > MAX_LISTED:
                self._refuse(len(self.connections))
        simulator.state.projections.append(self)

    def _refuse(self, size):
        raise NotImplementedError(
            f"{self.label}: {size} synapses, more than the {MAX_LISTED} that syn.pynn lists one "
            "by one in a model (each is a statement). Projections between whole populations by "
            "AllToAll, OneToOne, FixedProbability or FixedNumberPre/Post (without replacement), "
            "with constant weights and delays or uniform, exponential or normal_clipped ones at "
            "0, are drawn by Syn itself, at any size")

    def __len__(self):
        if self._rule is None:
            return len(self.connections)
        if self._size is None:
            raise NotImplementedError(
                f"{self.label}: Syn draws its synapses ({self._rule}) at the first run")
        return self._size

    def _get_attributes_as_list(self, names):
        self._listed()
        return super()._get_attributes_as_list(names)

    def _get_attributes_as_arrays(self, names, multiple_synapses="sum"):
        self._listed()
        return super()._get_attributes_as_arrays(names, multiple_synapses)

    def _listed(self):
        if self._rule is not None:
            raise NotImplementedError(
                f"{self.label}: its synapses were drawn by Syn ({self._rule}), not listed by "
                f"PyNN (beyond the {MAX_LISTED} synapses syn.pynn lists)")

    def _set_attributes(self, parameter_space):
        """Projection.set: new weights or delays of the listed synapses, until the first run."""
        if simulator.state.is_built(self):
            raise NotImplementedError(
                "changing synapses after a run: Syn builds them into the model at the first run")
        self._listed()
        parameter_space.evaluate(simplify=False)  # (pre, post) arrays
        for name, values in parameter_space.items():
            if name not in ("weight", "delay"):
                raise NotImplementedError(f"{name}: syn.pynn's synapses have a weight and a delay")
            values = np.broadcast_to(values, (self.pre.size, self.post.size))
            for c in self.connections:
                setattr(c, name, float(values[c.presynaptic_index, c.postsynaptic_index]))

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index, **parameters):
        n = len(presynaptic_indices)
        weights = np.broadcast_to(np.asarray(parameters["weight"], dtype=float), (n,))
        delays = np.broadcast_to(np.asarray(parameters["delay"], dtype=float), (n,))
        for pre, w, d in zip(presynaptic_indices, weights, delays):
            self.connections.append(Connection(int(pre), postsynaptic_index, float(w), float(d)))

    def _expected_size(self):
        c, n_pre, n_post = self._connector, self.pre.size, self.post.size
        if isinstance(c, connectors.AllToAllConnector):
            return n_pre * n_post
        if isinstance(c, connectors.OneToOneConnector):
            return n_post
        if isinstance(c, connectors.FixedProbabilityConnector):
            return c.p_connect * n_pre * n_post
        if isinstance(c, connectors.FixedNumberPreConnector):
            return c.n * n_post if np.isscalar(c.n) else None
        if isinstance(c, connectors.FixedNumberPostConnector):
            return c.n * n_pre if np.isscalar(c.n) else None
        return None

    def _native_rule(self):
        """The language's rule for a projection too large to list, or None."""
        c = self._connector
        whole = isinstance(self.pre, Population) and isinstance(self.post, Population)
        space = self.synapse_type.parameter_space
        expressible = (_magnitude_text(space, "weight", "nA") is not None
                       and _magnitude_text(space, "delay", "ms") is not None)
        if not whole or not expressible:
            return None
        if isinstance(c, connectors.AllToAllConnector):
            rule = "all_to_all"
        elif isinstance(c, connectors.OneToOneConnector):
            rule = "one_to_one"
        elif isinstance(c, connectors.FixedProbabilityConnector):
            rule = f"with probability {number(c.p_connect)}"
        elif isinstance(c, connectors.FixedNumberPreConnector) and not c.with_replacement:
            rule = f"with indegree {int(c.n)}"
        elif isinstance(c, connectors.FixedNumberPostConnector) and not c.with_replacement:
            rule = f"with outdegree {int(c.n)}"
        else:
            return None
        if c.allow_self_connections not in (True, False):
            return None  # 'NoMutual' has no rule of the language
        if not c.allow_self_connections and self.pre is self.post:
            rule += " without autapses"
        return rule

    def _min_delay(self):
        if self._rule is not None:  # a drawn delay's least is unknown: left out
            return _constant(self.synapse_type.parameter_space, "delay")
        return min((c.delay for c in self.connections), default=None)

    def _statements(self, from_populations=None):
        """The statements of the synapses, or of those from these populations (by id) only."""
        if from_populations is not None and not any(
                id(cell.parent) in from_populations for cell in self.pre.all_cells):
            return []
        if self._rule is not None:
            if from_populations is not None:
                raise NotImplementedError(
                    f"{self.label}: new spike times for the sources of a projection drawn by Syn")
            return self._rule_statement()
        # By neuron of the projection, once: its population, and its element (None for a source
        # that never fires) or, as a target, its element and receptor.
        sources = []
        for cell in self.pre.all_cells:
            parent = cell.parent
            sources.append((parent, parent._element(parent.id_to_index(cell))))
        targets = []
        for cell in self.post.all_cells:
            parent = cell.parent
            index = parent.id_to_index(cell)
            targets.append((parent.celltype.weight_unit,
                            f"{parent._element(index)} via "
                            f"{parent._segment_of(index)[3][self.receptor_type]}"))
        lines = []
        for c in self.connections:
            parent, source = sources[c.presynaptic_index]
            if source is None or (from_populations is not None
                                  and id(parent) not in from_populations):
                continue
            # PyNN's inhibitory current synapses have negative weights; Syn's sign is the
            # receptor's.
            unit, target = targets[c.postsynaptic_index]
            lines.append(f"connect {source} -> {target} weight {number(abs(c.weight))} {unit} "
                         f"delay {number(c.delay)} ms")
        return lines

    def _rule_statement(self):
        for population in (self.pre, self.post):
            if len(population._segments) != 1:
                raise NotImplementedError(
                    f"{self.label}: a projection beyond the {MAX_LISTED} synapses syn.pynn lists "
                    f"needs populations whose neurons share their parameters ({population.label} "
                    "does not)")
        if self.pre._segments[0][2] is None:
            return []
        space = self.synapse_type.parameter_space
        weight = _magnitude_text(space, "weight", self.post.celltype.weight_unit)
        delay = _magnitude_text(space, "delay", "ms")
        return [f"connect {self.pre._segments[0][2]} -> {self.post._segments[0][2]} via "
                f"{self.post._segments[0][3][self.receptor_type]} weight {weight} delay {delay} "
                f"{self._rule}"]
