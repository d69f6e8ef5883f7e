"""Exceptions raised by afweging.

Every error the engine raises derives from :class:`AfwegingError`; each kind of engine error has
its own class (the bindings map them in one place, ``src/python/error.rs``):

* :class:`ValidationError`: input that breaks a rule; also a :class:`ValueError`;
* :class:`WrongTypeError`: a value of the wrong type (a string where a number is expected); a
  :class:`ValidationError` and a :class:`TypeError`;
* :class:`UnknownNameError`: a name that does not exist (a preset, policy, sector, rung, value,
  grouping, indicator, criterion, ...); a :class:`ValidationError` and a :class:`KeyError`, its
  message lists the valid names;
* :class:`NotAvailableError`: a result the object does not hold (the policy record of a run
  without a policy, ...); also an :class:`AttributeError`;
* :class:`SolverError`: the numerical solver failed (a bug); also a :class:`RuntimeError`;
* :class:`InternalError`: a defect in afweging itself (a panic in the engine, caught at the
  boundary); also a :class:`RuntimeError`. Please report it.

Errors list every problem found, each naming the field and the bad value::

    try:
        af.Scenario.from_json(text)
    except af.ValidationError as err:
        for e in err.errors():
            print(e["field"], e["message"], e["value"])
"""

from __future__ import annotations

import json
import math
import numbers
from typing import List, TypedDict


class FieldError(TypedDict):
    """One problem with one input field."""

    field: str
    """Dotted path of the field, e.g. ``scenario.variant.r0``."""
    message: str
    """What is wrong, e.g. ``must be > 0``."""
    value: str
    """The offending value as text (empty when there is none)."""


class AfwegingError(Exception):
    """Base class of every error raised by afweging."""

    def __init__(self, message: str, errors: "str | List[FieldError]" = "[]") -> None:
        super().__init__(message)
        self._errors: List[FieldError] = json.loads(errors) if isinstance(errors, str) else list(errors)

    def __str__(self) -> str:  # the message as given (KeyError would show its repr)
        return str(self.args[0]) if self.args else ""

    def errors(self) -> List[FieldError]:
        """The structured problems behind this error: ``[{"field", "message", "value"}, ...]``."""
        return [dict(e) for e in self._errors]  # type: ignore[misc]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), json.dumps(self._errors)))


class ValidationError(AfwegingError, ValueError):
    """Input that breaks a rule (a field out of range, a wrong length, an unknown name)."""


def invalid(field: str, message: str, value: object, shown: "str | None" = None) -> ValidationError:
    """A :class:`ValidationError` for one field: ``field: message, got value`` (the value as
    ``repr``, or as ``shown``)."""
    text = repr(value) if shown is None else shown
    return ValidationError(f"{field}: {message}, got {text}", [{"field": field, "message": message, "value": text}])


class WrongTypeError(ValidationError, TypeError):
    """A value of the wrong type (a string or a bool where a number is expected, a dict where a
    Policy is expected, ...); also a :class:`TypeError`."""


def wrong_type(field: str, expected: str, value: object) -> WrongTypeError:
    """A :class:`WrongTypeError`: ``field: expected <expected>, got <type> <value>``."""
    shown = f"{type(value).__name__} {value!r}"[:120]
    return WrongTypeError(
        f"{field}: expected {expected}, got {shown}",
        [{"field": field, "message": f"expected {expected}", "value": shown}],
    )


def number(value: object, field: str) -> float:
    """``value`` as a float when it is a real, finite number (a bool or a string is not; neither
    is NaN, infinity or a value too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or type(value).__name__ == "bool_":
        raise wrong_type(field, "a number", value)
    try:
        x = float(value)
    except OverflowError:
        raise invalid(field, "must be a finite number", value) from None
    if not math.isfinite(x):
        raise invalid(field, "must be a finite number", value)
    return x


class UnknownNameError(ValidationError, KeyError):
    """A name that does not exist (a scenario preset, a policy, sector or rung of the plans, a
    valuation value, a grouping, an indicator, a criterion, ...); the message lists the valid
    names. Also a :class:`KeyError`, so mapping-style lookups keep their usual exception."""


def unknown(field: str, what: str, name: object, valid: "List[str]") -> UnknownNameError:
    """An :class:`UnknownNameError`: ``field: unknown what 'name'; valid: a, b``."""
    message = f"unknown {what}; valid: {', '.join(valid)}"
    return UnknownNameError(
        f"{field}: unknown {what} {name!r}; valid: {', '.join(valid)}",
        [{"field": field, "message": message, "value": repr(name)}],
    )


class NotAvailableError(AfwegingError, AttributeError):
    """A result the object does not hold, e.g. the policy record of a run without a policy; also
    an :class:`AttributeError`, so ``hasattr`` answers False."""


class SolverError(AfwegingError, RuntimeError):
    """The numerical solver could not keep the state valid (report this as a bug)."""


class InternalError(AfwegingError, RuntimeError):
    """A defect in afweging itself: the engine panicked and the boundary caught it. Please report
    it with the input that caused it."""


__all__ = [
    "AfwegingError",
    "ValidationError",
    "UnknownNameError",
    "WrongTypeError",
    "NotAvailableError",
    "SolverError",
    "InternalError",
    "FieldError",
]
