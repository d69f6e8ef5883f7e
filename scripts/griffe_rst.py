"""Griffe extension for the API reference (mkdocs.yml): the package's docstrings are written in
reStructuredText (Sphinx roles, doctest blocks, as Python's ``help`` shows them); the site renders
Markdown. This turns ``:func:`~afweging.fit``` into ``fit`` in code type and each doctest block into
a fenced ``pycon`` block, leaving the docstrings themselves as they are.
"""

from __future__ import annotations

import re
from typing import Any, List

import griffe

_ROLE = re.compile(r":(?:func|class|meth|attr|mod|data|exc|obj):`~?([^`]+)`")


def _short(m: re.Match[str]) -> str:
    name = m.group(1)
    shown = name.rsplit(".", 1)[-1] if m.group(0).split("`")[1].startswith("~") else name
    return f"``{shown}``"


def _fence_doctests(text: str) -> str:
    out: List[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if out and out[-1].strip():
            out.append("")
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


def to_markdown(text: str) -> str:
    """The docstring ``text`` with Sphinx roles and doctest blocks in Markdown."""
    return _fence_doctests(_ROLE.sub(_short, text))


class RstToMarkdown(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
