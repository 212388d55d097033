"""What a value of a JSON body must be before it goes into a protobuf request: a finite
number (a whole number beyond any double is not), text that is valid UTF-8 (JSON may carry
a lone surrogate, which protobuf refuses). One home for the API's checks and the desks'."""
from __future__ import annotations

import math


def finite(number) -> bool:
    try:
        return math.isfinite(float(number))
    except OverflowError:  # a whole number beyond any double
        return False


def utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800")
        return False
    return True
