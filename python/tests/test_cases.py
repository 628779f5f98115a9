"""Every case of the language's tests (tests/lang/cases) that `syn run` takes, syn.load takes
with the same warnings; every one it refuses, syn.load refuses with the same errors, as one
syn.ModelError. (A sweep like this found a crash of a refused :load.) The cases that need
command-line arguments are left out."""

import glob
import os
import re
import tempfile
import unittest
import warnings

import syn
from support import SOURCE_DIR, syn_command

CASES = sorted(glob.glob(os.path.join(SOURCE_DIR, "tests", "lang", "cases", "**", "*.syn"),
                         recursive=True))


def loaded(path):
    """What syn.load of `path` (from its folder, as `syn run` is run) gives: ("taken",
    warnings) or ("refused", errors)."""
    here = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            syn.load(path)
        return "taken", "".join(str(w.message) for w in caught)
    except syn.ModelError as e:
        return "refused", str(e)
    finally:
        os.chdir(here)


class cases_test(unittest.TestCase):
    def test_the_module_takes_and_refuses_the_cases_as_syn_run(self):
        swept = 0
        for path in CASES:
            with open(path) as f:
                if re.search(r"^# args:", f.read(), re.M):
                    continue
            with self.subTest(case=os.path.relpath(path, SOURCE_DIR)):
                with tempfile.TemporaryDirectory() as out:
                    code, stderr = syn_command("run", path, "--out", out)
                lines = stderr.splitlines()
                if code == 0:
                    # The summary and "wrote DIR" are syn run's own.
                    expected = ("taken", [l for l in lines if not l.startswith("syn: ")])
                else:
                    self.assertIn(code, (1, 3), stderr)
                    # Less the count of errors, which a caller of the module does not need.
                    expected = ("refused",
                                [l for l in lines if not re.match(r"syn: \d+ errors? in ", l)])
                outcome, text = loaded(path)
                self.assertEqual((outcome, text.splitlines()), expected)
                swept += 1
        self.assertGreater(swept, 200)


if __name__ == "__main__":
    unittest.main()
