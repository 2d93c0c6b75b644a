#!/usr/bin/env bash
# Regenerates docs/screenshots/: builds the site, then photographs the home
# page and the 503/504 page at 390 and 1280 px, light and dark, in headless
# Chromium (apt-get install chromium). playwright-core drives the installed
# browser; it is installed once into target/tools/playwright (no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools/playwright
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  npm install --prefix "$tools" --no-save --silent --no-audit --no-fund playwright-core >/dev/null
fi
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
cargo run --quiet --release -- build --output "$site/public"
mkdir -p docs/screenshots
# ES modules resolve packages from their own folder, so the script runs from there.
cp scripts/screenshots.mjs "$tools/screenshots.mjs"
node "$tools/screenshots.mjs" "$site/public" docs/screenshots
