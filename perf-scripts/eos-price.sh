#!/usr/bin/env bash
# The price of correctness: the same topic drained by `./tally run --stop-at-end` in both --eos-mode values, each
# into its own database and group, repeated, with the records/s each run reports, then `./tally verify` of each
# database (exactly-once must match on both read paths; the baseline, whose rows are deltas, can only match on
# the FINAL-view path and fails the argMax(version) one by construction). It starts nothing itself:
# run `./tally stack up` first, or pass --bootstrap / --clickhouse-url.
#
#   perf-scripts/eos-price.sh [--events 2000000] [--partitions 8] [--rounds 3] [--journal-sync]
set -euo pipefail

bootstrap=127.0.0.1:19092
clickhouse=http://127.0.0.1:18123
events=2000000
partitions=8
rounds=3
sync=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --journal-sync) sync=(--journal-sync); shift ;;
        *) echo "usage: $0 [--bootstrap HOST:PORT] [--clickhouse-url URL] [--events N] [--partitions N] [--rounds N] [--journal-sync]" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$(date +%s)"
topic="eos-price-$stamp"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
common=(--bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic")

echo "== $events events into $topic ($partitions partitions)"
"$root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate 0 --accounts 1000000 --seed 42 --late-fraction 0.01 --progress-interval 1h

for round in $(seq 1 "$rounds"); do
    for mode in exactly-once at-least-once; do
        id="${mode//-/_}_${stamp}_$round"
        line="$("$root/tally" run "${common[@]}" --eos-mode "$mode" --group "g_$id" --database "d_$id" \
            --journal-dir "$work/journal-$id" --dlq-topic '' --stop-at-end "${sync[@]}" 2>&1 | grep '^tally run:')"
        echo "round $round $mode: ${line#tally run: }"
    done
done

echo "== verify (last round)"
for mode in exactly-once at-least-once; do
    id="${mode//-/_}_${stamp}_$rounds"
    "$root/tally" verify "${common[@]}" --group "g_$id" --database "d_$id" | tail -1 | sed "s/^/$mode: /"
done
