"""The arrays are what `syn run` writes for the same model and seed, and runs continue."""

import os
import tempfile
import unittest

import numpy as np

import syn
from support import example, syn_run


def spike_rows(model):
    times, groups, indices = model.spikes()
    names = model.populations
    return [(t, names[g], i) for t, g, i in zip(times.tolist(), groups.tolist(), indices.tolist())]


def csv_spike_rows(rows):
    return [(float(r["time_ms"]), r["population"], int(r["index"])) for r in rows]


class outputs_test(unittest.TestCase):
    def test_spikes_and_v_equal_the_files_of_syn_run(self):
        # std.receptors and std.neurons come from the standard library; the seed is not the
        # model's own (3), so that both must take it from the caller.
        model = syn.load(example("stdlib_circuit.syn"), seed=7)
        files = syn_run(example("stdlib_circuit.syn"), "--seed", "7")
        self.assertEqual(model.time, 1000.0)
        self.assertEqual(model.populations,
                         ["pyr", "pv", "d1", "d2", "cortex", "striatal", "dopamine"])
        rows = csv_spike_rows(files["spikes.csv"])
        self.assertGreater(len(rows), 1000)
        self.assertEqual(spike_rows(model), rows)
        times, groups, indices = model.spikes()
        self.assertEqual((times.dtype, groups.dtype, indices.dtype),
                         (np.float64, np.uint32, np.uint32))

        traced = {}
        for r in files["v.csv"]:
            traced.setdefault(f"{r['population']}[{r['index']}]", []).append(
                (float(r["time_ms"]), float(r["v_mV"])))
        self.assertEqual(sorted(traced), ["d1[0]", "d2[0]", "pv[0]", "pyr[0]"])
        for neuron, samples in traced.items():
            t, v = model.v(neuron)
            self.assertEqual(list(zip(t.tolist(), v.tolist())), samples, neuron)
        # A population of one is named alone.
        self.assertTrue(np.array_equal(model.v("pv")[1], model.v("pv[0]")[1]))

    def test_another_seed_other_spikes(self):
        a = syn.load(example("stdlib_circuit.syn"), seed=7)
        b = syn.load(example("stdlib_circuit.syn"), seed=8)
        self.assertNotEqual(spike_rows(a), spike_rows(b))

    def test_set_gives_params_as_syn_run_set(self):
        model = syn.load(example("ei_balance.syn"), set={"w_inh": "1 mV", "duration": "100 ms"})
        files = syn_run(example("ei_balance.syn"), "--set", "w_inh=1mV", "--set",
                        "duration=100ms")
        self.assertEqual(spike_rows(model), csv_spike_rows(files["spikes.csv"]))
        balanced = syn.load(example("ei_balance.syn"), set={"duration": "100 ms"})
        # Weaker inhibition: the network runs away (examples/ei_balance.syn).
        self.assertGreater(len(model.spikes()[0]), 2 * len(balanced.spikes()[0]))

    def test_a_path_with_a_hash_loads_whole(self):
        # A typed `:load` ends at a '#', which begins a comment; a path is taken as it is.
        with tempfile.TemporaryDirectory(prefix="run#") as folder:
            path = os.path.join(folder, "temporal_summation.syn")
            with open(example("temporal_summation.syn")) as source, open(path, "w") as f:
                f.write(source.read())
            self.assertEqual(spike_rows(syn.load(path)),
                             spike_rows(syn.load(example("temporal_summation.syn"))))

    def test_two_runs_of_50_ms_are_one_of_100_ms(self):
        twice = syn.load(example("ei_balance.syn"), set={"duration": "50 ms"})
        self.assertEqual(twice.time, 50.0)
        before = len(twice.spikes()[0])
        twice.run("50 ms")
        self.assertEqual(twice.time, 100.0)
        once = syn.load(example("ei_balance.syn"), set={"duration": "100 ms"})
        self.assertGreater(len(once.spikes()[0]), before)
        self.assertGreater(before, 0)
        for a, b in zip(twice.spikes(), once.spikes()):
            self.assertTrue(np.array_equal(a, b))

    def test_a_network_built_from_python(self):
        model = syn.Model.from_text("neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }")
        model.add("receptor jump { kinetics = jump; effect = excitatory }")
        model.add("population n1 = LIF\ntrain stim = times [1.25 ms, 2.25 ms]")
        model.add("connect stim -> n1 via jump weight 10 mV delay 1 ms")
        model.add("record v of n1 every 0.5 ms")
        model.add("record spikes")
        model.run("4 ms")
        self.assertEqual(model.populations, ["n1", "stim"])
        self.assertEqual(model.time, 4.0)
        times, groups, indices = model.spikes()
        # The second jump finds the first decayed by exp(-1 ms / 10 ms) to 9.05 mV: n1 reaches
        # 19.05 mV above rest, over threshold (15 mV), and fires.
        self.assertEqual(times.tolist(), [1.25, 2.25, 3.25])
        self.assertEqual([model.populations[g] for g in groups], ["stim", "stim", "n1"])
        self.assertEqual(indices.tolist(), [0, 0, 0])  # one source, two spikes
        t, v = model.v("n1")
        self.assertEqual(t.tolist(), [0.5 * k for k in range(9)])
        expected = [-70.0] * 5 + [-70 + 10 * np.exp(-0.025), -70 + 10 * np.exp(-0.075)] + [-70.0] * 2
        np.testing.assert_allclose(v, expected, rtol=0, atol=1e-12)
        self.assertIn("population n1", model.show("n1"))

    def test_spikes_all_includes_what_is_not_recorded(self):
        # A text that starts with a comment is read whole, not skipped as a comment alone.
        model = syn.Model.from_text("# two trains, one recorded\n"
                                    "train a = times [1 ms]\ntrain b = times [2 ms]\n"
                                    "record spikes of b\nrun 5 ms")
        self.assertEqual(model.time, 5.0)
        self.assertEqual(model.spikes()[0].tolist(), [2.0])
        self.assertEqual(model.spikes(all=True)[0].tolist(), [1.0, 2.0])

    def test_the_builder_writes_the_statements(self):
        text = """import std.receptors
neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -75 mV; tau_m = 10 ms; capacitance = 250 pF; length_constant = 300 um }
neuron Fast : LIF { tau_m = 5 ms }
receptor GABA { ions = [Cl-]; reversal = -75 mV; decay = 8 ms }
population exc = 40 x LIF { v0 = uniform(-70 mV, -56 mV) }
population inh = 10 x Fast
train bg = 40 x poisson 800 Hz
connect bg -> exc via receptors.AMPA weight 4 mV delay 1 ms one_to_one
connect exc -> inh via receptors.AMPA weight 1 mV delay uniform(1 ms, 2 ms) with probability 0.2
connect inh -> exc via GABA weight 1 nS delay 1 ms at 50 um without autapses
record spikes of exc, inh
record v of exc[0], inh[1] every 0.5 ms
run 200 ms
"""
        written = syn.Model.from_text(text, seed=4)
        built = syn.Model.from_text("import std.receptors", seed=4)
        built.neuron("LIF", rest="-70 mV", threshold="-55 mV", reset="-75 mV", tau_m="10 ms",
                     capacitance="250 pF", length_constant="300 um")
        built.neuron("Fast", base="LIF", tau_m="5 ms")
        built.receptor("GABA", ions=["Cl-"], reversal="-75 mV", decay="8 ms")
        built.population("exc", "LIF", 40, v0="uniform(-70 mV, -56 mV)")
        built.population("inh", "Fast", 10)
        built.train("bg", "40 x poisson 800 Hz")
        built.connect("bg", "exc", via="receptors.AMPA", weight="4 mV", delay="1 ms",
                      rule="one_to_one")
        built.connect("exc", "inh", "receptors.AMPA", "1 mV", "uniform(1 ms, 2 ms)",
                      rule="with probability 0.2")
        built.connect("inh", "exc", "GABA", "1 nS", "1 ms", at="50 um", autapses=False)
        built.record_spikes("exc", "inh")
        built.record_v("exc[0]", "inh[1]", every="0.5 ms")
        built.run("200 ms")
        self.assertGreater(len(written.spikes()[0]), 10)
        for a, b in zip(written.spikes(), built.spikes()):
            self.assertTrue(np.array_equal(a, b))
        for neuron in ("exc[0]", "inh[1]"):
            self.assertTrue(np.array_equal(written.v(neuron)[1], built.v(neuron)[1]))
        with self.assertRaises(syn.ModelError) as caught:
            built.population("bad", "LIF", 2, tau_m="5 mV")
        self.assertIn("population bad = 2 x LIF { tau_m = 5 mV }", str(caught.exception))
        self.assertEqual(caught.exception.message,
                         "tau_m must be a time (ms, s, us), but mV is a unit of voltage")

    def test_include_is_a_library_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            os.mkdir(os.path.join(folder, "lab"))
            with open(os.path.join(folder, "lab", "cells.syn"), "w") as f:
                f.write("neuron Slow { rest = -65 mV; threshold = -50 mV; tau_m = 40 ms }\n")
            text = "from lab.cells import Slow\npopulation s = Slow\n"
            with self.assertRaises(syn.ModelError) as caught:
                syn.Model.from_text(text)
            self.assertEqual((caught.exception.line, caught.exception.column), (1, 6))
            model = syn.Model.from_text(text, include=[folder])
        self.assertIn("tau_m            40 ms", model.show("s"))


if __name__ == "__main__":
    unittest.main()
