#!/usr/bin/env bash
# Real-browser test of the web app: start `machi serve --demo` (or, without the CLI, the machi-web
# example `serve_db` on the kita interchange fixture), then load the overview, an area sheet, a project
# page and a search in headless Chromium. Checks that table values and drawn charts are in the DOM and
# that the console shows no errors (CSP violations included); saves screenshots to target/screenshots/.
# Needs Debian's chromium and a Japanese font (apt-get install -y chromium fonts-ipafont-gothic); without
# the font the checks still pass but the screenshots show boxes instead of Japanese text. Exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18765}"
BASE="http://127.0.0.1:$PORT"
OUT=target/screenshots
mkdir -p "$OUT"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
  echo "browser-test: chromium not found (apt-get install -y chromium)" >&2
  exit 1
fi

# Pick the server: the CLI when it has `serve --demo`, else the example.
# MACHI_WEB_EXAMPLE=1 forces the example (to test this crate's current code without rebuilding the CLI).
BIN=""
[ "${MACHI_WEB_EXAMPLE:-}" = 1 ] || for b in "${MACHI_BIN:-}" target/release/machi target/debug/machi; do
  if [ -n "$b" ] && [ -x "$b" ] && "$b" serve --help 2>/dev/null | grep -q -- --demo; then BIN="$b"; break; fi
done
if [ -n "$BIN" ]; then
  echo "browser-test: $BIN serve --demo on $BASE"
  "$BIN" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
else
  echo "browser-test: no machi CLI with serve --demo; using the machi-web example serve_db"
  cargo build -q -p machi-web --example serve_db
  target/debug/examples/serve_db "$WORK/demo.db" "127.0.0.1:$PORT" --import test_data/interchange/kita \
    >"$WORK/server.log" 2>&1 &
fi
SERVER_PID=$!

for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$BASE/" 2>/dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.log" >&2; echo "browser-test: server died" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS -o /dev/null "$BASE/" || { cat "$WORK/server.log" >&2; echo "browser-test: server did not start" >&2; exit 1; }

# The first project of 北区 令和2年度, from the API (so the test does not depend on id spelling).
AREA_URL="$BASE/areas/%E5%8C%97%E5%8C%BA/2020"
PROJECT_ID="$(curl -fsS "$BASE/api/v1/projects?area=%E5%8C%97%E5%8C%BA&year=2020&fund=%E3%81%BE%E3%81%A1%E3%81%A5%E3%81%8F%E3%82%8A%E6%8E%A8%E9%80%B2%E7%B5%8C%E8%B2%BB&limit=1" \
  | sed -n 's/.*"project_id":"\([^"]*\)".*/\1/p' | head -n1)"
[ -n "$PROJECT_ID" ] || { echo "browser-test: no project found through the API" >&2; exit 1; }

chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$(mktemp -d -p "$WORK")" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 --window-size=1400,1000 "$@"
}

FAIL=0
# name | url | strings that must be in the rendered DOM (;-separated)
PAGES=(
  "overview|$BASE/|北区;27,000;合計の検算"
  "area|$AREA_URL|17,000;8,137;6,419;5,209;✓;単位：千円;data-rendered=\"1\""
  "project|$BASE/projects/$PROJECT_ID|予算の推移;data-rendered=\"1\""
  "search|$BASE/search?q=%E9%98%B2%E7%81%BD|<mark>防災</mark>"
  "area-en|$AREA_URL?lang=en|Unit: ¥1,000;17,000;data-rendered=\"1\""
)
for entry in "${PAGES[@]}"; do
  IFS='|' read -r name url expects <<<"$entry"
  chrome --dump-dom "$url" >"$WORK/$name.html" 2>"$WORK/$name.log" || { echo "FAIL $name: chromium exited non-zero" >&2; FAIL=1; }
  chrome --screenshot="$PWD/$OUT/$name.png" "$url" >/dev/null 2>"$WORK/$name.shot.log" || true
  IFS=';' read -r -a musts <<<"$expects"
  for m in "${musts[@]}"; do
    if ! grep -qF -- "$m" "$WORK/$name.html"; then echo "FAIL $name: rendered DOM lacks $m" >&2; FAIL=1; fi
  done
  # Console messages from the page (errors, uncaught exceptions, CSP refusals) fail the test.
  if grep -hE 'CONSOLE|Uncaught|Refused to|Content Security Policy' "$WORK/$name.log" "$WORK/$name.shot.log" >"$WORK/$name.console"; then
    echo "FAIL $name: console output:" >&2; cat "$WORK/$name.console" >&2; FAIL=1
  fi
  [ -s "$OUT/$name.png" ] || { echo "FAIL $name: no screenshot" >&2; FAIL=1; }
  echo "checked $name ($url)"
done

if [ "$FAIL" -ne 0 ]; then
  echo "browser-test: FAILED (server log follows)" >&2; tail -n 20 "$WORK/server.log" >&2
  exit 1
fi
echo "browser-test: ${#PAGES[@]} pages passed; screenshots in $OUT/"
