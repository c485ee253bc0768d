#!/usr/bin/env bash
# Runs the client test suites (Python library, Neovim plugin) against one daemon.
#   bash clients/test.sh [path/to/contact-importd]
# Default daemon: $CONTACT_IMPORTD, else .build/debug/contact-importd. Both suites
# need the real daemon and fail (never skip) without it; the Neovim suite also
# needs `nvim` (Debian: apt-get install -y neovim).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
daemon="${1:-${CONTACT_IMPORTD:-$repo/.build/debug/contact-importd}}"
if [[ ! -x "$daemon" ]]; then
  echo "clients/test.sh: contact-importd not found at $daemon (swift build --product contact-importd)" >&2
  exit 1
fi
export CONTACT_IMPORTD="$(cd "$(dirname "$daemon")" && pwd)/$(basename "$daemon")"

failed=()
echo "== Python client (clients/python/tests)"
python3 -m unittest discover -s "$repo/clients/python/tests" -t "$repo/clients/python/tests" || failed+=(python)
echo "== Neovim plugin (clients/nvim/test/run.sh)"
bash "$repo/clients/nvim/test/run.sh" "$CONTACT_IMPORTD" || failed+=(nvim)

if (( ${#failed[@]} )); then
  echo "clients/test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "clients/test.sh: all client tests passed"
