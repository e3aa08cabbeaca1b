#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (idempotent):
# Debian's Chromium (Playwright cannot download browsers here), Debian's PyTorch for
# training and its checks, tcmalloc (3-9× faster training, see machine-notes), npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(chromium python3-torch python3-numpy python3-pil python3-pytest libtcmalloc-minimal4)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
