#!/usr/bin/env bash
# Starts the demo with the shipped models: http://localhost:5173/
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-node.cjs
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
npx vite build
exec npx vite preview --port "${PORT:-5173}" --strictPort --host "${HOST:-localhost}"
