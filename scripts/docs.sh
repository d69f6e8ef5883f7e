#!/usr/bin/env bash
# Builds the API reference from the docstrings with pdoc into docs/api/ (or the directory in $1).
# Needs the package installed with the docs extra: `bash scripts/setup.sh docs` (or `test`).
# The generated HTML is not committed (docs/api/ is in .gitignore).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/api}"
python=".venv/bin/python"
[ -x "$python" ] || python="python3"
"$python" -m pdoc --docformat restructuredtext --no-show-source -o "$out" afweging
echo "API reference written to $out/index.html"
