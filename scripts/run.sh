#!/usr/bin/env bash
# The main job on a fresh machine: install afweging (with the report extra: pandas, matplotlib)
# and write the HTML report that weighs the default alternatives over the four Dutch scenarios on
# the embedded default data (afweging-report.html). Arguments go on to `afweging report`
# (--output, --scenarios, --alternatives, --calibration, --plans, --valuation, --days, --title).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh report
.venv/bin/afweging report "$@"
