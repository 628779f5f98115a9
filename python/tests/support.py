"""What the tests share: the source tree, the `syn` binary built beside the module, and its
outputs read with the csv module."""

import csv
import os
import subprocess
import tempfile

SOURCE_DIR = os.environ["SYN_SOURCE_DIR"]
SYN = os.environ["SYN_BINARY"]


def example(name):
    return os.path.join(SOURCE_DIR, "examples", name)


def syn_command(*args):
    """`syn ARGS...`: its exit code and standard error."""
    done = subprocess.run([SYN, *args], capture_output=True, text=True, check=False)
    return done.returncode, done.stderr


def syn_run(model, *args):
    """The rows of spikes.csv and v.csv that `syn run MODEL ARGS...` writes (dicts)."""
    with tempfile.TemporaryDirectory() as out:
        code, err = syn_command("run", model, "--out", out, *args)
        if code != 0:
            raise AssertionError(f"syn run failed ({code}):\n{err}")
        tables = {}
        for name in ("spikes.csv", "v.csv"):
            path = os.path.join(out, name)
            if os.path.exists(path):
                with open(path, newline="") as f:
                    tables[name] = list(csv.DictReader(f))
        return tables
