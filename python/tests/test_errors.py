"""Errors are syn.ModelError with the position and message of the first error, and str() the
text `syn` prints; a statement that fails changes nothing."""

import os
import tempfile
import unittest

import syn
from support import example, syn_command

MODEL = """neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population p = LIF { tau_m = 5 mV }
"""


def without_summary(stderr):
    # `syn` ends with a count of the errors ("syn: 1 error in FILE"), which a caller of the
    # module does not need.
    lines = stderr.splitlines()
    assert lines[-1].startswith("syn: "), stderr
    return "\n".join(lines[:-1])


class errors_test(unittest.TestCase):
    def test_a_file_with_a_bad_unit(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "bad.syn")
            with open(path, "w") as f:
                f.write(MODEL)
            with self.assertRaises(syn.ModelError) as caught:
                syn.load(path)
            code, stderr = syn_command("check", path)
        e = caught.exception
        self.assertEqual(code, 1)
        self.assertEqual(str(e), without_summary(stderr))
        self.assertEqual((e.file, e.line, e.column), (path, 2, MODEL.splitlines()[1].index("mV") + 1))
        self.assertEqual(e.message, "tau_m must be a time (ms, s, us), but mV is a unit of voltage")

    def test_a_text_is_named_input(self):
        with self.assertRaises(syn.ModelError) as caught:
            syn.Model.from_text(MODEL)
        e = caught.exception
        self.assertEqual((e.file, e.line, e.column), ("<input>", 2, 32))
        self.assertTrue(str(e).startswith("<input>:2:32: error: tau_m must be a time"))
        self.assertIn("population p = LIF { tau_m = 5 mV }", str(e))

    def test_set_with_a_bad_unit_and_an_unknown_name_as_syn_run_set(self):
        with self.assertRaises(syn.ModelError) as caught:
            syn.load(example("ei_balance.syn"), set={"w_inh": "3ms", "w_ihn": "1mV"})
        code, stderr = syn_command("run", example("ei_balance.syn"), "--set", "w_inh=3ms",
                                   "--set", "w_ihn=1mV", "--out", os.devnull)
        e = caught.exception
        self.assertEqual(code, 2)
        self.assertEqual(str(e), without_summary(stderr))
        self.assertEqual((e.file, e.line, e.column), ("<command line>", 1, 8))
        self.assertEqual(e.message, "w_inh is a voltage (mV, V), but 3 ms is a time")
        self.assertIn("error: the model declares no param 'w_ihn'", str(e))
        self.assertIn("hint: did you mean 'w_inh'?", str(e))

    def test_set_naming_no_param_as_syn_run_set(self):
        for name, message in [("w_ihn", "the model declares no param 'w_ihn'"),
                              ("exc", "'exc' is not a param: it is declared at")]:
            with self.assertRaises(syn.ModelError) as caught:
                syn.load(example("ei_balance.syn"), set={name: "1mV"})
            code, stderr = syn_command("run", example("ei_balance.syn"), "--set", f"{name}=1mV",
                                       "--out", os.devnull)
            self.assertEqual(code, 2)
            self.assertEqual(str(caught.exception), without_summary(stderr))
            self.assertTrue(caught.exception.message.startswith(message), caught.exception.message)

    def test_a_model_is_checked_whole_before_any_of_it_runs(self):
        # Its first run would stop at once: a neuron excites itself 0.1 ns after each spike
        # (tests/lang/cases/dynamics/runaway_neuron.syn). The error after it comes first, alone,
        # as `syn check` gives it.
        text = ("receptor J { kinetics = jump; effect = excitatory }\n"
                "neuron L { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                "population p = L\ntrain s = times [1 ms]\n"
                "connect s -> p via J weight 20 mV delay 1 ms\n"
                "connect p -> p via J weight 20 mV delay 1e-7 ms\n"
                "run 5 ms\npopulation q = Lif\n")
        with self.assertRaises(syn.ModelError) as caught:
            syn.Model.from_text(text)
        self.assertEqual(caught.exception.message, "unknown neuron type 'Lif'")
        self.assertNotIn("fired", str(caught.exception))
        with self.assertRaises(syn.ModelError) as caught:
            syn.Model.from_text(text.replace("Lif", "L"))
        self.assertIn("less than 1 ns later", caught.exception.message)

    def test_set_with_no_quantity(self):
        with self.assertRaises(syn.ModelError) as caught:
            syn.load(example("ei_balance.syn"), set={"w_inh": "three mV"})
        self.assertEqual(caught.exception.file, "<command line>")
        with self.assertRaises(TypeError):
            syn.load(example("ei_balance.syn"), set={"w_inh": 3})

    def test_a_statement_added_with_a_bad_unit_is_not_taken(self):
        model = syn.Model.from_text("neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                                    "population a = LIF\npopulation b = LIF\n"
                                    "receptor r { decay = 2 ms; reversal = 0 mV }")
        with self.assertRaises(syn.ModelError) as caught:
            model.add("population c = LIF\nconnect a -> b via r weight 2 ms delay 1 ms")
        e = caught.exception
        # Lines of <input> count on from call to call, as the REPL counts typed lines: the text
        # given to from_text held 4.
        self.assertEqual(e.line, 4 + 2)
        self.assertIn("\n  connect a -> b via r weight 2 ms delay 1 ms\n", str(e))
        self.assertEqual(e.column, len("connect a -> b via r weight 2 ") + 1)
        self.assertIn("weight", e.message)
        # The statements before it are taken, as in the REPL.
        self.assertEqual(model.populations, ["a", "b", "c"])
        model.run("1 ms")
        self.assertEqual(model.time, 1.0)

    def test_a_command_of_the_repl_is_no_statement(self):
        model = syn.Model.from_text("train t = times [1 ms]")
        for text, word in [("show t", "show"), (":save x.syn", ":save"), ("  reset", "reset")]:
            with self.assertRaises(syn.ModelError) as caught:
                model.add(text)
            self.assertEqual(caught.exception.message,
                             f"'{word}' is a command of the REPL, not a statement")

    def test_a_run_of_no_time(self):
        model = syn.Model.from_text("train t = times [1 ms]")
        with self.assertRaises(syn.ModelError) as caught:
            model.run("10 mV")
        self.assertEqual(caught.exception.message,
                         "a run's duration must be a time (ms, s, us), but mV is a unit of voltage")
        with self.assertRaises(syn.ModelError):
            model.run("10 ms; run 5 ms")
        self.assertEqual(model.time, 0.0)

    def test_no_such_file_neuron_or_recording(self):
        with self.assertRaises(syn.ModelError) as caught:
            syn.load("/nonexistent/model.syn")
        self.assertIsNone(caught.exception.file)
        self.assertIn("cannot read '/nonexistent/model.syn'", caught.exception.message)
        model = syn.Model.from_text("neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                                    "population p = 3 x LIF\nrecord v of p[1] every 1 ms\nrun 2 ms")
        self.assertEqual(model.v("p[1]")[0].tolist(), [0.0, 1.0, 2.0])
        for neuron, message in [("q", "unknown population or train 'q'"),
                                ("p", "p has 3 neurons: name one, as p[0]"),
                                ("p[3]", "p has 3 neurons; [3] is out of range"),
                                ("p[0]", "V of p[0] is not recorded")]:
            with self.assertRaises(syn.ModelError) as caught:
                model.v(neuron)
            self.assertEqual(caught.exception.message, message)
        with self.assertRaises(syn.ModelError) as caught:
            model.show("q")
        self.assertIn("q", caught.exception.message)

    def test_warnings_are_python_warnings(self):
        declarations = ("receptor r { ions = [Cl-]; reversal = 0 mV; decay = 5 ms }\n"
                        "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                        "population p = LIF\n")
        connect = "connect p -> p via r weight 1 mV delay 1 ms"
        with self.assertWarns(syn.ModelWarning) as caught:
            syn.Model.from_text(declarations + connect)
        self.assertIn("<input>:4:20: warning: receptor r states reversal = 0 mV", str(caught.warning))
        model = syn.Model.from_text(declarations)
        with self.assertWarns(syn.ModelWarning) as caught:
            model.add(connect)
        self.assertIn("warning: receptor r states reversal = 0 mV", str(caught.warning))


if __name__ == "__main__":
    unittest.main()
