#!/usr/bin/env bash
# Experiment 2, the exactly-once proof, in two runs whose whole output is kept:
#   1. `./tally demo` on a stack it starts (so the local stack must be down): a paced stream into the running engine; the engine SIGKILLed while ClickHouse holds one of
#      its inserts (the server has read the whole batch and not answered); the restarted engine's re-send applied
#      with its acknowledgement dropped (a lost ack, re-sent again); catch-up; verify on both read paths.
#   2. `./tally chaos --scenario kills,insert-faults,rebalance`: on a stack of its own, while events flow, ClickHouse
#      inserts fail mid-batch at --insert-fail-rate (before apply, ack lost, slower than the insert timeout), the
#      engine is SIGKILLed --kills times and a second instance joins and leaves (--rebalances); then verify.
# Each must end in an exact match (per key, both read paths, the side output), or the script exits non-zero.
#
#   perf-scripts/eos-proof.sh [--events 15000000] [--rate 100000] [--chaos-events 3000000] [--chaos-rate 50000]
#                             [--insert-fail-rate 0.2] [--kills 4] [--rebalances 2] [--out docs/perf/eos-proof]
set -euo pipefail
perf_name=eos-proof
source "$(dirname "$0")/lib/common.sh"

events=15000000; rate=100000; chaos_events=3000000; chaos_rate=50000; fail_rate=0.2; kills=4; rebalances=2
out="$perf_root/docs/perf/eos-proof"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --chaos-events) chaos_events="$2"; shift 2 ;;
        --chaos-rate) chaos_rate="$2"; shift 2 ;;
        --insert-fail-rate) fail_rate="$2"; shift 2 ;;
        --kills) kills="$2"; shift 2 ;;
        --rebalances) rebalances="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) perf_die "unknown argument '$1'; see the usage at the top of $0" 2 ;;
    esac
done
mkdir -p "$out"
status=0
# The demo injects its ClickHouse faults (an insert held at the kill, an acknowledgement lost) through the fault
# endpoint of a server it starts itself; on a stack that is already up it can only kill the engine.
if "$perf_root/tally" stack status >/dev/null 2>&1; then
    perf_die "the local stack is up; the demo must start its own (with ClickHouse's fault endpoint): run ./tally stack down first"
fi

echo "== 1. ./tally demo --events $events --rate $rate --down"
"$perf_root/tally" demo --events "$events" --rate "$rate" --down 2>&1 | tee "$out/demo.txt" || status=1
grep -q '^demo: exactly-once: EXACT MATCH' "$out/demo.txt" || { echo "eos-proof: the demo did not end in an exact match" >&2; status=1; }

echo "== 2. ./tally chaos --scenario kills,insert-faults,rebalance --events $chaos_events --rate $chaos_rate --insert-fail-rate $fail_rate --kills $kills --rebalances $rebalances"
"$perf_root/tally" chaos --scenario kills,insert-faults,rebalance --events "$chaos_events" --rate "$chaos_rate" \
    --insert-fail-rate "$fail_rate" --kills "$kills" --rebalances "$rebalances" --seed 2 --work-dir "$perf_work/chaos" 2>&1 | tee "$out/chaos.txt" || status=1
grep -q 'EXACT MATCH' "$out/chaos.txt" || { echo "eos-proof: the chaos run did not end in an exact match" >&2; status=1; }

echo "outputs in $out"
exit $status
