#!/usr/bin/env bash
# Regenerates docs/screenshots/ in headless Chromium (apt-get install
# chromium), at 390 and 1280 px, light and dark: this site's home page and
# its 503/504 page, and a generated catalog of 6,000 codes in 440
# categories (its home page, a category page and the page of its longest
# code). playwright-core drives the installed browser; it is installed once
# into target/tools/playwright (no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools/playwright
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  npm install --prefix "$tools" --no-save --silent --no-audit --no-fund playwright-core >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --quiet --release --bin errdex --example gen-corpus
errdex="$PWD/target/release/errdex"
"$errdex" build --output "$work/public"
target/release/examples/gen-corpus 6000 "$work/wide" --categories 440 2>/dev/null
(cd "$work/wide" && "$errdex" build)
wide="$work/wide/public"
# The largest category page and the longest code (awk reads to the end, so
# nothing upstream dies of a closed pipe under pipefail).
category=$(ls -S "$wide"/categories/*/index.html | awk 'NR == 1')
longest=$(cd "$wide/errors" && ls -d */ | awk 'length > max { max = length; line = $0 } END { print line }')
mkdir -p docs/screenshots
# ES modules resolve packages from their own folder, so the script runs from there.
cp scripts/screenshots.mjs "$tools/screenshots.mjs"
node "$tools/screenshots.mjs" docs/screenshots \
  "home=$work/public/index.html" "503=$work/public/errors/503/index.html" \
  "large-home=$wide/index.html@" "large-category=$category@" "large-entry=$wide/errors/${longest}index.html"
