"""An independent numpy/scipy implementation of the afweging model equations.

Used (1) by ``tests/test_scipy_baseline.py`` as a cross-check of the Rust engine and (2) by
``bench_vs_scipy.py`` as the baseline the engine is timed against. It takes only the prepared
quantities of :meth:`afweging.Model.parameters` (rates, probabilities, contact matrices, ``beta0``)
and the scenario's dictionary (seasonality, start day, immunity at day 0, vaccination campaigns);
the right-hand side, the initial state and the vaccination step are written here from the model
equations (module documentation of ``src/model.rs``), not taken from the engine.

Units: time in days, rates in 1/day, compartments in persons, flows in persons/day,
contacts in contacts per person per day.

Model, per age group ``g`` (``N_g`` persons) and immune class ``k`` in (S, V, R, W)::

    lambda_g(t) = s(t) beta0 sigma_g sum_h (sum_settings M^set_gh) (I_mild,h + I_sev,h + rho I_asym,h) / N_h
    s(t)        = 1 + amplitude cos(2 pi (doy0 + t - peak_doy) / 365.25)
                  (sigma_g relative susceptibility, M^set contacts per person per day, t in days)
    infection from class k      lambda_g h_k X_k              (X_k: persons in class k)
      of which asymptomatic     p_asym,g                      (any class)
               severe           p_severe,g,k                  (depends on the class)
               mild             the rest
    E_x -> I_x                  latent_rate                   (x in asym, mild, sev)
    I_asym, I_mild -> recovery  recovery_rate
    I_sev -> P1 -> P2           recovery_rate, at_home_rate   (ill at home, two stages)
    P2 -> out                   at_home_rate: a share p_outside,g dies outside hospital (to X),
                                the rest is admitted, a share icu_share p_icu,g to ICU, the
                                rest to the ward
    X -> D                      dying_rate
    ward -> out                 ward_rate, dying with q_ward,g
    ICU -> out                  icu_rate, dying with q_icu,g, or q_overflow for the share of ICU
                                patients above icu_capacity (all groups together); survivors
                                to the ward after ICU
    ward after ICU -> out       ward_after_icu_rate
    recovered                   a share `protected` to R, the rest to W
    V -> W, R -> W              waning_vaccine, waning_infection

The right-hand side is assembled from this list of flows as constant matrices (see ``_Rhs``), so
one evaluation is a handful of matrix-vector products. Four running totals per group (infections, admissions, ICU admissions, deaths outside hospital) are integrated along with
the state, so that the daily flows are exact differences of the state at the day's bounds.

Vaccination is operator-split: at the start of each day the day's doses reach S, W and R in
proportion to their size; the vaccinated in S and W move to V (those in R stay), then the ODE is
integrated over the day with
:func:`scipy.integrate.solve_ivp`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

import numpy as np
from scipy.integrate import solve_ivp

# Slots of the state, per group (the engine's layout, ``src/compartments.rs``).
S, V, R, W = 0, 1, 2, 3
E_ASYM, E_MILD, E_SEV = 4, 5, 6
I_ASYM, I_MILD, I_SEV = 7, 8, 9
P1, P2 = 10, 11
H, C, H_POST, X, D = 12, 13, 14, 15, 16
PEOPLE = 17  # slots 0..16 hold people
CUM_INF, CUM_ADM, CUM_ICU, CUM_OUT = 17, 18, 19, 20
SLOTS = 21

#: Immune classes infection starts from, in the order of ``hazard`` and ``p_severe`` columns.
CLASSES = [S, V, R, W]

#: Keys of the result, as on :class:`afweging.Run`.
KEYS = (
    "compartments",
    "infections",
    "admissions",
    "icu_admissions",
    "deaths",
    "hospital_occupancy",
    "icu_occupancy",
    "vaccinations",
)


def initial_state(params: Mapping[str, Any], scenario: Mapping[str, Any]) -> np.ndarray:
    """The state at day 0, ``groups x SLOTS`` (persons), from the scenario's ``initial`` block.

    Immunity from before the run: the vaccinated start in V; of the recovered, the share escaped by
    the variant counts as waned (W), the rest as protected (R). The prevalent infections are split
    over the pathways as new infections of naive persons would be, and over the stages of each
    pathway in proportion to the stages' mean durations (latent, infectious, and for the severe the
    two stages at home). Patients start on the ward (H) and in ICU (C), spread over the bands in
    proportion to expected admissions: people x P(admission | infection), times P(ICU | admission)
    for ICU, the ward the rest.
    """
    n = np.asarray(params["population"], dtype=float)
    init = scenario["initial"]
    escape = float(scenario["variant"]["immune_escape"])
    vaccinated = np.asarray(init["vaccinated"], dtype=float)
    recovered = np.asarray(init["recovered"], dtype=float)
    waned = np.asarray(init["waned"], dtype=float)

    y = np.zeros((n.size, SLOTS))
    y[:, V] = vaccinated * n
    y[:, R] = recovered * (1.0 - escape) * n
    y[:, W] = (recovered * escape + waned) * n

    by_band = init.get("infected")
    infected = (np.asarray(by_band, dtype=float) if by_band is not None else float(init["prevalence"])) * n
    # Mean durations (days) of the stages.
    latent_days, infectious_days = 1.0 / params["latent_rate"], 1.0 / params["recovery_rate"]
    home_days = 1.0 / params["at_home_rate"]
    p_asym = np.asarray(params["p_asym"], dtype=float)
    p_sev = np.asarray(params["p_severe"], dtype=float)[:, 0]  # infected while naive
    for stages, share in (
        ((E_ASYM, I_ASYM), p_asym),
        ((E_MILD, I_MILD), 1.0 - p_asym - p_sev),
        ((E_SEV, I_SEV, P1, P2), p_sev),
    ):
        durations = np.array([latent_days, infectious_days, home_days, home_days][: len(stages)])
        for k, d in zip(stages, durations):
            y[:, k] = infected * share * d / durations.sum()
    patients = init.get("patients") or {"ward": 0.0, "icu": 0.0}
    admitted = n * p_sev * (1.0 - np.asarray(params["p_outside"], dtype=float))
    to_icu = admitted * np.asarray(params["p_icu"], dtype=float)
    y[:, H] = float(patients["ward"]) * (admitted - to_icu) / (admitted - to_icu).sum()
    y[:, C] = float(patients["icu"]) * to_icu / to_icu.sum()
    y[:, S] = n - y[:, V] - y[:, R] - y[:, W] - infected - y[:, H] - y[:, C]
    return y


class _Rhs:
    """The right-hand side ``dy/dt`` (persons/day) of the flattened ``groups x SLOTS`` state.

    Every flow of the model is either linear in the state (a constant rate times a compartment) or
    the force of infection times a linear expression. Writing each flow once, as "rate x source,
    split over destinations", into three matrices gives a right-hand side of a few matrix-vector
    products::

        dy/dt = A y + lambda(t, y) (x) (B y) + overflow(y) O y
        lambda(t, y) = s(t) P y                                          [1/day, per group]

    ``A``: all constant-rate flows (latency, recovery, admission, discharge, death, waning);
    ``B``: block-diagonal, infection of each immune class per unit force of infection, with the
    pathway split; ``P``: force of infection per person in each infectious slot; ``O``: the extra ICU
    deaths (instead of recoveries) per unit overflow share. ``(x)`` repeats lambda_g over the slots of
    group g. The running totals get the flows they count without losing anything elsewhere.
    """

    def __init__(self, params: Mapping[str, Any], scenario: Mapping[str, Any]) -> None:
        p = params
        self.n = np.asarray(p["population"], dtype=float)
        g_count = self.n.size
        size = g_count * SLOTS
        self.groups = g_count
        self.evaluations = 0

        def at(g: int, slot: int) -> int:
            return g * SLOTS + slot

        a = np.zeros((size, size))  # constant-rate flows, 1/day
        b = np.zeros((size, size))  # infection per unit force of infection, dimensionless
        o = np.zeros((size, size))  # extra ICU deaths per unit overflow share, 1/day

        def flow(m: np.ndarray, g: int, source: int, rate: float, to: Mapping[int, float]) -> None:
            """Persons leave ``source`` at ``rate`` x persons in it; a share ``to[slot]`` arrives
            in each destination (running totals may count the flow without it leaving)."""
            m[at(g, source), at(g, source)] -= rate
            for slot, share in to.items():
                m[at(g, slot), at(g, source)] += rate * share

        def count(m: np.ndarray, g: int, source: int, rate: float, total: int) -> None:
            """Running total ``total`` grows by ``rate`` x persons in ``source``."""
            m[at(g, total), at(g, source)] += rate

        latent, gamma = float(p["latent_rate"]), float(p["recovery_rate"])
        ward, icu = float(p["ward_rate"]), float(p["icu_rate"])
        at_home, after_icu, dying = float(p["at_home_rate"]), float(p["ward_after_icu_rate"]), float(p["dying_rate"])
        protected = float(p["protected"])
        # Recovery: all-or-nothing protection, a share to R and the rest to W.
        recovery = {R: protected, W: 1.0 - protected}
        p_asym = np.asarray(p["p_asym"], dtype=float)
        p_severe = np.asarray(p["p_severe"], dtype=float)  # (groups, classes)
        p_icu = np.asarray(p["p_icu"], dtype=float)  # undated runs: ICU share factor 1
        p_outside = np.asarray(p["p_outside"], dtype=float)
        q_ward = np.asarray(p["q_ward"], dtype=float)
        q_icu = np.asarray(p["q_icu"], dtype=float)
        hazard = np.asarray(p["hazard"], dtype=float)  # relative to S
        q_overflow = p["q_overflow"]  # None: no excess mortality above ICU capacity

        for g in range(g_count):
            for e, i in ((E_ASYM, I_ASYM), (E_MILD, I_MILD), (E_SEV, I_SEV)):
                flow(a, g, e, latent, {i: 1.0})
            flow(a, g, I_ASYM, gamma, recovery)
            flow(a, g, I_MILD, gamma, recovery)
            # Ill at home in two stages, then death outside hospital or admission (ICU or ward).
            flow(a, g, I_SEV, gamma, {P1: 1.0})
            flow(a, g, P1, at_home, {P2: 1.0})
            admitted = 1.0 - p_outside[g]
            flow(a, g, P2, at_home, {X: p_outside[g], C: admitted * p_icu[g], H: admitted * (1.0 - p_icu[g])})
            count(a, g, P2, at_home * admitted, CUM_ADM)
            count(a, g, P2, at_home * admitted * p_icu[g], CUM_ICU)
            flow(a, g, X, dying, {D: 1.0})
            count(a, g, X, dying, CUM_OUT)
            # Discharge: dead with the ward / ICU mortality, otherwise recovered (from ICU via
            # the ward after ICU).
            alive = 1.0 - q_ward[g]
            flow(a, g, H, ward, {D: q_ward[g], R: alive * protected, W: alive * (1.0 - protected)})
            flow(a, g, C, icu, {D: q_icu[g], H_POST: 1.0 - q_icu[g]})
            flow(a, g, H_POST, after_icu, recovery)
            flow(a, g, V, float(p["waning_vaccine"]), {W: 1.0})
            flow(a, g, R, float(p["waning_infection"]), {W: 1.0})

            # Infection from each immune class, split over the three pathways at infection.
            for k, cls in enumerate(CLASSES):
                severe = p_severe[g, k]
                flow(b, g, cls, hazard[k], {E_ASYM: p_asym[g], E_SEV: severe, E_MILD: 1.0 - p_asym[g] - severe})
                count(b, g, cls, hazard[k], CUM_INF)

            # Above ICU capacity: for the overflow share of ICU patients the death probability is
            # q_overflow instead of q_icu; O moves the difference from the ward after ICU to D.
            if q_overflow is not None:
                extra = q_overflow - q_icu[g]
                o[at(g, D), at(g, C)] += icu * extra
                o[at(g, H_POST), at(g, C)] -= icu * extra

        # Force of infection: lambda_g = s(t) beta0 sigma_g sum_h M_gh (I_mild + I_sev + rho I_asym)_h / N_h,
        # M the contacts per person per day summed over the settings (all multipliers 1).
        contacts = np.asarray(p["contacts"], dtype=float).sum(axis=0)
        per_infectious = (
            float(p["beta0"]) * np.asarray(p["susceptibility"], dtype=float)[:, None] * contacts / self.n[None, :]
        )  # (g, h): 1/day per infectious person in h
        infectiousness = {I_MILD: 1.0, I_SEV: 1.0, I_ASYM: float(p["rho"])}
        self.p = np.zeros((g_count, size))
        for slot, weight in infectiousness.items():
            self.p[:, slot::SLOTS] = weight * per_infectious

        self.a, self.b = a, b
        self.o = o if q_overflow is not None else None
        self.icu_capacity = float(p["icu_capacity"])  # persons, all groups together

        season = scenario["seasonality"]
        self.amplitude = float(season["amplitude"])
        # Phase (days) of day 0 of the run relative to the seasonal peak.
        self.phase = float(scenario["start_day_of_year"]) - float(season["peak_day_of_year"])

    def seasonality(self, t: float) -> float:
        """Relative transmissibility at ``t`` days after the start (1 = annual mean)."""
        return 1.0 + self.amplitude * float(np.cos(2.0 * np.pi * (self.phase + t) / 365.25))

    def __call__(self, t: float, y: np.ndarray) -> np.ndarray:
        self.evaluations += 1
        lam = self.seasonality(t) * (self.p @ y)  # 1/day, per group
        dy: np.ndarray = self.a @ y + np.repeat(lam, SLOTS) * (self.b @ y)
        if self.o is not None:
            occupied = y[C::SLOTS].sum()  # persons in ICU, all groups
            if occupied > self.icu_capacity:
                dy += ((occupied - self.icu_capacity) / occupied) * (self.o @ y)
        return dy


def vaccinate(
    day: int,
    y: np.ndarray,
    campaigns: List[Mapping[str, Any]],
    population: np.ndarray,
    given: np.ndarray,
) -> np.ndarray:
    """Gives day ``day``'s doses in place; returns the persons vaccinated per group.

    ``given`` (campaigns x groups, persons) is the running count of doses per campaign, updated in
    place. A campaign starting at a fractional ``start_day`` gives the part of its daily doses that
    falls in ``[day, day + 1)``. A group wants ``uptake x N`` doses in all minus those already given,
    never more than its eligible persons (S + W + R); ``oldest_first`` serves the oldest group
    first, ``proportional`` gives every group the same share of what it wants. Doses reach S, W and
    R in proportion to the size of each; the vaccinated in S and W move to V, those in R stay.
    """
    doses = np.zeros(y.shape[0])
    for c, campaign in enumerate(campaigns):
        active = min(max(day + 1 - float(campaign["start_day"]), 0.0), 1.0)
        available = float(campaign["doses_per_day"]) * active  # persons today
        if available <= 0.0:
            continue
        eligible = y[:, S] + y[:, W] + y[:, R]
        uptake = np.asarray(campaign["uptake"], dtype=float)
        wanted = np.minimum(np.maximum(uptake * population - given[c], 0.0), eligible)
        if wanted.sum() <= 0.0:
            continue
        if campaign["priority"] == "oldest_first":
            # Oldest group first: cumulative demand from the oldest down, capped by the supply.
            from_oldest = np.cumsum(wanted[::-1])
            before = np.concatenate(([0.0], from_oldest[:-1]))
            dose = np.clip(available - before, 0.0, wanted[::-1])[::-1]
        elif campaign["priority"] == "proportional":
            dose = wanted * min(available / wanted.sum(), 1.0)
        else:
            raise ValueError(f"unknown priority {campaign['priority']!r}")
        fraction = np.divide(dose, eligible, out=np.zeros_like(dose), where=dose > 0.0)
        moved = y[:, [S, W]] * fraction[:, None]
        y[:, [S, W]] -= moved
        y[:, V] += moved.sum(axis=1)
        given[c] += dose
        doses += dose
    return doses


def simulate(
    model: Any,
    days: int,
    rtol: float = 1e-9,
    atol: float = 1e-6,
    method: str = "DOP853",
) -> Dict[str, np.ndarray]:
    """Runs ``model`` (an :class:`afweging.Model`) for ``days`` days with normal contacts.

    ``rtol`` is the relative and ``atol`` the absolute tolerance (persons) of
    :func:`scipy.integrate.solve_ivp` on every slot; each day is integrated separately after the
    day's vaccinations. Returns arrays with the keys and shapes of :class:`afweging.Run`:
    ``compartments`` ((days + 1) x groups x 17, persons), the daily flows ``infections``,
    ``admissions``, ``icu_admissions``, ``deaths``, ``vaccinations`` (days x groups, persons/day)
    and the end-of-day stocks ``hospital_occupancy``, ``icu_occupancy`` (days x groups, persons).
    Also ``evaluations``: right-hand-side evaluations used.
    """
    params = model.parameters()
    scenario = model.scenario.to_dict()
    rhs = _Rhs(params, scenario)
    population = rhs.n
    campaigns = scenario.get("campaigns", [])

    y = initial_state(params, scenario)
    states = np.empty((days + 1, rhs.groups, SLOTS))
    states[0] = y
    vaccinations = np.zeros((days, rhs.groups))
    given = np.zeros((len(campaigns), rhs.groups))
    for day in range(days):
        vaccinations[day] = vaccinate(day, y, campaigns, population, given)
        sol = solve_ivp(rhs, (day, day + 1), y.reshape(-1), method=method, rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(f"solve_ivp failed on day {day}: {sol.message}")
        y = sol.y[:, -1].reshape(rhs.groups, SLOTS).copy()
        states[day + 1] = y

    daily = np.diff(states, axis=0)
    return {
        "compartments": states[:, :, :PEOPLE],
        "infections": daily[:, :, CUM_INF],
        "admissions": daily[:, :, CUM_ADM],
        "icu_admissions": daily[:, :, CUM_ICU],
        "deaths": daily[:, :, D],
        "hospital_occupancy": states[1:, :, H] + states[1:, :, H_POST],
        "icu_occupancy": states[1:, :, C],
        "vaccinations": vaccinations,
        "evaluations": np.asarray(rhs.evaluations),
    }
