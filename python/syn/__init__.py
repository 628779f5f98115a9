"""Syn from Python: load or write a model, run it on, and read its spikes and V as NumPy arrays.

    import syn
    model = syn.load("examples/stdlib_circuit.syn", seed=3)
    times, populations, indices = model.spikes()
    model.run("100 ms")

See docs/python.md.
"""

import os
import re

from . import _syn

__all__ = ["Model", "ModelError", "ModelWarning", "load"]


class ModelError(Exception):
    """A model that fails to check, build or run, with syn's message (str() of it).

    file, line, column and message are those of its first error; file, line and column are
    None for an error that points into no source (a neuron that ran away)."""

    _positioned = re.compile(r"^(.*):(\d+):(\d+): error: (.*)$", re.MULTILINE)
    _unpositioned = re.compile(r"^syn: error: (.*)$", re.MULTILINE)

    def __init__(self, text):
        super().__init__(text)
        self.text = text
        self.file = self.line = self.column = None
        self.message = text.strip()
        found = self._positioned.search(text)
        if found:
            self.file = found.group(1)
            self.line = int(found.group(2))
            self.column = int(found.group(3))
            self.message = found.group(4)
        elif found := self._unpositioned.search(text):
            self.message = found.group(1)

    def __str__(self):
        return self.text.rstrip("\n")


class ModelWarning(UserWarning):
    """What syn warns about a model, as `syn check` prints it."""


Model = _syn.Model


def load(path, *, seed=None, include=(), set=None):
    """The model of a .syn file, its run statements run, as `syn run PATH --seed SEED -I DIR
    --set NAME=VALUE` reads it; model.run() continues from there."""
    return Model.from_file(os.fspath(path), seed=seed, include=[os.fspath(d) for d in include],
                           set=dict(set or {}))


# Installed, the standard library is beside the module; in the build tree the module knows the
# source tree's.
if os.path.isdir(os.path.join(os.path.dirname(__file__), "stdlib")):
    _syn._set_stdlib(os.path.join(os.path.dirname(__file__), "stdlib"))
