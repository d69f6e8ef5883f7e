#!/usr/bin/env bash
# Creates .venv and installs afweging into it with the extras named in $1 (e.g. "test"): the wheel
# is built once in release mode by scripts/wheel.sh (into dist/) and that wheel is installed;
# everything comes from PyPI and crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/wheel.sh
wheel="$(ls dist/afweging-*.whl)"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "$wheel${1:+[$1]}"
# The same version may be installed already from an earlier build: put this build in its place.
.venv/bin/python -m pip install --quiet --force-reinstall --no-deps "$wheel"
