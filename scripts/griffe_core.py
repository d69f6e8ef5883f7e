"""Griffe extension for the API reference (mkdocs.yml): the docstrings of the compiled module.

``afweging._core`` is documented where it is written: the Rust doc comments of its classes and
methods, which pyo3 makes their ``__doc__`` (``help()`` shows them). The site reads the module's
type stubs (``_core.pyi``) for the signatures; this takes each stubbed object's text from the
installed module, so that the stubs need not repeat it.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Optional

import griffe

_MODULE = "afweging._core"


def runtime_doc(path: str) -> Optional[str]:
    """The ``__doc__`` of the object at ``path`` (``afweging._core.Model.run``) in the installed
    compiled module, cleaned; None when it has none."""
    obj: Any = importlib.import_module(_MODULE)
    for name in path[len(_MODULE) + 1 :].split("."):
        # Properties are read from the class's namespace: getattr would run them.
        namespace = getattr(obj, "__dict__", {})
        obj = namespace[name] if name in namespace else getattr(obj, name, None)
        if obj is None:
            return None
    doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


class CompiledDocstrings(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None and obj.path.startswith(_MODULE + "."):
            text = runtime_doc(obj.path)
            if text is not None:
                obj.docstring = griffe.Docstring(text, parent=obj)
