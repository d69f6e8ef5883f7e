#!/usr/bin/env bash
# Builds the wheel once, in release mode, into dist/: afweging-<version>-cp39-abi3-<platform>.whl,
# one wheel for every CPython >= 3.9 (pyo3's abi3-py39). maturin comes from PyPI into .venv-build.
# setup.sh installs this wheel into .venv and smoke.sh into a clean environment without Rust;
# the release workflow (.github/workflows/release.yml) builds the same for Linux, macOS and Windows.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-build/bin/maturin ] || {
  python3 -m venv .venv-build
  .venv-build/bin/python -m pip install --quiet --upgrade pip "maturin>=1.7,<2"
}
rm -f dist/afweging-*.whl
.venv-build/bin/maturin build --release --out dist
