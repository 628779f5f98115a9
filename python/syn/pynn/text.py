"""Numbers written into statements: every float as the shortest decimal that reads back as the
same double, never in exponent form, so the language takes the value PyNN holds."""

import numpy as np


def number(x):
    return np.format_float_positional(float(x), unique=True, trim="-")
