#!/usr/bin/env bash
# The built wheel (dist/, from scripts/wheel.sh) as a user without Rust gets it: installed into a
# clean virtual environment (.venv-smoke) with cargo and rustc off PATH, where the smoke test
# (scripts/smoke.py: numpy alone) and then, with the report extra, the tour (examples/tour.py) run.
set -euo pipefail
cd "$(dirname "$0")/.."
wheel="$(realpath dist/afweging-*.whl)"
case "$(basename "$wheel")" in
  afweging-*-cp39-abi3-*.whl) ;;
  *) echo "smoke: not an abi3 wheel: $wheel" >&2; exit 1 ;;
esac
python="$(python3 -c 'import sys; print(sys.executable)')"
# PATH without any directory that holds a Rust toolchain (cargo, rustc, rustup).
path=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -e "$d/cargo" ] || [ -e "$d/rustc" ] || [ -e "$d/rustup" ] || path="${path:+$path:}$d"
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
env -u CARGO_TARGET_DIR -u CARGO_HOME -u RUSTUP_HOME PATH="$path" bash -euo pipefail -c '
  python="$1" wheel="$2" out="$3" root="$PWD" venv="$PWD/.venv-smoke"
  if command -v cargo || command -v rustc; then echo "smoke: a Rust toolchain is on PATH" >&2; exit 1; fi
  echo "smoke: no cargo or rustc on PATH"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet "$wheel"
  (cd "$out" && "$venv/bin/python" "$root/scripts/smoke.py")
  "$venv/bin/python" -m pip install --quiet "$wheel[report]"
  (cd "$out" && "$venv/bin/python" "$root/examples/tour.py" .)
' smoke "$python" "$wheel" "$out"
