#!/usr/bin/env bash
# Benchmark: generate a merchant's 10 days in the real export formats (qrecon-gen), run
# `qrecon run` on them with the default rule pack (best of two runs) and with no rules at all
# (matching only), check every case against the generator's expected status and that one
# thread gives the same bytes as all cores, and report wall times, their ratio, throughput,
# peak memory and where the time went (per phase and per rule).
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
empty_rules=$(mktemp -d)   # matching-only: the same run with no rule at all
trap 'rm -rf "$empty_rules"' EXIT
# One timed run: timed_run DIR OUT [qrecon args...] → sets $wall $peak_kb
timed_run() {
  local dir=$1 out=$2; shift 2
  # A fresh output folder and no dirty pages of the last run, so the kernel's writeback of the
  # previous 1.5 GB is not timed as this run.
  rm -rf "$out"
  sync
  QRECON_TIMINGS=1 /usr/bin/time -f '%e %M' -o "$dir/time.txt" \
    target/release/qrecon run --config "$dir/qrecon.yaml" --out "$out" "$@" > /dev/null 2> "$dir/timings.txt.new"
  read -r wall peak_kb < "$dir/time.txt"
}
printf '%-9s %6s %5s %7s %7s %6s %10s %8s  %s\n' payments files MB full_s match_s ratio payments/s peak_MB check
for n in "${sizes[@]}"; do
  accounts=$(( n / 10000 )); [ "$accounts" -ge 1 ] || accounts=1
  dir="$base/qrecon-bench-$n"
  if [ ! -f "$dir/expected.jsonl" ]; then
    rm -rf "$dir"
    target/release/qrecon-gen --payments "$n" --accounts "$accounts" --days 10 --seed 11 --out "$dir" > /dev/null
  fi
  files=$(find "$dir/exports" -type f | wc -l)
  mb=$(du -sm "$dir/exports" | cut -f1)
  # The full default pack and matching only (no rules), interleaved, best of two each; then
  # the full pack on one thread, whose outputs must be the same bytes.
  full=999999; match=999999; peak=0
  for _ in 1 2; do
    timed_run "$dir" "$dir/out"
    if [ "$(echo "$wall < $full" | bc -l)" = 1 ]; then full=$wall; mv "$dir/timings.txt.new" "$dir/timings.txt"; fi
    [ "$peak_kb" -gt "$peak" ] && peak=$peak_kb
    timed_run "$dir" "$dir/out-match" --rules "$empty_rules"
    if [ "$(echo "$wall < $match" | bc -l)" = 1 ]; then match=$wall; fi
  done
  timed_run "$dir" "$dir/out-1" --threads 1
  rm -rf "$dir/out-match"
  extract='s/^\{"case_id":"([^"]*)".*"status":"([A-Z_]+)".*/\1 \2/'
  if diff -q <(sed -E "$extract" "$dir/expected.jsonl") <(sed -E "$extract" "$dir/out/cases.jsonl") > /dev/null; then
    check="all $(wc -l < "$dir/expected.jsonl") cases as expected"
  else
    check="MISMATCH (diff $dir/expected.jsonl against $dir/out/cases.jsonl)"
  fi
  if cmp -s "$dir/out/cases.jsonl" "$dir/out-1/cases.jsonl" && cmp -s "$dir/out/summary.json" "$dir/out-1/summary.json" \
     && cmp -s "$dir/out/alerts.jsonl" "$dir/out-1/alerts.jsonl"; then
    check="$check; 1 thread = $(nproc) threads"
  else
    check="$check; OUTPUTS DIFFER between 1 and $(nproc) threads"
  fi
  rm -rf "$dir/out-1"
  printf '%-9s %6s %5s %7s %7s %6.2f %10.0f %8d  %s\n' "$n" "$files" "$mb" "$full" "$match" \
    "$(echo "$full / $match" | bc -l)" "$(echo "$n / $full" | bc -l)" "$(( peak / 1024 ))" "$check"
  sed 's/^timing: /          /' "$dir/timings.txt"
done
