#!/usr/bin/env bash
# Experiment 7, the price of correctness: exactly-once against the naive at-least-once baseline
# (`--eos-mode at-least-once`: no journal, no tokens, positions committed on a timer, rows as deltas into
# SummingMergeTree) at the same input.
#   throughput  one backlog drained by `./tally run --stop-at-end` in both modes, alternately, --rounds times, each
#               into its own database and group: records/s on the engine's clock;
#   latency     a paced stream at --rate events/s for --seconds into a running engine, once per mode: end-to-end
#               p50/p99/p99.9 of the steady part (after --warmup) from the engine's interval log;
#   verify      of the last round's databases: exactly-once must match on both read paths; the baseline, whose rows
#               are deltas, can only match on the FINAL-view path and fails the argMax(version) one by construction.
# Writes docs/perf/eos-price.csv (or --out) and prints the ratios.
#
#   perf-scripts/eos-price.sh [--events 3000000] [--partitions 8] [--rounds 3] [--rate 50000] [--seconds 60]
#                             [--warmup 15] [--journal-sync] [--out docs/perf] [--bootstrap HOST:PORT] [--clickhouse-url URL]
set -euo pipefail
perf_name=eos-price
source "$(dirname "$0")/lib/common.sh"

events=3000000; partitions=8; rounds=3; rate=50000; seconds=60; warmup=15; sync=(); out="$perf_root/docs/perf"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --journal-sync) sync=(--journal-sync); shift ;;
        --out) out="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        *) perf_die "unknown argument '$1'; see the usage at the top of $0" 2 ;;
    esac
done
perf_endpoints
perf_build
mkdir -p "$out"
stamp="$(date +%s)"
topic="eos-price-$stamp"
csv="$out/eos-price.csv"
echo "phase,round,mode,records_per_s,e2e_p50_ms,e2e_p99_ms,e2e_p999_ms,verify" >"$csv"
common=(--bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --dlq-topic '')

echo "== $events events into $topic ($partitions partitions)"
"$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate 0 --accounts 1000000 --seed 42 --late-fraction 0.01 --progress-interval 1h 2>&1 | tail -1

for round in $(seq 1 "$rounds"); do
    for mode in exactly-once at-least-once; do
        id="${mode//-/_}_${stamp}_$round"
        line="$("$perf_root/tally" run "${common[@]}" --topic "$topic" --eos-mode "$mode" --group "g_$id" --database "d_$id" \
            --journal-dir "$perf_work/journal-$id" --metrics-address off --latency-dir "$perf_work/lat-$id" \
            --stop-at-end "${sync[@]}" 2>&1 | grep '^tally run: [0-9]' | sed -n 1p)"
        rps="$(grep -o '([0-9,]*/s)' <<<"$line" | sed -n 1p | tr -d '(),/s')"
        echo "round $round $mode: ${line#tally run: }"
        echo "drain,$round,$mode,$rps,,,," >>"$csv"
    done
done

for mode in exactly-once at-least-once; do
    id="${mode//-/_}_${stamp}"; ptopic="eos-paced-$mode-$stamp"; lat="$perf_work/paced-$mode"
    echo "== $mode: paced at $rate/s for $seconds s"
    "$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$ptopic" --partitions "$partitions" --create-topic 2>/dev/null
    perf_engine_start "$perf_work/paced-$mode.log" --topic "$ptopic" --eos-mode "$mode" --group "gp_$id" \
        --database "dp_$id" --journal-dir "$perf_work/jp-$id" --latency-dir "$lat" --dlq-topic '' "${sync[@]}"
    sleep 5
    "$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$ptopic" --partitions "$partitions" --events $(( rate * seconds )) \
        --rate "$rate" --accounts 1000000 --seed 43 --late-fraction 0.01 --progress-interval 1h 2>&1 | tail -1
    sleep 5
    kill -TERM "$engine_pid"; wait "$engine_pid" 2>/dev/null || true
    read -r p50 p99 p999 _ n < <(perf_hlog_window "$(ls "$lat"/latency-*.hlog | sed -n 1p)" total "$(( warmup + 5 ))" "$(( seconds + 5 ))")
    echo "$mode: e2e steady part p50 $p50 ms, p99 $p99 ms, p99.9 $p999 ms ($n records)"
    echo "paced,,$mode,$rate,$p50,$p99,$p999," >>"$csv"
done

echo "== verify (last round)"
for mode in exactly-once at-least-once; do
    id="${mode//-/_}_${stamp}_$rounds"
    verdict="$("$perf_root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "g_$id" --database "d_$id" 2>&1 | tail -1 || true)"
    echo "$mode: $verdict"
    echo "verify,$rounds,$mode,,,,,\"${verdict//\"/}\"" >>"$csv"
done

awk -F, '$1 == "drain" { s[$3] += $4; n[$3]++ } $1 == "paced" { p[$3] = $6 }
    END { eo = s["exactly-once"] / n["exactly-once"]; al = s["at-least-once"] / n["at-least-once"];
          printf "throughput: exactly-once %.0f/s, at-least-once %.0f/s (mean of %d drains each): exactly-once costs %+.1f %%\n", eo, al, n["exactly-once"], 100 * (al - eo) / al;
          printf "e2e p99 at the same paced rate: exactly-once %s ms, at-least-once %s ms: %+.1f %%\n", p["exactly-once"], p["at-least-once"], 100 * (p["exactly-once"] - p["at-least-once"]) / p["at-least-once"] }' "$csv" \
    | tee "$out/eos-price.txt"
echo "csv $csv"
