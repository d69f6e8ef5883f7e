"""MkDocs hook for the documentation site (mkdocs.yml).

The pages in docs/ link to Markdown files beside docs/ (the project README, the provenance of the
observed data) by relative paths, which work on GitHub and in an editor but lead out of the site.
This hook adds each such file to the site as a page under ``repo/`` (its own links to docs/ pages
pointed back into the site) and points the links there, so that ``mkdocs build --strict`` checks
them like any other link instead of failing on them or leaving them broken.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

_LINK = re.compile(r"(\]\()([^)\s#]+)")
_PREFIX = "repo/"


def _outside(target: str, page_dir: str) -> str | None:
    """The repository path of a relative link leaving docs/, or None."""
    if re.match(r"[a-z]+:", target) or not target.endswith(".md"):
        return None
    path = posixpath.normpath(posixpath.join(page_dir, target))
    return path[3:] if path.startswith("../") and not path.startswith("../../") else None


def _root(config: Any) -> Path:
    return Path(config["docs_dir"]).resolve().parent


def on_files(files: Files, config: Any) -> Files:
    root, docs = _root(config), Path(config["docs_dir"]).resolve()
    wanted = {"README.md"}
    for page in docs.glob("*.md"):
        for _, target in _LINK.findall(page.read_text(encoding="utf-8")):
            path = _outside(target, "")
            if path is not None:
                wanted.add(path)
    for path in sorted(wanted):
        text = (root / path).read_text(encoding="utf-8")
        here = posixpath.dirname(path)

        def into_site(m: re.Match[str], here: str = here) -> str:
            resolved = posixpath.normpath(posixpath.join(here, m.group(2)))
            if resolved.startswith("docs/"):
                page = _PREFIX + path
                return m.group(1) + posixpath.relpath(resolved[5:], posixpath.dirname(page))
            return m.group(0)

        files.append(File.generated(config, _PREFIX + path, content=_LINK.sub(into_site, text)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    src = page.file.src_uri
    if src.startswith(_PREFIX):
        return markdown
    page_dir = posixpath.dirname(src)

    def into_repo(m: re.Match[str]) -> str:
        path = _outside(m.group(2), page_dir)
        if path is None:
            return m.group(0)
        return m.group(1) + posixpath.relpath(_PREFIX + path, page_dir or ".")

    return _LINK.sub(into_repo, markdown)
