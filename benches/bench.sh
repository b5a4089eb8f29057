#!/usr/bin/env bash
# Benchmark: generate a merchant's 10 days in the real export formats (qrecon-gen) in three
# shapes, and on each run, interleaved and best of ROUNDS:
#   - `qrecon run` with the default rule pack (full),
#   - the same with no rules at all (matching only),
#   - the DuckDB SQL peer (benches/peer/duckdb_peer.py) doing the same joins and statuses;
# then the full pack on one thread, whose outputs must be the same bytes. Every case is
# checked against the generator's expected status, and the peer's statuses too.
#
# Shapes:
#   uniform     accounts of 10,000 payments, a third on Alipay; nearly every payer pays once
#   skewed      WeChat Pay only, 600 regular payers per million payments (Zipf-weighted: the
#               first pays ~140,000 times)
#   aggregator  2,000 small accounts per million payments (a service provider's sub-merchants)
#
#   benches/bench.sh                      # 1M payments, all three shapes
#   benches/bench.sh 100000 1000000       # any sizes
#   SHAPES="skewed" ROUNDS=2 benches/bench.sh 1000000
#   BENCH_DIR=/data/bench                 # generated data (default /tmp)
#   BENCH_OUT=/data/out                   # outputs (default /dev/shm when there is one, so
#                                         # the VM's disk is not what is measured)
#
# Needs GNU time (/usr/bin/time) and Python 3 with the duckdb package (pip install duckdb);
# without duckdb the peer column says so. Generated data is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
shapes=${SHAPES:-uniform skewed aggregator}
rounds=${ROUNDS:-3}
base=${BENCH_DIR:-/tmp}
if [ -n "${BENCH_OUT:-}" ]; then outbase=$BENCH_OUT
elif [ -d /dev/shm ] && [ -w /dev/shm ]; then outbase=/dev/shm
else outbase=$base; fi
cargo build --release --workspace --quiet
qrecon=$PWD/target/release/qrecon
empty_rules=$(mktemp -d)   # matching only: the same run with no rule at all
trap 'rm -rf "$empty_rules"' EXIT
have_duckdb=0
python3 -c 'import duckdb' 2>/dev/null && have_duckdb=1

# timed CMD... → sets $wall $peak_kb (GNU time), after a sync so the last run's writeback
# is not timed as this one.
timed() {
  sync
  /usr/bin/time -f '%e %M' -o "$outbase/qrecon-bench-time.txt" "$@"
  read -r wall peak_kb < "$outbase/qrecon-bench-time.txt"
}
min() { if [ "$(echo "$1 < $2" | bc -l)" = 1 ]; then echo "$1"; else echo "$2"; fi; }

gen_args() { # shape n → qrecon-gen arguments
  local shape=$1 n=$2
  case $shape in
    uniform)    echo "--accounts $(( n / 10000 > 0 ? n / 10000 : 1 ))" ;;
    skewed)     echo "--accounts $(( n / 10000 > 0 ? n / 10000 : 1 )) --alipay-every 0 --payers $(( n * 600 / 1000000 > 20 ? n * 600 / 1000000 : 20 ))" ;;
    aggregator) echo "--accounts $(( n / 500 > 0 ? n / 500 : 1 ))" ;;
    *) echo "unknown shape $shape" >&2; exit 2 ;;
  esac
}

printf '%-10s %9s %6s %5s %7s %7s %5s %7s %6s %8s  %s\n' \
  shape payments files MB full_s match_s ratio duck_s vs_duck peak_MB check
for n in "${sizes[@]}"; do
  for shape in $shapes; do
    dir="$base/qrecon-bench-$shape-$n"
    [ "$shape" = uniform ] && dir="$base/qrecon-bench-$n"   # earlier benches' data
    if [ ! -f "$dir/expected.jsonl" ]; then
      rm -rf "$dir"
      # shellcheck disable=SC2046
      target/release/qrecon-gen --payments "$n" $(gen_args "$shape" "$n") --days 10 --seed 11 \
        --out "$dir" > /dev/null
    fi
    files=$(find "$dir/exports" -type f | wc -l)
    mb=$(du -sm "$dir/exports" | cut -f1)
    out="$outbase/qrecon-bench-out"
    full=999999; match=999999; duck=999999; peak=0; peer_check="no duckdb"; check=""; sums=""
    extract='s/^\{"case_id":"([^"]*)".*"status":"([A-Z_]+)".*/\1 \2/'
    # What a full run wrote, as checksums: outputs are checked and deleted right after each
    # run, never kept while the next runs are timed (gigabytes of them in tmpfs or the page
    # cache made the next runs 2-3x slower on the VMs measured, the kernel reclaiming or the
    # host faulting in memory for every page written).
    outputs_sum() { (cd "$1" && md5sum cases.jsonl alerts.jsonl summary.json quarantine.jsonl); }
    for _ in $(seq "$rounds"); do
      rm -rf "$out" "$out-match" "$out-peer"
      # Run from the data's folder, as `qrecon run` is meant to be used (./qrecon.yaml).
      timed env -C "$dir" QRECON_TIMINGS=1 "$qrecon" run --out "$out" > /dev/null 2> "$out.timings.new"
      if [ "$(echo "$wall < $full" | bc -l)" = 1 ]; then mv "$out.timings.new" "$out.timings"; fi
      full=$(min "$wall" "$full"); [ "$peak_kb" -gt "$peak" ] && peak=$peak_kb
      if [ -z "$check" ]; then
        if diff -q <(sed -E "$extract" "$dir/expected.jsonl") <(sed -E "$extract" "$out/cases.jsonl") > /dev/null; then
          check="all $(wc -l < "$dir/expected.jsonl") cases as expected"
        else
          check="MISMATCH (cases.jsonl differs from $dir/expected.jsonl)"
        fi
      fi
      run_sums=$(outputs_sum "$out")
      if [ -z "$sums" ]; then sums=$run_sums
      elif [ "$sums" != "$run_sums" ]; then check="$check; OUTPUTS DIFFER between runs"; fi
      rm -rf "$out"
      timed env -C "$dir" "$qrecon" run --rules "$empty_rules" --out "$out-match" > /dev/null 2>&1
      match=$(min "$wall" "$match")
      rm -rf "$out-match"
      if [ $have_duckdb = 1 ]; then
        timed python3 benches/peer/duckdb_peer.py "$dir" "$out-peer" > "$out.peer.json" 2> /dev/null
        duck=$(min "$wall" "$duck")
        peer_check=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("peer agrees on %d of %d" % (d["agree"], d["agree"] + d["disagree"]))' "$out.peer.json")
        rm -rf "$out-peer"
      fi
    done
    rm -rf "$out-1"
    env -C "$dir" "$qrecon" run --threads 1 --out "$out-1" > /dev/null 2>&1
    if [ "$(outputs_sum "$out-1")" = "$sums" ]; then check="$check; 1 thread = $(nproc) threads"
    else check="$check; OUTPUTS DIFFER between 1 and $(nproc) threads"; fi
    rm -rf "$out-1"
    if [ $have_duckdb = 1 ]; then
      vs=$(printf '%.2f' "$(echo "$full / $duck" | bc -l)"); dk=$duck
    else
      vs=-; dk=-
    fi
    printf '%-10s %9s %6s %5s %7s %7s %5.2f %7s %6s %8d  %s; %s\n' "$shape" "$n" "$files" "$mb" \
      "$full" "$match" "$(echo "$full / $match" | bc -l)" "$dk" "$vs" "$(( peak / 1024 ))" \
      "$check" "$peer_check"
    sed 's/^timing: /           /' "$out.timings"
    rm -rf "$out.timings" "$out.peer.json"
  done
done
rm -f "$outbase/qrecon-bench-time.txt"
