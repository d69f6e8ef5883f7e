#!/usr/bin/env bash
# Installs what the tests need and runs them all: formatting, clippy (warnings are errors), cargo
# tests; the release wheel built once (abi3), installed with the test extras into .venv and, as a
# user gets it, into a clean environment without Rust (smoke test and tour); mypy and stubtest;
# pytest, including the notebooks and the documentation site built in strict mode (tests/test_docs.py).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy -D warnings (engine, and with the python feature)"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --features python -- -D warnings
echo "== cargo test"
cargo test
echo "== build the wheel (release, abi3) and install it with the test extras"
bash scripts/setup.sh test
echo "== the wheel in a clean environment without Rust: smoke test and tour"
bash scripts/smoke.sh
echo "== mypy and stubtest"
.venv/bin/python -m mypy
.venv/bin/python -m mypy.stubtest afweging._core
echo "== pytest (tests, the docs site in strict mode, notebooks)"
.venv/bin/python -m pytest -q --durations=25 tests --nbmake notebooks
