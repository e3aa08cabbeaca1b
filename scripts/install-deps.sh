#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian or Ubuntu machine (idempotent):
#   Debian packages: chromium (the e2e tests' browser: Playwright cannot download its own here),
#   python3-torch, -numpy, -pil, -pytest (training and its checks), libtcmalloc-minimal4
#   (3-9× faster training, see docs/design.md); then the npm packages (npm ci).
# As root it installs them with apt-get; otherwise with sudo when sudo works without a
# password; otherwise it says what to install and carries on: the tests that need a missing
# package are then skipped (scripts/test-all.sh says which).
# Exit: 0 when everything it could install is there; 1 when the Node.js version is wrong,
# an install failed, or npm ci failed.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-node.cjs

APT_PACKAGES=(chromium python3-torch python3-numpy python3-pil python3-pytest libtcmalloc-minimal4)
missing=()
# Installed, not just known to dpkg (a removed package keeps a "config-files" entry).
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo -n)
  if [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
    echo "installing Debian packages: ${missing[*]}"
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    cat >&2 <<MSG
Not root, and no password-less sudo: cannot install these Debian packages: ${missing[*]}
Ask an administrator to run, once:
  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}
Until then the tests that need them are skipped.
MSG
  fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
