"""The model: a calibration and a scenario prepared for fast runs."""

from __future__ import annotations

from typing import Any, Dict, Optional

import numpy as np

from . import _core
from ._inputs import Calibration, Scenario
from .plans import Policy
from .run import Run, Source
from .timeline import DateLike, Timeline, _day
from .errors import invalid, wrong_type


class Model:
    """A calibration and a scenario, validated against each other and prepared for runs.

    >>> model = Model(Calibration.netherlands(), Scenario.preset("centraal"))
    >>> run = model.run(days=365)
    """

    __slots__ = ("_inner", "calibration", "scenario")

    def __init__(self, calibration: Calibration, scenario: Scenario) -> None:
        if not isinstance(calibration, Calibration):
            raise wrong_type("calibration", "afweging.Calibration", calibration)
        if not isinstance(scenario, Scenario):
            raise wrong_type("scenario", "afweging.Scenario", scenario)
        self._inner = _core.Model(calibration._inner, scenario._inner)
        self.calibration = calibration
        self.scenario = scenario

    def run(
        self,
        policy: Optional[Policy] = None,
        days: Optional[int] = None,
        contact_multipliers: Optional[np.ndarray] = None,
        timeline: Optional[Timeline] = None,
        start: Optional[_core.Snapshot] = None,
        until: Optional[DateLike] = None,
    ) -> Run:
        """Simulates ``days`` days (default 365) from the scenario's start, or continues from a
        snapshot.

        ``policy`` (optional): a package or trigger policy from :class:`SectorPlans`; the controller
        runs inside the simulation and sets the rungs in force each day. Without it, no measures.
        ``contact_multipliers`` (optional, ``days x 4``, dimensionless, not with a policy) scales
        the contacts per day in the settings home, school, work and community (1 = normal).
        ``timeline`` (optional, :class:`Timeline`; needs a dated scenario, ``scenario.start_date``):
        the package in force each day follows the timeline's dates; with a ``policy`` as well, each
        sector takes the stricter rung of the two (not with ``contact_multipliers``).

        ``start`` (optional, a :class:`Snapshot` from :meth:`Run.state` of a run of this model):
        continue from it, for ``days`` more days or ``until`` a date (ISO, the last day simulated);
        the result is the whole run, the days before the snapshot included. Without ``policy``,
        ``timeline`` or ``contact_multipliers`` the snapshot's policy and timeline go on, and the
        run equals the uninterrupted one bit for bit; with other measures they take over from the
        snapshot's date (docs/crisis_exercise.md). The GIL is released while the engine runs.
        """
        if isinstance(policy, (int, np.integer)) and not isinstance(policy, bool):
            raise wrong_type("policy", "an afweging.Policy (pass the number of days as days=...)", policy)
        if policy is not None and not isinstance(policy, Policy):
            raise wrong_type("policy", "an afweging.Policy", policy)
        if days is not None and (isinstance(days, bool) or not isinstance(days, (int, np.integer))):
            raise wrong_type("days", "a whole number", days)
        if contact_multipliers is not None:
            contact_multipliers = np.ascontiguousarray(contact_multipliers, dtype=np.float64)
        if timeline is not None and not isinstance(timeline, Timeline):
            raise wrong_type("timeline", "an afweging.Timeline", timeline)
        if start is not None and not isinstance(start, _core.Snapshot):
            raise wrong_type("start", "an afweging.Snapshot (from Run.state)", start)
        total = self._total_days(days, until, start)
        inner = self._inner.run(
            total,
            contact_multipliers,
            None if policy is None else policy._inner,
            None if timeline is None else timeline._inner,
            start,
        )
        source = Source(self, policy, timeline, contact_multipliers, start)
        return Run(inner, self.scenario.name, source)

    def _total_days(self, days: Optional[int], until: Optional[DateLike], start: Optional[_core.Snapshot]) -> int:
        """The days of the whole run: ``days`` (more, after a snapshot) or up to ``until``."""
        before = 0 if start is None else start.day
        if until is None:
            return before + int(365 if days is None else days)
        if days is not None:
            raise invalid("until", "cannot be given with days (give one of them)", str(until))
        begin = self.scenario.to_dict().get("start_date")
        if begin is None:
            raise invalid("until", "needs a dated scenario (scenario.start_date)", str(until))
        last = _day(until, "until")
        return (last - _day(begin, "scenario.start_date")).days + 1

    def r0(self) -> float:
        """Basic reproduction number: spectral radius of the next-generation matrix (equals the
        scenario's ``variant.r0``)."""
        return self._inner.r0()

    def growth_rate(self) -> float:
        """Initial exponential growth rate (1/day) in a fully susceptible population at normal
        contacts and seasonal mean transmission."""
        return self._inner.growth_rate()

    def parameters(self) -> Dict[str, Any]:
        """The prepared rates (1/day), probabilities and reciprocal contact matrices (contacts per
        person per day, settings x age x age) the engine integrates."""
        return self._inner.parameters()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Model, (self.calibration, self.scenario))

    def __repr__(self) -> str:
        return f"Model({self.calibration!r}, {self.scenario!r})"
