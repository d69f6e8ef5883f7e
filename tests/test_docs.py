"""The documentation site builds in strict mode with the API reference (mkdocs, the docs extra),
the docs pages the README links to exist, every docs page is in the index and the README, and no
relative link is broken."""

import os
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_docs_site_builds_strict_with_the_api_reference(tmp_path):
    """`mkdocs build --strict` (scripts/docs.sh): no broken link or anchor, no page left out of the
    nav; the API reference holds the package's names and plots, the compiled classes' stubs, and
    the rendered notebooks."""
    site = tmp_path / "site"
    subprocess.run(["bash", str(ROOT / "scripts" / "docs.sh"), str(site)], check=True, capture_output=True,
                   timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("Calibration", "SectorPlans", "one_way", "sweep.sweep", "assess.assess", "ValidationError",
                 "_core.Model.run"):
        assert f'id="afweging.{name}"' in api, name
    for name in ("care", "dimensions", "radar", "tornado", "bands", "prob_best"):
        assert f'id="afweging.plot.{name}"' in api, name
    assert "<pre" in api and "&gt;&gt;&gt;" in api  # doctests rendered as code blocks
    # The compiled classes with the text of their Rust doc comments (scripts/griffe_core.py).
    for text in ("Basic reproduction number: the spectral radius of the next-generation matrix",
                 "A calibration and a scenario checked against each other and prepared for runs"):
        assert text in api, text
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name in notebooks:
        assert (site / "notebooks" / name / "index.html").is_file(), name


def _compiled_members():
    """``(name, object)`` of every public class, function, method and property of ``_core``."""
    from afweging import _core

    for name in _core.__all__:
        obj = getattr(_core, name)
        if name.startswith("__"):
            continue
        yield name, obj
        if isinstance(obj, type):
            for member, value in vars(obj).items():
                if not member.startswith("_"):
                    yield f"{name}.{member}", value


def test_every_compiled_class_and_method_has_a_docstring():
    """help() and the API reference show the Rust doc comments: none may be missing."""
    missing = [name for name, obj in _compiled_members() if not (getattr(obj, "__doc__", None) or "").strip()]
    assert not missing, missing


def test_docs_pages_are_linked_and_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\((docs/[^)#]+)", readme))
    assert {"docs/virus_spread.md", "docs/socio_economic.md", "docs/societal.md", "docs/behavioural.md",
            "docs/sources.md"} <= links
    for link in links:
        assert (ROOT / link).is_file(), link


def _doc_pages():
    return sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "README.md")


def test_every_docs_page_is_linked_from_the_index_and_the_readme():
    index = set(re.findall(r"\]\(([^)#\s]+)", (ROOT / "docs" / "README.md").read_text(encoding="utf-8")))
    readme = set(re.findall(r"\]\((docs/[^)#\s]+)", (ROOT / "README.md").read_text(encoding="utf-8")))
    for page in _doc_pages():
        assert page.name in index, f"docs/README.md does not link {page.name}"
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_linked_paths_resolve():
    """Every relative link in the README and the docs pages points to a file that exists."""
    for page in [ROOT / "README.md", ROOT / "docs" / "README.md", *_doc_pages()]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#")[0]
            assert (page.parent / path).exists(), f"{page.relative_to(ROOT)}: {target}"
