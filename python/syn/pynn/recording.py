"""Recording: spikes come from every spike the model emitted (model.spikes(all=True)), V from
`record v` statements written for the recorded neurons, both read back as arrays for Neo."""

from collections import defaultdict

import numpy as np
from pyNN import recording

from . import simulator
from .text import number


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if variable not in ("spikes", "v"):
            raise NotImplementedError(
                f"recording {variable}: syn.pynn records spikes and v (Syn reads out neither "
                "synaptic currents nor conductances)")
        if sampling_interval is not None:
            self.sampling_interval = sampling_interval

    def _statements(self):
        """`record v` for the recorded neurons that the present model does not record yet."""
        state = self._simulator.state
        new = [c for c in sorted(self.recorded["v"]) if ("v", int(c)) not in state.built]
        population = self.population
        by_segment = defaultdict(list)
        for cell in new:
            state.built.add(("v", int(cell)))
            index = population.id_to_index(cell)
            start, stop, name, _ = population._segment_of(index)
            by_segment[(start, stop, name)].append(index - start)
        lines = []
        for (start, stop, name), indices in by_segment.items():
            whole = len(indices) == stop - start
            of = name if whole else ", ".join(f"{name}[{i}]" for i in indices)
            lines.append(f"record v of {of} every {number(self.sampling_interval)} ms")
        return lines

    def _since(self):
        return float(self._recording_start_time.rescale("ms").magnitude)

    def _spikes(self):
        """Spike times of this population's recorded neurons since recording (re)started: a
        dict of index in the population -> times."""
        model = self._simulator.state.model
        found = defaultdict(list)
        if model is None:
            return found
        times, groups, indices = model.spikes(all=True)
        names = model.populations
        segments = self.population._read_back
        since = self._since()
        for t, g, i in zip(times, groups, indices):
            start = segments.get(names[g])
            if start is not None and (t > since or since == 0):
                found[start + int(i)].append(t)
        return found

    def _get_spiketimes(self, ids, clear=False):
        spikes = self._spikes()
        return {int(c): np.array(spikes.get(self.population.id_to_index(c), []))
                for c in ids}

    def _get_all_signals(self, variable, ids, clear=False):
        model = self._simulator.state.model
        if model is None or not ids:
            return np.zeros((0, len(ids))), None
        since = self._since()
        columns = []
        for cell in ids:
            t, v = model.v(self.population._element(self.population.id_to_index(cell)))
            kept = t >= since - 1e-9
            # Recorded from a later run on: the samples before it are unknown (NaN), so that
            # the signal starts where PyNN says it does.
            first = t[kept][0] if kept.any() else self._simulator.state.t
            missing = int(round((first - since) / self.sampling_interval))
            columns.append(np.concatenate([np.full(missing, np.nan), v[kept]]))
        return np.column_stack(columns), None

    def _local_count(self, variable, filter_ids=None):
        spikes = self._spikes()
        return {int(c): len(spikes.get(self.population.id_to_index(c), []))
                for c in self.filter_recorded(variable, filter_ids)}

    def _clear_simulator(self):
        pass  # the data are read anew each time, from the time recording (re)started

    def _reset(self):
        pass
