"""The report command: a well-formed, self-contained HTML file with every section, from the
default data and from JSON inputs; bad input gives one line naming the field and exit code 2."""

import json
import re
import subprocess
import sys

import pytest

import afweging as af
from afweging.__main__ import main
from afweging.report import SECTIONS, check_html, load_alternatives, load_scenarios

pytest.importorskip("matplotlib")


def read(path):
    text = path.read_text(encoding="utf-8")
    assert check_html(text) == []
    # Self-contained: no external resources, figures embedded.
    assert not re.search(r'src="(?!data:)', text) and "<link" not in text
    assert text.count("data:image/png;base64,") >= 5
    return text


def test_default_report_has_every_section(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--output", str(out), "--days", "120"]) == 0
    assert "wrote" in capsys.readouterr().out
    text = read(out)
    for sid, title in SECTIONS:
        assert f'<section id="{sid}">' in text and title in text
    for alternative in ["no measures", "signal-values", "occupancy", "lockdown"]:
        assert alternative in text
    for scenario in ["gunstig", "centraal", "ongunstig", "zeer_ongunstig"]:
        assert scenario in text
    assert "qaly_value_high" in text  # the valuation is shown
    assert "Is scaled-up ICU capacity exceeded" in text  # the checklist is answered


def test_report_from_json_inputs(tmp_path):
    cal, plans = af.Calibration.netherlands(), af.SectorPlans.netherlands()
    files = {
        "scenarios": {"centraal": 0.7, "bad year": {"probability": 0.3, "preset": "ongunstig"}},
        "alternatives": {
            "open": None,
            "ladders": {"policy": "signal-values"},
            "horeca closed": {"package": {"horeca": 3}, "general": ["loonkostensubsidie_now"]},
        },
        "valuation": json.loads(af.Valuation.netherlands().with_values(qaly_value_high=50_000).to_json()),
        "calibration": json.loads(cal.to_json()),
        "plans": json.loads(plans.to_json()),
    }
    args = ["report", "--output", str(tmp_path / "mine.html"), "--days", "90", "--title", "Scenario study"]
    for name, data in files.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        args += [f"--{name}", str(path)]
    assert main(args) == 0
    text = read(tmp_path / "mine.html")
    assert "<title>Scenario study</title>" in text
    assert "horeca closed" in text and "bad year" in text
    assert "50,000" in text  # the overridden value is the one shown


@pytest.mark.parametrize(
    "name, content, field",
    [
        ("scenarios", {"centraal": 0.5, "ongunstig": 0.4}, "scenarios"),
        ("scenarios", {"centraal": "half"}, "scenarios.centraal"),
        ("scenarios", {"nowhere": 1.0}, "scenarios.nowhere"),
        ("alternatives", {"x": {"package": {"kroeg": 1}}}, "alternatives.x: package.rungs.kroeg"),
        ("alternatives", {"x": {"policy": "unknown-policy"}}, "alternatives.x"),
        ("alternatives", {"x": 3}, "alternatives.x"),
        ("alternatives", [], "alternatives"),
        ("valuation", {"values": {}}, "valuation"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(tmp_path, capsys, name, content, field):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(content))
    code = main(["report", "--output", str(tmp_path / "x.html"), f"--{name}", str(path), "--days", "30"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("afweging: error: ") and err.count("\n") == 1, err
    assert field in err
    assert not (tmp_path / "x.html").exists()


def test_unreadable_inputs(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["report", "--scenarios", str(broken), "--output", str(tmp_path / "x.html")]) == 2
    assert "scenarios: is not valid JSON" in capsys.readouterr().err
    assert main(["report", "--alternatives", str(tmp_path / "missing.json"), "--output", str(tmp_path / "x.html")]) == 2
    assert "alternatives" in capsys.readouterr().err
    assert main(["report", "--days", "0", "--output", str(tmp_path / "x.html")]) == 2
    assert "days" in capsys.readouterr().err


def test_python_dash_m(tmp_path):
    out = tmp_path / "m.html"
    done = subprocess.run(
        [sys.executable, "-m", "afweging", "report", "-o", str(out), "--days", "30"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    read(out)


def test_the_checker_finds_broken_html():
    assert any("closes" in p for p in check_html("<html><body><section id='summary'><p></section></body></html>"))
    assert any("missing section 'costs'" in p for p in check_html("<html></html>"))


def test_loaders():
    plans = af.SectorPlans.netherlands()
    sc = load_scenarios({"centraal": 1.0})
    assert list(sc) == ["centraal"] and sc["centraal"][1] == 1.0
    alts = load_alternatives(plans)
    assert list(alts) == ["no measures", "signal-values", "occupancy", "lockdown"]
    assert alts["no measures"] is None
