#!/usr/bin/env bash
# Benchmark: generate a merchant's 10 days in the real export formats (qrecon-gen), run
# `qrecon run` on them, check every case against the generator's expected status, and report
# wall time, throughput, peak memory and where the time went.
#
#   benches/bench.sh                 # 10k, 100k and 1M payments
#   benches/bench.sh 250000          # any sizes
#   BENCH_DIR=/data/bench benches/bench.sh   # where the generated data goes (default: /tmp)
#
# Needs GNU time (/usr/bin/time) for peak memory. Data is reused when already generated.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
base=${BENCH_DIR:-/tmp}
cargo build --release --workspace --quiet
printf '%-9s %6s %7s %8s %10s %10s %9s  %s\n' payments files MB wall_s payments/s rows/s peak_MB check
for n in "${sizes[@]}"; do
  accounts=$(( n / 10000 )); [ "$accounts" -ge 1 ] || accounts=1
  dir="$base/qrecon-bench-$n"
  if [ ! -f "$dir/expected.jsonl" ]; then
    rm -rf "$dir"
    target/release/qrecon-gen --payments "$n" --accounts "$accounts" --days 10 --seed 11 --out "$dir" > /dev/null
  fi
  files=$(find "$dir/exports" -type f | wc -l)
  mb=$(du -sm "$dir/exports" | cut -f1)
  # A fresh output folder and no dirty pages of the last run, so the kernel's writeback of the
  # previous 1.5 GB is not timed as this run.
  rm -rf "$dir/out"
  sync
  QRECON_TIMINGS=1 /usr/bin/time -f '%e %M' -o "$dir/time.txt" \
    target/release/qrecon run --config "$dir/qrecon.yaml" --out "$dir/out" > /dev/null 2> "$dir/timings.txt"
  read -r wall peak_kb < "$dir/time.txt"
  rows=$(grep -o '"rows_read": [0-9]*' "$dir/out/summary.json" | head -1 | grep -o '[0-9]*$')
  extract='s/^\{"case_id":"([^"]*)".*"status":"([A-Z_]+)".*/\1 \2/'
  if diff -q <(sed -E "$extract" "$dir/expected.jsonl") <(sed -E "$extract" "$dir/out/cases.jsonl") > /dev/null; then
    check="all $(wc -l < "$dir/expected.jsonl") cases as expected"
  else
    check="MISMATCH (diff $dir/expected.jsonl against $dir/out/cases.jsonl)"
  fi
  printf '%-9s %6s %7s %8s %10.0f %10.0f %9d  %s\n' "$n" "$files" "$mb" "$wall" \
    "$(echo "$n / $wall" | bc -l)" "$(echo "$rows / $wall" | bc -l)" "$(( peak_kb / 1024 ))" "$check"
  sed 's/^timing: /          /' "$dir/timings.txt"
done
