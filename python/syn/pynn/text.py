"""Numbers written into statements: every float as the shortest decimal that reads back as the
same double, never in exponent form, so the language takes the value PyNN holds."""

import functools

import numpy as np


@functools.lru_cache(maxsize=1 << 16)  # a projection's weights and delays are often few values
def _shortest(x):
    return np.format_float_positional(x, unique=True, trim="-")


def number(x):
    x = float(x)
    # 0.0 == -0.0: a cached "-0" would be written for every 0 after.
    return _shortest(x) if x != 0 else np.format_float_positional(x, unique=True, trim="-")
