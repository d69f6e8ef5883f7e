#!/usr/bin/env bash
# Builds the documentation site (mkdocs.yml: the user guide in docs/, the notebooks, the API
# reference from the docstrings) in strict mode into site/ (or the directory in $1): a broken link
# or anchor, a page left out of the nav or a docstring reference that does not resolve fails it.
# Needs the docs tools: `bash scripts/setup.sh docs` (or `test`). `.venv/bin/mkdocs serve` previews it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=".venv/bin/python"
[ -x "$python" ] || python="python3"
"$python" -m mkdocs build --strict --site-dir "${1:-site}"
echo "documentation site written to ${1:-site}/index.html"
