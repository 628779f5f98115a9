"""Syn from Python: load or write a model, run it on, and read its spikes and V as NumPy arrays.

    import syn
    model = syn.load("examples/stdlib_circuit.syn", seed=3)
    times, populations, indices = model.spikes()
    model.run("100 ms")

A network is built with statements of the language (model.add) or with the methods that write
them (model.population, model.connect, ...). See docs/python.md.
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


# A builder over Model.add: each method writes one statement of the language and adds it, so that
# it is checked as the statement in a file is (a wrong unit is the same error, shown on the
# statement written). Values are the language's text ("2 ms", "uniform(1 ms, 2 ms)"); a list
# is written as [a, b].
def _value(v):
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return str(v)


def _block(properties):
    if not properties:
        return ""
    return " { " + "; ".join(f"{k} = {_value(v)}" for k, v in properties.items()) + " }"


def _receptor(self, name, **properties):
    """receptor NAME { PROPERTY = VALUE; ... }"""
    self.add(f"receptor {name}{_block(properties)}")


def _neuron(self, name, base=None, **properties):
    """neuron NAME [: BASE] { PROPERTY = VALUE; ... }"""
    self.add(f"neuron {name}{f' : {base}' if base else ''}{_block(properties)}")


def _population(self, name, neuron_type, size=1, **properties):
    """population NAME = SIZE x TYPE { PROPERTY = VALUE; ... }"""
    self.add(f"population {name} = {size} x {neuron_type}{_block(properties)}")


def _train(self, name, definition):
    """train NAME = DEFINITION ("100 x poisson 8 Hz", "times [1 ms, 2 ms]")"""
    self.add(f"train {name} = {definition}")


def _connect(self, pre, post, via, weight, delay, at=None, rule=None, autapses=True):
    """connect PRE -> POST via RECEPTOR weight W delay D [at X] [RULE] [without autapses]"""
    parts = [f"connect {pre} -> {post} via {via} weight {weight} delay {delay}"]
    if at is not None:
        parts.append(f"at {at}")
    if rule is not None:
        parts.append(rule)
    if not autapses:
        parts.append("without autapses")
    self.add(" ".join(parts))


def _record_spikes(self, *of):
    """record spikes [of A, B, ...]"""
    self.add("record spikes" + (" of " + ", ".join(of) if of else ""))


def _record_v(self, *of, every):
    """record v of A, B, ... every T"""
    self.add(f"record v of {', '.join(of)} every {every}")


Model.receptor = _receptor
Model.neuron = _neuron
Model.population = _population
Model.train = _train
Model.connect = _connect
Model.record_spikes = _record_spikes
Model.record_v = _record_v


def load(path, *, seed=None, include=(), set=None):
    """The model of a .syn file, its run statements run, as `syn run PATH --seed SEED -I DIR
    --set NAME=VALUE` reads it; model.run() continues from there."""
    if isinstance(include, (str, os.PathLike)):
        include = [include]
    return Model.from_file(os.fspath(path), seed=seed, include=[os.fspath(d) for d in include],
                           set=dict(set or {}))


# Installed, the standard library is beside the module; in the build tree the module knows the
# source tree's.
if os.path.isdir(os.path.join(os.path.dirname(__file__), "stdlib")):
    _syn._set_stdlib(os.path.join(os.path.dirname(__file__), "stdlib"))
