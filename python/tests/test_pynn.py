"""syn.pynn, PyNN's API on Syn: PSPs and spike times against their closed forms, and a small
CUBA network against the same network written in the language by hand."""

import math
import os
import tempfile
import unittest
from unittest import mock

import neo

import numpy as np
from scipy.integrate import solve_ivp

import syn
import syn.pynn as sim
from syn.pynn import projections

TAU_M, CM, TAU_S = 20.0, 0.5, 5.0  # ms, nF, ms


def one_input(celltype, weight, arrival_ms, rest):
    """V of one cell (every 0.1 ms) that starts at rest and that a single spike reaches at
    arrival_ms."""
    sim.setup(timestep=0.1)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[arrival_ms - 1.0]))
    cell = sim.Population(1, celltype, initial_values={"v": rest})
    sim.Projection(source, cell, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=weight, delay=1.0))
    cell.record("v")
    sim.run(60.0)
    signal = cell.get_data().segments[0].analogsignals[0]
    sim.end()
    return signal.times.rescale("ms").magnitude, signal.magnitude[:, 0]


class PostsynapticPotentials(unittest.TestCase):

    def test_exponential_current_psp_is_the_closed_form(self):
        w = 0.4  # nA
        t, v = one_input(sim.IF_curr_exp(tau_m=TAU_M, cm=CM, tau_syn_E=TAU_S, v_rest=-65.0,
                                         v_thresh=-40.0), w, 10.0, -65.0)
        s = np.clip(t - 10.0, 0, None)
        # A current w e^(-s/tau_s) into C dV/dt = -C (V - rest)/tau_m + I.
        psp = w * TAU_S * TAU_M / (CM * (TAU_M - TAU_S)) * (np.exp(-s / TAU_M) - np.exp(-s / TAU_S))
        np.testing.assert_allclose(v, -65.0 + psp, rtol=0, atol=1e-9)
        peak = TAU_M * TAU_S / (TAU_M - TAU_S) * math.log(TAU_M / TAU_S)
        self.assertAlmostEqual(t[np.argmax(v)], 10.0 + round(peak, 1), places=9)

    def test_alpha_current_psp_is_the_closed_form(self):
        w = 0.3
        t, v = one_input(sim.IF_curr_alpha(tau_m=TAU_M, cm=CM, tau_syn_E=TAU_S, v_rest=-70.0,
                                           v_thresh=-40.0), w, 5.0, -70.0)
        s = np.clip(t - 5.0, 0, None)
        # A current w (s/tau_s) e^(1 - s/tau_s), peak w: V = (w e/(C tau_s)) e^(-s/tau_m)
        # times the integral of u e^(-k u), k = 1/tau_s - 1/tau_m.
        k = 1 / TAU_S - 1 / TAU_M
        psp = (w * math.e / (CM * TAU_S) * np.exp(-s / TAU_M)
               * (1 - np.exp(-k * s) * (1 + k * s)) / k**2)
        np.testing.assert_allclose(v, -70.0 + psp, rtol=0, atol=1e-9)

    def test_inhibitory_weight_is_negative_in_pynn(self):
        sim.setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
        cell = sim.Population(1, sim.IF_curr_exp(v_rest=-65.0))
        sim.Projection(source, cell, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5),
                       receptor_type="inhibitory")
        cell.record("v")
        sim.run(20.0)
        v = cell.get_data().segments[0].analogsignals[0].magnitude[:, 0]
        self.assertLess(v.min(), -65.5)
        self.assertAlmostEqual(v.max(), -65.0, places=12)


    def conductance_psp(self, celltype, kernel):
        w, e_rev, rest = 0.01, 0.0, -65.0  # uS, mV, mV
        t, v = one_input(celltype(tau_m=TAU_M, cm=CM, tau_syn_E=TAU_S, v_rest=rest,
                                  v_thresh=-40.0, e_rev_E=e_rev), w, 10.0, rest)

        # C dV/dt = C (rest - V)/tau_m + g(s) (E - V), integrated far more finely than compared.
        def dv(time, v):
            g = w * kernel(time - 10.0) if time > 10.0 else 0.0
            return (rest - v) / TAU_M + g * (e_rev - v) / CM
        after = t >= 10.0
        solved = solve_ivp(dv, (10.0, t[-1]), [rest], t_eval=t[after], method="DOP853",
                           rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(v[after], solved.y[0], rtol=0, atol=1e-8)
        np.testing.assert_array_equal(v[~after], rest)
        self.assertGreater(v.max() - rest, 0.5)

    def test_exponential_conductance_psp_is_the_integrated_equation(self):
        self.conductance_psp(sim.IF_cond_exp, lambda s: math.exp(-s / TAU_S))

    def test_alpha_conductance_psp_is_the_integrated_equation(self):
        self.conductance_psp(sim.IF_cond_alpha, lambda s: s / TAU_S * math.exp(1 - s / TAU_S))


class Bias(unittest.TestCase):

    def test_i_offset_and_dc_source_fire_at_the_closed_form_times(self):
        rest, thresh, reset, refrac, i = -65.0, -55.0, -70.0, 2.0, 0.6
        sim.setup()
        cells = sim.Population(2, sim.IF_curr_exp(tau_m=TAU_M, cm=CM, v_rest=rest, v_thresh=thresh,
                                                  v_reset=reset, tau_refrac=refrac))
        cells[0:1].set(i_offset=i)
        sim.DCSource(amplitude=i).inject_into(cells[1:2])
        cells.initialize(v=rest)
        cells.record("spikes")
        sim.run(200.0)
        trains = cells.get_data().segments[0].spiketrains
        v_inf = rest + i * TAU_M / CM
        first = TAU_M * math.log((v_inf - rest) / (v_inf - thresh))
        isi = refrac + TAU_M * math.log((v_inf - reset) / (v_inf - thresh))
        expected = first + isi * np.arange(int((200.0 - first) // isi) + 1)
        for train in trains:
            np.testing.assert_allclose(train.rescale("ms").magnitude, expected, rtol=1e-12)


    def test_neurons_with_their_own_parameters_each_fire_at_their_own_times(self):
        rest, thresh, reset, i = -65.0, -55.0, -65.0, 0.6
        taus = np.array([10.0, 20.0, 20.0, 30.0])
        sim.setup()
        cells = sim.Population(4, sim.IF_curr_exp(tau_m=taus, cm=CM, v_rest=rest, v_thresh=thresh,
                                                  v_reset=reset, tau_refrac=0.0, i_offset=i),
                               initial_values={"v": rest})
        cells.record("spikes")
        sim.run(100.0)
        for tau, train in zip(taus, cells.get_data().segments[0].spiketrains):
            v_inf = rest + i * tau / CM
            isi = tau * math.log((v_inf - reset) / (v_inf - thresh))
            np.testing.assert_allclose(train.magnitude, isi * np.arange(1, int(100 // isi) + 1),
                                       rtol=1e-12)


class Sources(unittest.TestCase):

    def test_poisson_sources_fire_within_their_interval_at_their_rate(self):
        sim.setup(seed=3)
        sources = sim.Population(200, sim.SpikeSourcePoisson(rate=50.0, start=100.0,
                                                             duration=400.0))
        sources.record("spikes")
        sim.run(600.0)
        times = np.concatenate([t.magnitude for t in sources.get_data().segments[0].spiketrains])
        self.assertTrue(np.all((times >= 100.0) & (times <= 500.0)))
        mean = 200 * 50.0 * 0.4  # a Poisson count: its sd is sqrt(mean)
        self.assertLess(abs(len(times) - mean), 5 * math.sqrt(mean))

    def test_spike_source_array_times_per_source(self):
        sim.setup()
        sources = sim.Population(3, sim.SpikeSourceArray(spike_times=[
            sim.Sequence([1.0, 2.5]), sim.Sequence([]), sim.Sequence([0.25, 7.0, 9.0])]))
        sources.record("spikes")
        sim.run(10.0)
        trains = [list(t.magnitude) for t in sources.get_data().segments[0].spiketrains]
        self.assertEqual(trains, [[1.0, 2.5], [], [0.25, 7.0, 9.0]])


    def test_new_spike_times_after_a_run_reach_the_same_targets(self):
        sim.setup()
        source = sim.Population(2, sim.SpikeSourceArray(spike_times=[5.0]))
        cells = sim.Population(2, sim.IF_curr_exp(tau_m=TAU_M, cm=CM, tau_syn_E=TAU_S,
                                                  v_thresh=-40.0), initial_values={"v": -65.0})
        sim.Projection(source, cells, sim.OneToOneConnector(),
                       sim.StaticSynapse(weight=0.4, delay=1.0))
        source.record("spikes")
        cells.record("v")
        sim.run(100.0)
        source[1:2].set(spike_times=sim.Sequence([150.0]))
        sim.run(100.0)
        trains = [list(t.magnitude) for t in source.get_data().segments[0].spiketrains]
        self.assertEqual(trains, [[5.0], [5.0, 150.0]])
        signal = cells.get_data().segments[0].analogsignals[0]
        t = signal.times.rescale("ms").magnitude
        s = np.clip(t - 151.0, 0, None)
        psp = 0.4 * TAU_S * TAU_M / (CM * (TAU_M - TAU_S)) * (np.exp(-s / TAU_M)
                                                             - np.exp(-s / TAU_S))
        late = t >= 150.0
        # The first PSP's tail, 145 ms after it (a few uV), is the same in both cells.
        tail = signal.magnitude[late, 0] + 65.0
        self.assertLess(np.max(np.abs(tail)), 1e-2)
        np.testing.assert_allclose(signal.magnitude[late, 1] - tail, -65.0 + psp[late],
                                   rtol=0, atol=1e-9)
        source.set(spike_times=sim.Sequence([300.0]))
        sim.run(10.0)
        source.set(spike_times=sim.Sequence([400.0]))
        with self.assertRaisesRegex(NotImplementedError, "still to come"):
            sim.run(10.0)


class Recording(unittest.TestCase):

    def test_reset_gives_a_second_segment_like_the_first(self):
        sim.setup()
        cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.5), initial_values={"v": -65.0})
        cells.record(["spikes", "v"], sampling_interval=1.0)
        sim.run(50.0)
        sim.reset()
        sim.run(50.0)
        first, second = cells.get_data().segments
        self.assertEqual(first.analogsignals[0].shape, (51, 2))
        np.testing.assert_array_equal(first.analogsignals[0].magnitude,
                                      second.analogsignals[0].magnitude)
        self.assertGreater(len(first.spiketrains[0]), 1)
        np.testing.assert_array_equal(first.spiketrains[0].magnitude,
                                      second.spiketrains[0].magnitude)

    def test_clear_keeps_only_what_comes_after(self):
        sim.setup()
        cells = sim.Population(1, sim.IF_curr_exp(i_offset=1.5))
        cells.record("spikes")
        sim.run(50.0)
        before = cells.get_data(clear=True).segments[0].spiketrains[0].magnitude
        sim.run(50.0)
        after = cells.get_data().segments[0].spiketrains[0].magnitude
        self.assertTrue(len(before) > 0 and len(after) > 0)
        self.assertTrue(np.all(after > 50.0))
        self.assertEqual(len(before) + len(after), cells.get_spike_counts()[cells[0]] + len(before))

    def test_v_recorded_from_a_later_run_is_unknown_before(self):
        sim.setup()
        cells = sim.Population(2, sim.IF_curr_exp(v_rest=-65.0, tau_m=TAU_M))
        cells[1:2].initialize(v=-60.0)
        sim.run(10.0)
        cells.record("v")
        sim.run(10.0)
        signal = cells.get_data().segments[0].analogsignals[0]
        self.assertEqual(signal.shape, (201, 2))
        self.assertTrue(np.all(np.isnan(signal.magnitude[:100])))
        # V relaxes from its initial value to rest: -65 + 5 e^(-t/tau_m) for the second.
        times = signal.times.rescale("ms").magnitude[100:]
        np.testing.assert_allclose(signal.magnitude[100:, 0], -65.0, rtol=0, atol=1e-12)
        np.testing.assert_allclose(signal.magnitude[100:, 1], -65.0 + 5.0 * np.exp(-times / TAU_M),
                                   rtol=0, atol=1e-12)

    def test_a_random_initial_v_is_pynns_draws(self):
        sim.setup()
        law = dict(low=-70.0, high=-55.0)
        cells = sim.Population(30, sim.IF_curr_exp(), initial_values={
            "v": sim.RandomDistribution("uniform", rng=sim.NumpyRNG(seed=11), **law)})
        cells.record("v")
        sim.run(1.0)
        v0 = cells.get_data().segments[0].analogsignals[0].magnitude[0]
        np.testing.assert_array_equal(v0, sim.NumpyRNG(seed=11).next(30, "uniform", law))

    def test_write_data_reads_back(self):
        sim.setup()
        cells = sim.Population(1, sim.IF_curr_exp(i_offset=1.5))
        cells.record("spikes")
        sim.run(50.0)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "spikes.pkl")
            cells.write_data(path)
            block = neo.io.PickleIO(path).read_block()
        np.testing.assert_array_equal(block.segments[0].spiketrains[0].magnitude,
                                      cells.get_data().segments[0].spiketrains[0].magnitude)


class Network(unittest.TestCase):

    def test_views_and_assemblies_connect_the_neurons_they_hold(self):
        sim.setup()
        source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
        a = sim.Population(4, sim.IF_curr_exp(), initial_values={"v": -65.0})
        b = sim.Population(2, sim.IF_curr_exp(), initial_values={"v": -65.0})
        targets = a[1, 3] + b[0:1]
        projection = sim.Projection(source, targets, sim.AllToAllConnector(),
                                    sim.StaticSynapse(weight=0.5, delay=1.0),
                                    receptor_type="excitatory")
        self.assertEqual(len(projection), 3)
        (a + b).record("v")
        sim.run(20.0)
        moved = [np.ptp(p.get_data().segments[0].analogsignals[0].magnitude, axis=0) > 0.1
                 for p in (a, b)]
        self.assertEqual([list(m) for m in moved], [[False, True, False, True], [True, False]])

    def test_projection_beyond_the_listed_synapses_is_drawn_by_syn(self):
        sim.setup()
        # Syn then draws the initial V too, from the same law, so that the population is whole.
        a = sim.Population(300, sim.IF_cond_exp(), initial_values={
            "v": sim.RandomDistribution("uniform", low=-70.0, high=-60.0)})
        with mock.patch.object(projections, "MAX_LISTED", 1000):
            projection = sim.Projection(a, a, sim.FixedProbabilityConnector(0.05),
                                        sim.StaticSynapse(weight=0.001, delay=1.0))
            with self.assertRaisesRegex(NotImplementedError, "more than the 1000"):
                gamma = sim.RandomDistribution("gamma", k=2, theta=1e-3)
                sim.Projection(a, a, sim.FixedProbabilityConnector(0.05),
                               sim.StaticSynapse(weight=gamma))
        sim.run(1.0)
        mean, sd = 300 * 300 * 0.05, math.sqrt(300 * 300 * 0.05 * 0.95)
        self.assertLess(abs(projection.size() - mean), 5 * sd)
        with self.assertRaisesRegex(NotImplementedError, "drawn by Syn"):
            projection.get("weight", format="list")

    def network_spikes_as_the_same_network_in_the_language(self, celltype, extra, weights,
                                                           receptors, unit):
        """A small network of `celltype` built by PyNN's connectors fires as the same synapses
        written in the language: weights[k] of projection k (nA or uS, PyNN's units), written
        in `unit` (pA or nS) through the receptors E and I."""
        sim.setup(timestep=0.1, min_delay=0.2)
        params = dict(tau_m=20.0, tau_syn_E=5.0, tau_syn_I=10.0, v_rest=-49.0, v_reset=-60.0,
                      v_thresh=-50.0, cm=0.2, tau_refrac=5.0, **extra)
        exc = sim.Population(40, celltype(**params))
        inh = sim.Population(10, celltype(**params))
        kick = sim.Population(5, sim.SpikeSourceArray(spike_times=[1.0, 3.0]))
        for p in (exc, inh):
            p.initialize(v=-55.0)
        rng = sim.NumpyRNG(seed=5)
        connector = sim.FixedProbabilityConnector(0.1, rng=rng)
        w = weights
        projections = [
            sim.Projection(kick, exc, sim.FixedNumberPreConnector(2, rng=rng),
                           sim.StaticSynapse(weight=w[0], delay=0.2)),
            sim.Projection(exc, exc, connector, sim.StaticSynapse(weight=w[1], delay=0.2)),
            sim.Projection(exc, inh, connector, sim.StaticSynapse(weight=w[1], delay=0.2)),
            sim.Projection(inh, exc, connector, sim.StaticSynapse(weight=w[2], delay=0.3),
                           receptor_type="inhibitory"),
            sim.Projection(inh, inh, sim.FromListConnector([(0, 1, w[3], 0.5), (2, 3, w[2], 0.25)]),
                           sim.StaticSynapse(), receptor_type="inhibitory"),
        ]
        exc.record("spikes")
        inh.record("spikes")
        sim.run(100.0)
        got = {name: [t.rescale("ms").magnitude for t in p.get_data().segments[0].spiketrains]
               for name, p in (("exc", exc), ("inh", inh))}
        sim.end()

        # The same network by hand, with PyNN's own synapses.
        text = receptors + [
            "neuron C { rest = -49 mV; threshold = -50 mV; reset = -60 mV; tau_m = 20 ms; "
            "capacitance = 200 pF; refractory = 5 ms; v0 = -55 mV }",
            "population exc = 40 x C", "population inh = 10 x C",
            "train kick = 5 x times [1 ms, 3 ms]"]
        names = [("kick", "exc", "E"), ("exc", "exc", "E"), ("exc", "inh", "E"),
                 ("inh", "exc", "I"), ("inh", "inh", "I")]
        synapses = 0
        for (pre, post, via), projection in zip(names, projections):
            for i, j, w, d in projection.get(["weight", "delay"], format="list"):
                text.append(f"connect {pre}[{int(i)}] -> {post}[{int(j)}] via {via} "
                            f"weight {abs(w) * 1000:.6f} {unit} delay {d} ms")
                synapses += 1
        self.assertGreater(synapses, 200)
        model = syn.Model.from_text("\n".join(text) + "\nrun 100 ms")
        times, groups, indices = model.spikes(all=True)
        for g, name in enumerate(model.populations[:2]):
            expected = [times[(groups == g) & (indices == i)] for i in range(len(got[name]))]
            self.assertEqual(sum(len(t) for t in expected), sum(len(t) for t in got[name]))
            for a, b in zip(got[name], expected):
                np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
        self.assertGreater(sum(len(t) for t in got["exc"]), 20)

    def test_small_cuba_network_spikes_as_the_same_network_in_the_language(self):
        self.network_spikes_as_the_same_network_in_the_language(
            sim.IF_curr_exp, {}, [0.5, 0.05, -0.3, -0.4],
            ["receptor E { effect = excitatory; decay = 5 ms }",
             "receptor I { effect = inhibitory; decay = 10 ms }"], "pA")

    def test_small_coba_network_spikes_as_the_same_network_in_the_language(self):
        # Conductances in uS, and the reversals of VAbenchmarks COBA.
        self.network_spikes_as_the_same_network_in_the_language(
            sim.IF_cond_exp, dict(e_rev_E=0.0, e_rev_I=-80.0), [0.1, 0.004, 0.051, 0.08],
            ["receptor E { reversal = 0 mV; decay = 5 ms }",
             "receptor I { reversal = -80 mV; decay = 10 ms }"], "nS")


class Refusals(unittest.TestCase):

    def test_models_syn_cannot_run_are_named(self):
        sim.setup()
        for model in (sim.HH_cond_exp, sim.EIF_cond_exp_isfa_ista, sim.Izhikevich):
            with self.assertRaisesRegex(NotImplementedError, model.__name__):
                sim.Population(1, model())

    def test_changes_after_a_run_are_refused(self):
        sim.setup()
        p = sim.Population(2, sim.IF_cond_exp())
        sim.run(1.0)
        with self.assertRaisesRegex(NotImplementedError, "after a run"):
            p.set(tau_m=10.0)
        self.assertEqual(sim.get_current_time(), 1.0)


if __name__ == "__main__":
    unittest.main()
