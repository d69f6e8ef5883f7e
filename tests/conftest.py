import pytest

import afweging as af


@pytest.fixture(scope="session")
def cal() -> af.Calibration:
    return af.Calibration.netherlands()


@pytest.fixture(scope="session")
def central() -> af.Scenario:
    return af.Scenario.preset("centraal")


@pytest.fixture(scope="session")
def year_run(cal: af.Calibration, central: af.Scenario) -> af.Run:
    return af.Model(cal, central).run(days=365)
