"""A text of many statements: the network is built once for all of them (as `syn run` builds a
file), not once per statement, and a statement the engine refuses still fails alone."""

import os
import random
import tempfile
import time
import unittest

import numpy as np

import syn
from support import syn_run

HEAD = """seed = 5
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron C { rest = -70 mV; threshold = -50 mV; reset = -70 mV; tau_m = 10 ms; capacitance = 250 pF }
population p = 200 x C { v0 = uniform(-70 mV, -51 mV) }
train kick = 20 x poisson 200 Hz
"""


class many_statements_test(unittest.TestCase):
    def test_thousands_of_connections_build_the_network_syn_run_builds(self):
        draw = random.Random(3)
        lines = [f"connect kick[{draw.randrange(20)}] -> p[{draw.randrange(200)}] via AMPA "
                 f"weight {draw.uniform(1, 3):.3f} nS delay 1 ms" for _ in range(2000)]
        lines += [f"connect p[{draw.randrange(200)}] -> p[{draw.randrange(200)}] via AMPA "
                  f"weight 0.5 nS delay {draw.uniform(0.5, 2):.2f} ms" for _ in range(8000)]
        text = HEAD + "\n".join(lines) + "\nrecord spikes\nrun 200 ms\n"
        started = time.monotonic()
        model = syn.Model.from_text(text)
        # One build per statement took minutes here (a time growing with their square).
        self.assertLess(time.monotonic() - started, 60)
        self.assertEqual(model.synapse_count, 10000)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "many.syn")
            with open(path, "w") as f:
                f.write(text)
            rows = syn_run(path)["spikes.csv"]
        times, groups, indices = model.spikes()
        self.assertGreater(len(rows), 100)
        np.testing.assert_array_equal(times, [float(r["time_ms"]) for r in rows])
        names = model.populations
        self.assertEqual([names[g] for g in groups], [r["population"] for r in rows])
        np.testing.assert_array_equal(indices, [int(r["index"]) for r in rows])

    def test_a_connection_the_engine_refuses_fails_alone(self):
        model = syn.Model.from_text(HEAD)
        with self.assertRaises(syn.ModelError) as raised:
            model.add("population q = 3 x C\n"
                      "connect p -> q via AMPA weight 1 nS delay 1 ms\n"
                      "connect p -> p[0] via AMPA weight 300000 nS delay 1 ms\n"
                      "population r = C")
        # The lines of <input> count on from call to call: HEAD took 6 (its last newline ends
        # a sixth, empty one), and the refused statement is the third of this call.
        self.assertEqual(raised.exception.line, 9)
        self.assertIn("300000 nS", raised.exception.message)
        self.assertEqual(model.populations, ["p", "kick", "q"])  # before it taken, after not
        self.assertEqual(model.synapse_count, 600)


if __name__ == "__main__":
    unittest.main()
