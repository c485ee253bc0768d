#!/usr/bin/env bash
# Runs the Neovim plugin's headless test against the real contact-importd.
#   bash clients/nvim/test/run.sh [path/to/contact-importd]
# The daemon: the argument, else $CONTACT_IMPORTD, else .build/debug/contact-importd.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
daemon="${1:-${CONTACT_IMPORTD:-$repo/.build/debug/contact-importd}}"

if [[ ! -x "$daemon" ]]; then
  echo "clients/nvim/test/run.sh: contact-importd not found at $daemon" >&2
  echo "  build it (swift build --product contact-importd) or pass its path / set CONTACT_IMPORTD" >&2
  exit 1
fi
if ! command -v nvim >/dev/null; then
  echo "clients/nvim/test/run.sh: nvim not found (Debian: apt-get install -y neovim)" >&2
  exit 1
fi

workspace="$(mktemp -d)"
trap 'rm -rf "$workspace"' EXIT
export CONTACT_IMPORTD="$(cd "$(dirname "$daemon")" && pwd)/$(basename "$daemon")"
export CONTACT_IMPORT_WORKSPACE="$workspace/workspace"
export CONTACT_IMPORT_EXAMPLE="$repo/protocol/examples/contactos-ejemplo.csv"

# -u NONE: no user config; the plugin is put on the runtimepath explicitly.
# Output goes to a file because headless Neovim owns the terminal's stdout.
log="$workspace/test.log"
status=0
timeout 120 nvim --headless -u NONE -i NONE -n \
  --cmd "set runtimepath^=$repo/clients/nvim" \
  --cmd "runtime plugin/contact_import.lua" \
  -c "luafile ${TEST_SCRIPT:-$here/test_plugin.lua}" >"$log" 2>&1 || status=$?
cat "$log"
if [[ $status -ne 0 ]]; then
  echo "clients/nvim/test/run.sh: FAILED (exit $status)" >&2
fi
exit $status
