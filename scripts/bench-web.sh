#!/usr/bin/env bash
# Benchmark of the web app (not a test): wrk at 16 connections against the area sheet (HTML and JSON) and
# the projects API of the kita fixture, printing requests/s and p50/p99 latency. Goal: ≥ 9,000 req/s and
# p99 < 10 ms for the area sheet's JSON. Serves with the release build of the machi-web example
# `serve_db` (so the figures are this crate's, whatever the CLI does). Needs Debian's `wrk`.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-18766}"
BASE="http://127.0.0.1:$PORT"
DURATION="${DURATION:-10s}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "bench-web: wrk not found (apt-get install -y wrk)" >&2; exit 1; }

cargo build -q --release -p machi-web --example serve_db
target/release/examples/serve_db "$WORK/bench.db" "127.0.0.1:$PORT" --import test_data/interchange/kita \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break; sleep 0.2; done

AREA="$BASE/areas/%E5%8C%97%E5%8C%BA/2020"
printf '%-34s %12s %10s %10s\n' "target" "req/s" "p50" "p99"
for t in "area sheet HTML|$AREA" "area sheet JSON|$AREA.json" "projects API|$BASE/api/v1/projects?area=%E5%8C%97%E5%8C%BA&year=2020"; do
  IFS='|' read -r name url <<<"$t"
  curl -fsS -o /dev/null "$url"   # warm the response cache
  wrk -t2 -c16 -d"$DURATION" --latency "$url" >"$WORK/wrk.txt"
  rps="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")"
  p50="$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")"
  p99="$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")"
  printf '%-34s %12s %10s %10s\n' "$name" "$rps" "$p50" "$p99"
done
