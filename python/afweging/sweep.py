"""Sweeps: many runs over policies x scenarios x parameter draws, on all cores or on a Dask
cluster, returned as an ``xarray.Dataset``. The engine does the work (with the GIL released);
this module converts arguments, splits draws into chunks for Dask and assembles the result."""

from __future__ import annotations

import hashlib
import math
import operator
import sys
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._inputs import Calibration, Scenario
from .errors import ValidationError, wrong_type
from .errors import invalid as _invalid
from .model import Model
from .plans import Policy
from ._optional import require as _require
from .uncertainty import Uncertainty

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import xarray as xr

ProgressArg = Union[None, bool, Callable[[int, int], Any]]


def indicators() -> List[Tuple[str, str, str, str]]:
    """Every per-run indicator of a sweep: ``(name, unit, long_name, dimension)``."""
    return _core.Sweep.indicators()


def series() -> List[Tuple[str, str, str]]:
    """The daily series of trajectory mode: ``(name, unit, long_name)``."""
    return _core.Sweep.series()


def _scenarios(arg: Any, model: Optional[Model]) -> List[Tuple[str, _core.Scenario]]:
    if arg is None:
        if model is None:
            raise _invalid("scenarios", "needed when a Calibration is given (a dict name -> Scenario)", None)
        return [(model.scenario.name, model.scenario._inner)]
    if isinstance(arg, Scenario):
        return [(arg.name, arg._inner)]
    items = list(arg.items()) if isinstance(arg, Mapping) else [(s.name if isinstance(s, Scenario) else s, s) for s in arg]
    out = []
    for name, sc in items:
        if not isinstance(sc, Scenario):
            raise wrong_type(f"scenarios[{name!r}]", "an afweging.Scenario", sc)
        out.append((str(name), sc._inner))
    return out


def _policies(arg: Any) -> List[Tuple[str, Optional[_core.Policy]]]:
    if arg is None:
        return [("none", None)]
    if isinstance(arg, Policy):
        return [(arg.name, arg._inner)]
    items = list(arg.items()) if isinstance(arg, Mapping) else [(p.name if isinstance(p, Policy) else p, p) for p in arg]
    out = []
    for name, pol in items:
        if pol is not None and not isinstance(pol, Policy):
            raise wrong_type(f"policies[{name!r}]", "an afweging.Policy or None", pol)
        out.append((str(name), None if pol is None else pol._inner))
    return out


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    return get is not None and type(get()).__name__ == "ZMQInteractiveShell"


class _Bar:
    """Progress over ``total`` runs: tqdm when installed (the notebook widget when ipywidgets is
    there too), else one line on stderr; or a user callback ``f(done, total)``."""

    def __init__(self, total: int, progress: ProgressArg) -> None:
        self.total = total
        self.callback: Optional[Callable[[int, int], Any]] = None
        self.bar: Any = None
        self.done = 0
        if callable(progress):
            self.callback = progress
            return
        if progress is None:
            progress = _in_notebook() or sys.stderr.isatty()
        if not progress:
            return
        try:
            if _in_notebook():
                import ipywidgets  # noqa: F401  (tqdm.notebook needs it; without it, tqdm warns)
                from tqdm.notebook import tqdm
            else:
                from tqdm import tqdm
            self.bar = tqdm(total=total, unit="run", desc="afweging sweep")
        except ImportError:
            self.callback = self._line

    def _line(self, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rafweging sweep: {done:,}/{total:,} runs", end=end, file=sys.stderr, flush=True)

    def __call__(self, done: int) -> None:
        if done == self.done:
            return
        if self.bar is not None:
            self.bar.update(done - self.done)
        elif self.callback is not None:
            self.callback(done, self.total)
        self.done = done

    @property
    def active(self) -> bool:
        return self.bar is not None or self.callback is not None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run_chunk(core: _core.Sweep, start: int, stop: int, threads: Optional[int]) -> Dict[str, Any]:
    """One Dask task: draws ``start..stop`` of a sweep (module-level, so workers can import it)."""
    return core.run(start, stop, threads)


def _run_dask(core: _core.Sweep, client: Any, threads: Optional[int], chunk_draws: Optional[int], bar: _Bar) -> Dict[str, Any]:
    from distributed import as_completed

    draws = core.draws
    if chunk_draws is None:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunk_draws = max(1, math.ceil(draws / (4 * workers)))
    elif isinstance(chunk_draws, bool) or not isinstance(chunk_draws, int) or chunk_draws < 1:
        raise _invalid("chunk_draws", "must be a whole number >= 1", chunk_draws)
    # The key names the sweep (its JSON and the engine version) and the draw range: a chunk's
    # result depends on nothing else, so equal keys are equal results and distinct chunks never
    # collide (Dask would otherwise de-duplicate calls it believes identical).
    token = hashlib.sha256((_core.__version__ + core.to_json()).encode()).hexdigest()[:20]
    # Scattered once under a fresh key (hash=False), so a later sweep never waits on data this one
    # is releasing.
    [shared] = client.scatter([core], broadcast=True, hash=False)
    futures = {}
    for start in range(0, draws, chunk_draws):
        stop = min(draws, start + chunk_draws)
        key = f"afweging-sweep-{token}-{start}-{stop}"
        futures[client.submit(_run_chunk, shared, start, stop, 1 if threads is None else threads, key=key)] = start
    runs_per_draw = len(core.policies) * len(core.scenarios)
    parts: Dict[int, Dict[str, Any]] = {}
    try:
        for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
            part = future.result()
            parts[futures[future]] = part
            bar(bar.done + part["indicators"].shape[2] * runs_per_draw)
    except BaseException:
        client.cancel(list(futures))  # stop the chunks still queued (Ctrl-C, a failed chunk)
        raise
    ordered = [parts[s] for s in sorted(parts)]
    series_parts = [p["series"] for p in ordered]
    return {
        "indicators": np.concatenate([p["indicators"] for p in ordered], axis=2),
        "series": None if series_parts[0] is None else np.concatenate(series_parts, axis=2),
        "parameters": np.concatenate([p["parameters"] for p in ordered], axis=0),
    }


def sweep(
    model_or_calibration: Union[Model, Calibration],
    policies: Union[None, Policy, Mapping[str, Optional[Policy]], Sequence[Policy]] = None,
    scenarios: Union[None, Scenario, Mapping[str, Scenario], Sequence[Scenario]] = None,
    *,
    uncertainty: Optional[Uncertainty] = None,
    draws: int = 1,
    seed: int = 0,
    days: int = 365,
    mode: str = "summary",
    threads: Optional[int] = None,
    client: Any = None,
    chunk_draws: Optional[int] = None,
    progress: ProgressArg = None,
) -> "xr.Dataset":
    """Runs every policy in every scenario for ``draws`` parameter draws and returns an
    ``xarray.Dataset`` with dims ``policy``, ``scenario``, ``draw`` (and ``day`` in trajectory
    mode), one variable per indicator (``units``, ``long_name`` and ``dimension`` attrs), the drawn
    parameter values (``parameter_value``, dims ``draw`` x ``parameter``) and provenance attrs.

    ``model_or_calibration``: a :class:`Model` (its scenario is the default) or a
    :class:`Calibration`. ``policies``: ``{name: Policy or None}`` (None = no measures), a list of
    policies (named by ``policy.name``), or one; default: no measures. ``scenarios``: likewise.
    ``uncertainty``: an :class:`Uncertainty` (needed for ``draws > 1``). ``seed``: 0 .. 2**64-1;
    draw ``d`` depends only on (seed, parameter path, d), so results are bit-identical on any number
    of threads or Dask workers, and every policy and scenario meets the same draws (common random
    numbers). ``mode``: ``"summary"`` keeps per-run indicators only (memory flat in the number of
    runs) or ``"trajectory"`` also daily series (for small sweeps). ``threads``: worker threads
    (default: env ``AFWEGING_THREADS``, else all cores; on Dask: per task, default 1).
    ``client``: a ``dask.distributed.Client`` to run chunks of ``chunk_draws`` draws on its
    workers. ``progress``: True/False, a callback ``f(runs_done, runs_total)``, or None (on in
    notebooks and terminals; tqdm when installed). Requires xarray (``afweging[xarray]``).
    """
    xr = _require("xarray", "xarray")
    if isinstance(model_or_calibration, Model):
        model: Optional[Model] = model_or_calibration
        calibration = model_or_calibration.calibration
    elif isinstance(model_or_calibration, Calibration):
        model, calibration = None, model_or_calibration
    else:
        raise wrong_type("model_or_calibration", "an afweging.Model or Calibration", model_or_calibration)
    if uncertainty is None:
        try:
            many = not isinstance(draws, bool) and operator.index(draws) > 1
        except TypeError:
            many = False  # the engine names the bad value
        if many:
            raise _invalid(
                "draws",
                "more than one draw needs an uncertainty (e.g. uncertainty=af.Uncertainty.netherlands()); without one every draw is the same run",
                draws,
            )
        uncertainty = Uncertainty.none()
    elif not isinstance(uncertainty, Uncertainty):
        raise wrong_type("uncertainty", "an afweging.Uncertainty", uncertainty)
    core = _core.Sweep(
        calibration._inner, _scenarios(scenarios, model), _policies(policies), uncertainty._inner, draws, seed, days, mode
    )
    total = core.draws * len(core.policies) * len(core.scenarios)
    bar = _Bar(total, progress)
    try:
        if client is not None:
            out = _run_dask(core, client, threads, chunk_draws, bar)
        else:
            out = core.run(0, core.draws, threads, bar if bar.active else None)
            bar(total)
    finally:
        bar.close()
    return _dataset(xr, core, out)


def _dataset(xr: Any, core: _core.Sweep, out: Mapping[str, Any]) -> "xr.Dataset":
    dims = ("policy", "scenario", "draw")
    coords: Dict[str, Any] = {
        "policy": core.policies,
        "scenario": core.scenarios,
        "draw": np.arange(core.draws),
        "parameter": [p for p, _ in core.parameters],
        "apply": ("parameter", [a for _, a in core.parameters]),
    }
    data: Dict[str, Any] = {}
    values = out["indicators"]
    for k, (name, unit, long_name, dimension) in enumerate(_core.Sweep.indicators()):
        data[name] = (dims, values[..., k], {"units": unit, "long_name": long_name, "dimension": dimension})
    if out["series"] is not None:
        coords["day"] = np.arange(core.days)
        for j, (name, unit, long_name) in enumerate(_core.Sweep.series()):
            data[name] = (dims + ("day",), out["series"][:, :, :, j, :], {"units": unit, "long_name": long_name})
    data["parameter_value"] = (
        ("draw", "parameter"),
        out["parameters"],
        {"units": "1", "long_name": "drawn value of each uncertain parameter (the factor where apply is 'scale')"},
    )
    attrs = {
        "title": "afweging sweep",
        "afweging_version": _core.__version__,
        "seed": str(core.seed),
        "draws": core.draws,
        "days": core.days,
        "mode": core.mode,
        "calibration": core.calibration_name,
        "uncertainty": core.uncertainty.to_json(),
        "determinism": "draw d of a parameter depends only on (seed, parameter path, d): bit-identical on any number of threads or Dask workers",
        "common_random_numbers": "every policy and scenario meets the same parameter draws",
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)  # type: ignore[no-any-return]


def sweep_frame(ds: "xr.Dataset", series: bool = False, parameters: bool = False) -> "pd.DataFrame":
    """A tidy (long) pandas frame of a sweep: ``policy, scenario, draw, indicator, value, unit``
    for the per-run indicators; with ``series=True`` the daily series instead
    (``policy, scenario, draw, day, indicator, value, unit``); with ``parameters=True`` one more
    column per uncertain parameter holding the draw's value (for meta-models and regressions).

    (``ds.to_dataframe()`` works too, but broadcasts ``parameter_value`` over every policy and
    scenario; ``ds.drop_vars("parameter_value").to_dataframe()`` gives the wide frame.)"""
    _require("pandas", "pandas")
    wanted = {"policy", "scenario", "draw", "day"} if series else {"policy", "scenario", "draw"}
    names = [str(n) for n in ds.data_vars if set(ds[n].dims) == wanted]
    if not names:
        raise _invalid("series", "this sweep has no daily series (run it with mode='trajectory')", series)
    ids = ["policy", "scenario", "draw"] + (["day"] if series else [])
    frame = ds[names].to_dataframe().reset_index()
    frame = frame[ids + names].melt(id_vars=ids, var_name="indicator", value_name="value")
    frame["unit"] = frame["indicator"].map({n: ds[n].attrs.get("units", "") for n in names})
    if parameters and ds.sizes.get("parameter", 0):
        values = ds["parameter_value"].to_pandas()
        values.columns = [str(c) for c in values.columns]
        frame = frame.merge(values, left_on="draw", right_index=True, how="left")
    return frame


__all__ = ["sweep", "sweep_frame", "indicators", "series"]
