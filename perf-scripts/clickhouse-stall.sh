#!/usr/bin/env bash
# Backpressure through a ClickHouse stall: events flow at a fixed rate while `./tally run` consumes them; after
# --before seconds the local ClickHouse server is frozen (SIGSTOP) for --stall seconds, then thawed (SIGCONT). The
# engine's /metrics is scraped every second into a CSV (consumed/s, inserted rows/s, lag, heap, paused partitions,
# in-flight batches, e2e p99), plotted with `./tally plot`, and the run ends with `./tally verify --wait`.
# Needs the local stack: `./tally stack up` (its ClickHouse pid is what gets frozen).
#
#   perf-scripts/clickhouse-stall.sh [--rate 100000] [--before 30] [--stall 120] [--after 150] [--partitions 8]
#                                    [--heap 1g] [--out docs/perf]
set -euo pipefail

rate=100000
before=30
stall=120
after=150
partitions=8
heap=1g
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/perf"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rate) rate="$2"; shift 2 ;;
        --before) before="$2"; shift 2 ;;
        --stall) stall="$2"; shift 2 ;;
        --after) after="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --heap) heap="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "usage: $0 [--rate N] [--before S] [--stall S] [--after S] [--partitions N] [--heap SIZE] [--out DIR]" >&2; exit 2 ;;
    esac
done

state="$root/var/stack/state.properties"
[[ -f "$state" ]] || { echo "clickhouse-stall: the local stack is not up; run ./tally stack up" >&2; exit 1; }
prop() { grep "^$1=" "$state" | head -1 | cut -d= -f2- | sed 's/\\//g'; }
bootstrap="$(prop kafka.bootstrap)"
clickhouse="$(prop clickhouse.url)"
ch_pid=""
for i in 0 1 2 3 4 5 6 7 8 9; do
    if [[ "$(prop "service.$i.name")" == clickhouse* ]]; then ch_pid="$(prop "service.$i.pid")"; fi
done
[[ -n "$ch_pid" ]] && kill -0 "$ch_pid" 2>/dev/null || { echo "clickhouse-stall: no running ClickHouse in $state" >&2; exit 1; }

"$root/tally" --help >/dev/null && "$root/tally" plot --help >/dev/null   # build now, not under a running engine
stamp="$(date +%s)"
topic="stall-$stamp"
group="stall-$stamp"
database="stall_$stamp"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
events=$(( rate * (before + stall + after) ))
csv="$out/stall.csv"
mkdir -p "$out"
gen_pid=""; run_pid=""
cleanup() {
    kill -CONT "$ch_pid" 2>/dev/null || true
    [[ -n "$run_pid" ]] && kill "$run_pid" 2>/dev/null || true
    [[ -n "$gen_pid" ]] && kill "$gen_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== $events events at $rate/s into $topic ($partitions partitions); ClickHouse (pid $ch_pid) frozen from t=${before}s for ${stall}s"
"$root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate "$rate" --accounts 1000000 --seed 7 --late-fraction 0.01 --progress-interval 1s \
    >"$work/gen.log" 2>&1 &
gen_pid=$!
for i in $(seq 1 60); do grep -q 'sent' "$work/gen.log" 2>/dev/null && break; sleep 1; done   # the topic exists
TALLY_JAVA_OPTS="-Xmx$heap" "$root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" \
    --group "$group" --database "$database" --dlq-topic '' --metrics-address "127.0.0.1:$port" \
    --journal-dir "$work/journal" --latency-dir "$out/stall-latency" >"$work/run.log" 2>&1 &
run_pid=$!

scrape() { curl -s --max-time 2 "http://127.0.0.1:$port/metrics" || true; }
echo "t,consumed_per_s,rows_inserted_per_s,lag,heap_mb,paused,in_flight,e2e_p99_s" >"$csv"
for i in $(seq 1 60); do scrape | grep -q '^tally_records_consumed_total' && break; sleep 1; done
last_consumed=0; last_rows=0; t=0; stalled=0; recovered=""
start=$(date +%s)
while :; do
    m="$(scrape)"
    now=$(( $(date +%s) - start ))
    # Prometheus writes large values as 1.2345E7: let awk read them.
    v() { awk -v k="$1" 'index($0, k) == 1 { printf "%.0f", $NF; exit }' <<<"$m"; }
    consumed=$(v "tally_records_consumed_total "); rows=$(v "tally_rows_inserted_total ")
    lag=$(awk 'index($0, "tally_kafka_lag_records{") == 1 { s += $NF } END { printf "%d", s }' <<<"$m")
    heap=$(awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"}") == 1 { printf "%.0f", $NF / 1048576 }' <<<"$m")
    paused=$(v "tally_paused_partitions "); inflight=$(v "tally_inflight_batches ")
    p99=$(awk 'index($0, "tally_e2e_latency_seconds{part=\"total\",quantile=\"0.99\"}") == 1 { print ($NF == "NaN" ? "" : $NF) }' <<<"$m")
    echo "$now,$(( ${consumed:-0} - last_consumed )),$(( ${rows:-0} - last_rows )),$lag,$heap,$paused,$inflight,$p99" >>"$csv"
    last_consumed=${consumed:-0}; last_rows=${rows:-0}
    if [[ $stalled == 0 && $now -ge $before ]]; then kill -STOP "$ch_pid"; stalled=1; echo "t=${now}s ClickHouse frozen"; fi
    if [[ $stalled == 1 && $now -ge $(( before + stall )) ]]; then kill -CONT "$ch_pid"; stalled=2; echo "t=${now}s ClickHouse thawed"; fi
    if [[ $stalled == 2 && -z "$recovered" && $lag -le $(( rate * 2 )) ]]; then recovered=$(( now - before - stall )); echo "t=${now}s lag back under $(( rate * 2 ))"; fi
    if ! kill -0 "$run_pid" 2>/dev/null; then echo "clickhouse-stall: the engine exited; see its log:" >&2; tail -5 "$work/run.log" >&2; exit 1; fi
    if ! kill -0 "$gen_pid" 2>/dev/null && [[ -n "$recovered" ]]; then break; fi
    [[ $now -gt $(( before + stall + after + 600 )) ]] && { echo "clickhouse-stall: no recovery within 10 minutes" >&2; break; }
    sleep 1
done
tail -1 "$work/gen.log"

"$root/tally" plot --csv "$csv" --x t --y lag --y2 heap_mb --shade "$before:$(( before + stall ))" \
    --shade-label "ClickHouse frozen (SIGSTOP)" --title "Kafka lag and engine heap through a ${stall} s ClickHouse stall at ${rate}/s" \
    --x-label "seconds" --y-label "lag (records)" --y2-label "heap used (MB)" --out "$out/stall-lag-heap.png"
"$root/tally" plot --csv "$csv" --x t --y consumed_per_s,rows_inserted_per_s --y2 paused --shade "$before:$(( before + stall ))" \
    --shade-label "ClickHouse frozen (SIGSTOP)" --title "Records consumed and rows inserted per second; paused partitions" \
    --x-label "seconds" --y-label "per second" --y2-label "paused partitions" --out "$out/stall-throughput.png"

"$root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "$group" \
    --database "$database" --wait --wait-timeout 10m | tail -2
awk -F, -v b="$before" -v s="$stall" 'NR > 1 { if ($5 > h) h = $5; if ($4 > l) l = $4; if ($1 >= b && $1 < b + s && $6 > p) p = $6 }
    END { printf "max heap used %d MB, max lag %d, paused partitions during the stall %d\n", h, l, p }' "$csv"
echo "lag back under $(( rate * 2 )) records ${recovered:-?} s after the thaw; csv $csv; plots $out/stall-lag-heap.png, $out/stall-throughput.png"
grep '^tally run:' "$work/run.log" | head -3 || true
