"""Every case of the language's tests (tests/lang/cases) that `syn run` takes, syn.load takes
with the same warnings; every one it refuses, syn.load refuses with the same errors, as one
syn.ModelError. (A sweep like this found a crash of a refused :load.) Model.from_text of the
file's text takes and refuses it too, the first error at the same place (but for an import
cycle through the file). The cases that need
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


def loaded(path, load):
    """What load(path) (from its folder, as `syn run` is run) gives: ("taken", warnings) or
    ("refused", errors), and the first error's line and column."""
    here = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load(path)
        return "taken", "".join(str(w.message) for w in caught), None
    except syn.ModelError as e:
        return "refused", str(e), (e.line, e.column)
    finally:
        os.chdir(here)


def from_text(path):
    with open(path) as f:
        return syn.Model.from_text(f.read())


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
                outcome, text, where = loaded(path, syn.load)
                self.assertEqual((outcome, text.splitlines()), expected)
                # A text is no file that a library could import: an import cycle through the
                # model's file is found one import later.
                cycle = "import cycle" in text
                self.assertEqual(loaded(path, from_text)[::2][:1 if cycle else 2],
                                 (outcome, where)[:1 if cycle else 2])
                swept += 1
        self.assertGreater(swept, 200)


if __name__ == "__main__":
    unittest.main()
