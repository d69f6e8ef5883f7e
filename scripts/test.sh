#!/usr/bin/env bash
# Installs what the tests need and runs them all: formatting, clippy (warnings are errors), cargo
# tests, the release-built Python package with pytest (including the notebooks), mypy and stubtest.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy -D warnings (engine, and with the python feature)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --features python -- -D warnings
echo "== cargo test"
cargo test
echo "== install the package (release build) with the test extras"
bash scripts/setup.sh test
echo "== mypy and stubtest"
.venv/bin/python -m mypy
.venv/bin/python -m mypy.stubtest afweging._core
echo "== pytest (tests and notebooks)"
.venv/bin/python -m pytest -q tests --nbmake notebooks
