"""afweging: weighs packages of pandemic measures on the four dimensions of the Dutch reference
framework (virus spread, societal, socio-economic and behavioural consequences).

>>> import afweging as af
>>> model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal"))
>>> run = model.run(days=365)
>>> run.hospital_occupancy.shape
(365, 9)
"""

from . import _core, decision, economy, observed, plot, replay, report
from ._inputs import Calibration, Scenario
from .impacts import Impacts
from .errors import (
    AfwegingError,
    InternalError,
    NotAvailableError,
    SolverError,
    UnknownNameError,
    ValidationError,
    WrongTypeError,
)
from .model import Model
from .plans import CrashTest, Ladder, Policy, SectorPlans, stringency_index
from .run import Run
from ._core import Snapshot
from .timeline import Timeline
from .sensitivity import OneWay, one_way
from .sweep import sweep, sweep_frame
from .uncertainty import Uncertainty
from .valuation import Checklist, Valuation
from .assess import Assessment, ChecklistAnswers, assess
from .report import write_report
from .replay import Fit, Forecast, fit
from .exercise import Exercise
from . import sequential
from . import society

# af.decision.Sequential: the sequential tree runs the model, which decision.py must not import
# (run -> plot -> decision would close a cycle), so it lives in afweging.sequential and is
# attached to the decision module here, where no cycle forms.
decision.Sequential = sequential.Sequential  # type: ignore[attr-defined]
decision.SequentialResult = sequential.SequentialResult  # type: ignore[attr-defined]

__version__: str = _core.__version__

__all__ = [
    "AfwegingError",
    "Assessment",
    "assess",
    "Checklist",
    "ChecklistAnswers",
    "Valuation",
    "Calibration",
    "CrashTest",
    "Impacts",
    "decision",
    "sequential",
    "society",
    "economy",
    "Ladder",
    "Policy",
    "SectorPlans",
    "stringency_index",
    "Model",
    "observed",
    "OneWay",
    "one_way",
    "plot",
    "report",
    "write_report",
    "Run",
    "Snapshot",
    "Exercise",
    "Scenario",
    "Timeline",
    "replay",
    "fit",
    "Fit",
    "Forecast",
    "sweep",
    "sweep_frame",
    "Uncertainty",
    "SolverError",
    "InternalError",
    "NotAvailableError",
    "UnknownNameError",
    "ValidationError",
    "WrongTypeError",
    "__version__",
]
