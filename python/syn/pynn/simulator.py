"""The state of a syn.pynn simulation: the PyNN objects made so far and the Syn model they
become.

Nothing is built while a script creates populations and projections: the first run writes
them all as statements of the language into one model (syn.Model.from_text), and later runs
add what was created since (model.add), as the REPL grows a model. Syn has no time step:
`timestep` only sets PyNN's default sampling interval of recorded V."""

from pyNN import common

from .. import Model
from .text import number

name = "Syn"


class ID(int, common.IDMixin):

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):

    def __init__(self):
        super().__init__()
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.min_delay = 0.1
        self.max_delay = 10.0
        self.seed = None
        self.auto_min_delay = False
        self.clear()

    def clear(self):
        self.recorders = set()
        self.populations = []   # in creation order, as their statements must come
        self.projections = []
        self.listed_synapses = 0  # those of all projections whose synapses PyNN listed
        self.id_counter = 0
        self.segment_counter = -1
        self.reset()

    def reset(self):
        """Back to t = 0: the model is written again, from its initial values, at the next run."""
        self.running = False
        self.t = 0.0
        self.t_start = 0
        self.model = None
        self.built = set()
        self.declared = {}  # (kind, block) -> the name of a neuron type or receptor
        self.segment_counter += 1

    def _build(self):
        """Writes what was made since the last run into the model. A projection drawn by the
        language is added alone, so that the synapses it added can be counted."""
        lines, drawn = [], []

        def declare(kind, block):
            """The name of a neuron type or receptor with this block, declared at its first use."""
            if (kind, block) not in self.declared:
                self.declared[(kind, block)] = f"{kind}{len(self.declared)}"
                lines.append(f"{kind} {self.declared[(kind, block)]} {{ {block} }}")
            return self.declared[(kind, block)]

        # A SpikeSourceArray given new times after a run becomes new trains, and the synapses
        # from it are made again from them; its old trains must have no spike left to send.
        respiked = {id(p) for p in self.populations if id(p) in self.built and p._respiked}
        for item in self.populations:
            if id(item) in respiked:
                if item._last_spike > self.model.time:
                    raise NotImplementedError(
                        f"{item.label}: new spike times while earlier ones are still to come "
                        f"(at {number(item._last_spike)} ms): Syn cannot stop a train")
                lines += item._statements(declare)
                item._respiked = False
            elif id(item) not in self.built:
                lines += item._statements(declare)
                self.built.add(id(item))
        for item in self.projections:
            if id(item) not in self.built:
                if item._rule is None:
                    lines += item._statements()
                else:
                    drawn.append(item)
                self.built.add(id(item))
            elif respiked:
                lines += item._statements(from_populations=respiked)
        for recorder in self.recorders:
            lines += recorder._statements()
        if self.model is None:
            self.model = Model.from_text("\n".join(lines), seed=self.seed)
        elif lines:
            self.model.add("\n".join(lines))
        for projection in drawn:
            before = self.model.synapse_count
            self.model.add("\n".join(projection._statements()))
            projection._size = self.model.synapse_count - before

    def run_until(self, tstop):
        self._build()
        if self.auto_min_delay:  # min_delay="auto": the shortest delay built
            delays = [p._min_delay() for p in self.projections if p._min_delay() is not None]
            self.min_delay = min(delays, default=self.dt)
        duration = tstop - self.model.time
        if duration > 0:
            self.model.run(f"{number(duration)} ms")
        self.t = tstop
        self.running = True

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def is_built(self, item):
        return self.model is not None and id(item) in self.built


state = State()
