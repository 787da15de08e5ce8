#!/usr/bin/env bash
# Set up everything the build and the tests need, on a fresh Debian machine.
#   scripts/setup.sh system   Debian packages (Chromium prints the PDFs and runs the browser tests;
#                             DejaVu fonts for the PDFs and charts; poppler for the PDF tests)
#   scripts/setup.sh python   .venv from requirements.lock, plus this project (editable)
# Each step is skipped when it is already done. Without root, the system step stops and prints
# the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

# No TeX Live: the PDFs are printed by Chromium from the book's HTML (lib/print_pdf.py)
APT_PACKAGES=(
  fonts-dejavu-core poppler-utils chromium python3-venv
)

system() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: Debian packages present"
    return 0
  fi
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root:  sudo sh -c '$cmd'" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  sh -c "$cmd"
}

python_env() {
  local stamp=.venv/.lock-sha256
  local want
  want=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "setup: .venv up to date"
    return 0
  fi
  if ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "setup: Python 3.11 is required (found $(python3 --version 2>&1))" >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  # every package pinned with its sha256 in the lock (pip-compile --generate-hashes); the project
  # itself is built with the setuptools from the lock, so nothing unchecked comes in
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  .venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
  echo "$want" > "$stamp"
  echo "setup: .venv ready"
}

case "${1:-all}" in
  system) system ;;
  python) python_env ;;
  all) system; python_env ;;
  *) echo "usage: $0 [system|python|all]" >&2; exit 2 ;;
esac
