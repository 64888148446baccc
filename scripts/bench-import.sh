#!/usr/bin/env bash
# Benchmark (not a test): import a synthetic interchange folder of N projects with four amounts each
# (default 250,000 projects = 1,000,000 amount rows), then export it again, and print rows/s.
# The national-scale generator with real municipality names is its own piece of work; this only
# measures the store's bulk path. Usage: scripts/bench-import.sh [PROJECTS]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-250000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cargo build --release -q -p machi-cli
BIN="${CARGO_TARGET_DIR:-target}/release/machi"
python3 - "$WORK/in" "$N" <<'PY'
import csv, os, sys
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
def w(name, header, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n"); wr.writerow(header); wr.writerows(rows)
docs = max(1, n // 30)
w("documents.csv", "document_id,title,municipality_code,municipality,fiscal_year,unit,source_name,source_sha256,imported_at".split(","),
  [[f"doc-{d:06}", f"synthetic {d}", "431001", "熊本市", 2011 + d % 10, "thousand_yen", f"s{d}.txt", f"{d:064x}", "2026-01-01T00:00:00Z"] for d in range(docs)])
w("projects.csv", "project_id,document_id,parent_project_id,municipality,area,fiscal_year,fund,pillar,number,name,description,is_new,status,status_note,department,tags,source_line".split(","),
  ([f"p{i:07}", f"doc-{i % docs:06}", "", "熊本市", "北区", 2011 + (i % docs) % 10, "まちづくり推進経費", "地域を支える土台づくり", str(i % 30 + 1), f"事業{i}", "説明", "false", "planned", "", "", "", i % 500 + 1] for i in range(n)))
phases = ["initial", "revised_09", "revised_02", "settled"]
w("amounts.csv", "project_id,phase,amount_yen,source_line".split(","),
  ([f"p{i:07}", ph, (i * 7919 + k) % 5000 * 1000, i % 500 + 1] for i in range(n) for k, ph in enumerate(phases)))
PY
ROWS=$((N * 5 + N / 30))
start=$(date +%s.%N)
"$BIN" --db "$WORK/bench.db" import -q "$WORK/in"
mid=$(date +%s.%N)
"$BIN" --db "$WORK/bench.db" export -q --format csv --out "$WORK/out"
end=$(date +%s.%N)
python3 -c "
rows=$ROWS; imp=$mid-$start; exp=$end-$mid
print(f'import: {rows:,} rows in {imp:.2f} s = {rows/imp:,.0f} rows/s (parse, validate, one transaction)')
print(f'export: {rows:,} rows in {exp:.2f} s = {rows/exp:,.0f} rows/s')"
