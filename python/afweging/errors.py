"""Exceptions raised by afweging.

Every error the engine raises derives from :class:`AfwegingError`; each kind of engine error has
its own class (the bindings map them in one place, ``src/python/error.rs``):

* :class:`ValidationError`: input that breaks a rule; also a :class:`ValueError`;
* :class:`UnknownNameError`: a name that does not exist (a preset, policy, sector, rung, value,
  grouping, criterion, ...); a :class:`ValidationError`, its message lists the valid names;
* :class:`SolverError`: the numerical solver failed (a bug); also a :class:`RuntimeError`.

Errors list every problem found, each naming the field and the bad value::

    try:
        af.Scenario.from_json(text)
    except af.ValidationError as err:
        for e in err.errors():
            print(e["field"], e["message"], e["value"])
"""

from __future__ import annotations

import json
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


class UnknownNameError(ValidationError):
    """A name that does not exist (a scenario preset, a policy, sector or rung of the plans, a
    valuation value, a grouping, a criterion, ...); the message lists the valid names."""


class SolverError(AfwegingError, RuntimeError):
    """The numerical solver could not keep the state valid (report this as a bug)."""


__all__ = ["AfwegingError", "ValidationError", "UnknownNameError", "SolverError", "FieldError"]
