"""Every plot renders, returns its axes and draws into a given one."""

import pytest

import afweging as af

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def run() -> af.Run:
    model = af.Model(af.Calibration.netherlands(), af.Scenario.preset("ongunstig"))
    return model.run(af.SectorPlans.netherlands().policy("signal-values"), days=200)


@pytest.mark.parametrize("kind", ["care", "rungs", "behaviour"])
def test_plot_kinds_render(run, kind):
    ax = run.plot(kind)
    ax.figure.canvas.draw()
    assert ax.has_data()
    fig, given = plt.subplots()
    assert run.plot(kind, ax=given) is given
    plt.close("all")


def test_plot_rejects_unknown_kind(run):
    with pytest.raises(ValueError, match="kind: must be one of care, rungs, behaviour, got 'pie'"):
        run.plot("pie")


def test_care_plot_without_policy():
    run = af.Model(af.Calibration.netherlands(), af.Scenario.preset("centraal")).run(days=60)
    ax = run.plot()
    assert len(ax.lines) >= 2
    plt.close("all")
