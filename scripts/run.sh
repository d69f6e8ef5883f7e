#!/usr/bin/env bash
# The main job on a fresh machine: install afweging and print the virus-spread dimension of the
# central Dutch scenario for one year on the embedded default data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/afweging run --scenario centraal --days 365 "$@"
