#!/usr/bin/env bash
# Every perf script, run once end to end at a tiny size, so that none of them rots between the hand-made runs
# whose results are in docs/ (`.ci/run` runs this after the test suite). Outputs go to a temporary folder, never
# to docs/; each script's output is kept in that folder and its tail printed when it fails. The eos-proof demo
# starts and stops the local stack itself, so the stack must be down at the start; the other scripts run on one
# stack this script starts and stops. Takes about 10 minutes on 2 cores.
#
#   perf-scripts/smoke.sh [--only NAME[,NAME...]] [--keep]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
only=""; keep=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --only) only="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        *) echo "usage: $0 [--only NAME[,NAME...]] [--keep]" >&2; exit 2 ;;
    esac
done
out="$(mktemp -d)"
started=0
finish() {
    [[ $started == 1 ]] && "$root/tally" stack down >/dev/null 2>&1 || true
    if [[ $keep == 1 ]]; then echo "smoke: outputs kept in $out"; else rm -rf "$out"; fi
}
trap finish EXIT
if "$root/tally" stack status >/dev/null 2>&1; then
    echo "smoke: the local stack is up; the eos-proof demo starts its own: run ./tally stack down first" >&2
    exit 1
fi

# step NAME COMMAND...: runs it with its output in $out/NAME.log; a failure ends the smoke with the log's tail.
step() {
    local name="$1" t0; shift
    [[ -z "$only" || ",$only," == *",$name,"* ]] || return 0
    t0="$(date +%s)"
    if "$@" >"$out/$name.log" 2>&1; then
        echo "smoke: $name ok in $(( $(date +%s) - t0 )) s"
    else
        echo "smoke: $name FAILED after $(( $(date +%s) - t0 )) s: $*" >&2
        tail -20 "$out/$name.log" >&2
        exit 1
    fi
}

step eos-proof perf-scripts/eos-proof.sh --events 200000 --rate 20000 --chaos-events 100000 --chaos-rate 10000 \
    --kills 1 --rebalances 1 --out "$out/eos-proof"
"$root/tally" stack up >"$out/stack.log" 2>&1 || { cat "$out/stack.log" >&2; exit 1; }
started=1
step gen-ceiling perf-scripts/gen-ceiling.sh --events 100000 --partitions 2
step catchup-profile perf-scripts/catchup-profile.sh --events 100000 --partitions 2 --out "$out/catchup"
step peers perf-scripts/peers.sh --events 50000 --partitions 2 --csv "$out/peers.csv"
step eos-price perf-scripts/eos-price.sh --events 100000 --partitions 2 --rounds 1 --rate 5000 --seconds 20 \
    --warmup 5 --out "$out/eos-price"
step sustained perf-scripts/sustained.sh --rate 5000 --minutes 1 --warmup 10 --partitions 2 --accounts 10000 \
    --heap 1g --verify-heap 1g --out "$out/sustained" --name smoke
step batch-sweep perf-scripts/batch-sweep.sh --rows 1000 --waits 1s --events 50000 --rate 5000 --seconds 20 \
    --warmup 5 --baseline-rate 200 --baseline-seconds 10 --partitions 2 --heap 1g --out "$out/batch-sweep"
step late-sweep perf-scripts/late-sweep.sh --late-fractions 0.03 --lateness 0s,10m --events 50000 --partitions 2 \
    --out "$out/late-sweep"
step clickhouse-stall perf-scripts/clickhouse-stall.sh --rate 2000 --before 10 --stall 10 --after 20 --partitions 2 \
    --heap 1g --out "$out/stall"
step backfill-live perf-scripts/backfill-live.sh --rate 20 --minutes 66 --partitions 2 --after 5 --out "$out/backfill"
step read-paths perf-scripts/read-paths.sh --events 50000 --partitions 2 --reps 1
"$root/tally" stack down >/dev/null 2>&1; started=0
step clickhouse-insert-bench perf-scripts/clickhouse-insert-bench.sh -wi 0 -i 1 -r 1
step jmh env JMH_JSON="$out/jmh/smoke.json" perf-scripts/jmh.sh 'RowEncodingBenchmark' -f 1 -wi 0 -i 1 -r 1
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then   # it builds its base revision from git
    step jmh-ab env AB_OUT="$out/jmh-ab" perf-scripts/jmh-ab.sh HEAD 1 RowEncodingBenchmark -f 1 -wi 0 -i 1 -r 1
else
    echo "smoke: jmh-ab skipped: not a git checkout (it builds its base revision with git archive)"
fi
[[ -z "$only" ]] && echo "smoke: every perf script ran" || echo "smoke: $only ran"
