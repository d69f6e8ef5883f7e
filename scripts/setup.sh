#!/usr/bin/env bash
# Creates .venv and installs afweging into it (built from source in release mode by maturin),
# with the extras named in $1 (e.g. "test"); everything comes from PyPI and crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ -n "${1:-}" ]; then
  .venv/bin/python -m pip install --quiet ".[$1]"
else
  .venv/bin/python -m pip install --quiet .
fi
