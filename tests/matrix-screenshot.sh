#!/bin/bash
# Opens the release table (gueststub matrix writes out/matrix/index.html) in a real browser,
# Debian's headless Chromium, and saves what it rendered as a PNG: the proof that the page
# opens in a browser, and the picture a maintainer would look at.
#
#   tests/matrix-screenshot.sh [HTML [PNG [WIDTHxHEIGHT]]]
#
# Defaults: out/matrix/index.html, out/matrix/index.png, 1600x1400. Installs Debian's chromium
# package first when it is missing (it is not part of ./build.sh setup: only this script needs
# it). Exit 1 when the page is missing or Chromium wrote no picture.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
html=$(realpath -m "${1:-$root/out/matrix/index.html}")
png=$(realpath -m "${2:-$root/out/matrix/index.png}")
size=${3:-1600x1400}
say() { echo "matrix-screenshot: $*" >&2; }

[[ -f $html ]] || { say "no $html: run gueststub matrix first (it writes out/matrix/index.html)"; exit 1; }
[[ $size =~ ^[0-9]+x[0-9]+$ ]] || { say "the size is WIDTHxHEIGHT in pixels, not '$size'"; exit 1; }
if ! command -v chromium > /dev/null; then
    say "Debian's chromium is not installed: installing it (apt-get install chromium)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium > /dev/null
fi

rm -f "$png"
mkdir -p "$(dirname "$png")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: Chromium refuses to run as root with its sandbox; the page is our own file.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --window-size="${size/x/,}" \
    --screenshot="$png" "file://$html" > "$profile/chromium.log" 2>&1 || {
    say "chromium failed:"; cat "$profile/chromium.log" >&2; exit 1; }
[[ -s $png ]] || { say "chromium wrote no $png:"; cat "$profile/chromium.log" >&2; exit 1; }
say "$(realpath --relative-to="$root" "$png" 2>/dev/null || echo "$png"): $(file -b "$png")"
