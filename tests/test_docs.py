"""The API reference builds from the docstrings (pdoc, the docs extra), and the docs pages the
README links to exist."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_api_reference_builds(tmp_path):
    pytest.importorskip("pdoc")
    out = tmp_path / "api"
    subprocess.run(
        [sys.executable, "-m", "pdoc", "--docformat", "restructuredtext", "--no-show-source", "-o", str(out), "afweging"],
        check=True, capture_output=True, timeout=120,
    )
    index = (out / "afweging.html").read_text(encoding="utf-8")
    for name in ("Calibration", "SectorPlans", "one_way", "sweep"):
        assert name in index
    plot = (out / "afweging" / "plot.html").read_text(encoding="utf-8")
    for name in ("care", "dimensions", "radar", "tornado", "bands", "prob_best"):
        assert f'id="{name}"' in plot


def test_docs_pages_are_linked_and_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\((docs/[^)#]+)", readme))
    assert {"docs/virus_spread.md", "docs/socio_economic.md", "docs/societal.md", "docs/behavioural.md",
            "docs/sources.md"} <= links
    for link in links:
        assert (ROOT / link).is_file(), link
