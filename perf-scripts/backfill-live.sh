#!/usr/bin/env bash
# Experiment 6, backfill under live load: a topic holds --minutes of past event time (from 5 minutes before a past
# UTC hour H on); the live engine processes it and keeps running while a generator goes on at --rate events/s (the
# same stream, resumed); then `./tally backfill --from H --to H+1h` runs beside it. The live engine's /metrics is
# scraped every second into a CSV (consumed/s, lag, e2e p99, rows inserted/s) with the backfill's span marked,
# plotted with `./tally plot`, and the run ends with `./tally verify --wait` (exact or not).
# Uses the local stack (`./tally stack up`) unless --bootstrap and --clickhouse-url name your own services.
#
#   perf-scripts/backfill-live.sh [--rate 3000] [--minutes 70] [--partitions 8] [--after 30] [--max-rate 0]
#                                 [--out docs/perf] [--bootstrap HOST:PORT] [--clickhouse-url URL]
set -euo pipefail

rate=3000
minutes=70
partitions=8
after=30
max_rate=0
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/perf"
bootstrap=""
clickhouse=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rate) rate="$2"; shift 2 ;;
        --minutes) minutes="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --after) after="$2"; shift 2 ;;
        --max-rate) max_rate="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        *) echo "usage: $0 [--rate N] [--minutes M] [--partitions N] [--after S] [--max-rate N] [--out DIR] [--bootstrap HOST:PORT] [--clickhouse-url URL]" >&2; exit 2 ;;
    esac
done
[[ $minutes -ge 66 ]] || { echo "backfill-live: --minutes must be at least 66 (the hour, 5 minutes before it, 1 after)" >&2; exit 2; }

state="$root/var/stack/state.properties"
if [[ -z "$bootstrap" || -z "$clickhouse" ]]; then
    [[ -f "$state" ]] || { echo "backfill-live: the local stack is not up; run ./tally stack up (or pass --bootstrap and --clickhouse-url)" >&2; exit 1; }
    prop() { grep "^$1=" "$state" | head -1 | cut -d= -f2- | sed 's/\\//g'; }
    bootstrap="${bootstrap:-$(prop kafka.bootstrap)}"
    clickhouse="${clickhouse:-$(prop clickhouse.url)}"
fi

"$root/tally" --help >/dev/null && "$root/tally" plot --help >/dev/null   # build now, not under a running engine
stamp="$(date +%s)"
topic="bflive-$stamp"
group="bflive-$stamp"
database="bflive_$stamp"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
hour_ms=3600000
h=$(( ($(date +%s) * 1000 / hour_ms - 2) * hour_ms ))      # a UTC hour boundary 1-2 hours ago
start_ms=$(( h - 300000 ))
events=$(( minutes * 60 * rate ))
iso() { date -u -d "@$(( $1 / 1000 ))" +%Y-%m-%dT%H:%M:%SZ; }
csv="$out/backfill-live.csv"
mkdir -p "$out"
gen_pid=""; run_pid=""; bf_pid=""
cleanup() {
    for p in "$bf_pid" "$gen_pid" "$run_pid"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
common=(--bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --accounts 1000000 --seed 6
        --event-time-start "$start_ms" --late-fraction 0.02 --malformed-fraction 0.0001 --progress-interval 10s)

echo "== history: $events events, event time $(iso $start_ms) to $(iso $(( start_ms + minutes * 60000 ))), into $topic"
"$root/tally" gen "${common[@]}" --rate 0 --time-rate "$rate" --events "$events" | tail -1
"$root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "$group" \
    --database "$database" --dlq-topic '' --metrics-address "127.0.0.1:$port" --journal-dir "$work/journal" \
    --latency-dir "$work/latency" >"$work/run.log" 2>&1 &
run_pid=$!

scrape() { curl -s --max-time 2 "http://127.0.0.1:$port/metrics" || true; }
v() { awk -v k="$1" 'index($0, k) == 1 { printf "%.0f", $NF; exit }' <<<"$m"; }
lag_of() { awk 'index($0, "tally_kafka_lag_records{") == 1 { s += $NF } END { printf "%d", s }' <<<"$m"; }
echo "== the live engine catches up with the history"
t0=$(date +%s)
while :; do
    m="$(scrape)"
    consumed=$(v "tally_records_consumed_total "); lag=$(lag_of)
    [[ -n "$consumed" && "$consumed" -ge "$events" && "$lag" -eq 0 ]] && break
    kill -0 "$run_pid" 2>/dev/null || { echo "backfill-live: the engine exited; see its log:" >&2; tail -5 "$work/run.log" >&2; exit 1; }
    [[ $(( $(date +%s) - t0 )) -gt 1800 ]] && { echo "backfill-live: no catch-up within 30 minutes" >&2; exit 1; }
    sleep 2
done
echo "caught up in $(( $(date +%s) - t0 )) s"

echo "== live: the stream goes on at $rate/s; backfill of $(iso $h) to $(iso $(( h + hour_ms ))) starts after 20 s"
"$root/tally" gen "${common[@]}" --resume --rate "$rate" --events 0 >"$work/gen.log" 2>&1 &
gen_pid=$!
echo "t,consumed_per_s,rows_inserted_per_s,lag,e2e_p99_s,backfill" >"$csv"
last_consumed=0; last_rows=0; bf_start=""; bf_end=""; bf_exit=""
start=$(date +%s)
while :; do
    m="$(scrape)"
    now=$(( $(date +%s) - start ))
    consumed=$(v "tally_records_consumed_total "); rows=$(v "tally_rows_inserted_total "); lag=$(lag_of)
    p99=$(awk 'index($0, "tally_e2e_latency_seconds{part=\"total\",quantile=\"0.99\"}") == 1 { print ($NF == "NaN" ? "" : $NF) }' <<<"$m")
    running=0; [[ -n "$bf_start" && -z "$bf_end" ]] && running=1
    [[ $now -gt 0 ]] && echo "$now,$(( ${consumed:-0} - last_consumed )),$(( ${rows:-0} - last_rows )),$lag,$p99,$running" >>"$csv"
    last_consumed=${consumed:-0}; last_rows=${rows:-0}
    if [[ -z "$bf_start" && $now -ge 20 ]]; then
        bf_start=$now
        "$root/tally" backfill --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" \
            --database "$database" --live-group "$group" --from "$(iso $h)" --to "$(iso $(( h + hour_ms )))" \
            --max-rate "$max_rate" --journal-dir "$work/backfill-journal" >"$work/backfill.log" 2>&1 &
        bf_pid=$!
    fi
    if [[ -n "$bf_start" && -z "$bf_end" ]] && ! kill -0 "$bf_pid" 2>/dev/null; then
        set +e; wait "$bf_pid"; bf_exit=$?; set -e
        bf_end=$now; bf_pid=""
        echo "t=${now}s backfill exited $bf_exit after $(( bf_end - bf_start )) s"
    fi
    kill -0 "$run_pid" 2>/dev/null || { echo "backfill-live: the live engine exited; see its log:" >&2; tail -5 "$work/run.log" >&2; exit 1; }
    [[ -n "$bf_end" && $now -ge $(( bf_end + after )) ]] && break
    [[ $now -gt 3600 ]] && { echo "backfill-live: the backfill did not end within an hour" >&2; break; }
    sleep 1
done
kill "$gen_pid" 2>/dev/null || true; wait "$gen_pid" 2>/dev/null || true; gen_pid=""
grep ' generation ' "$work/backfill.log" || tail -3 "$work/backfill.log"

"$root/tally" plot --csv "$csv" --x t --y lag --y2 e2e_p99_s --shade "${bf_start}:${bf_end}" \
    --shade-label "backfill of one hour running" --title "Live engine at ${rate}/s while a one-hour backfill runs beside it" \
    --x-label "seconds" --y-label "live lag (records)" --y2-label "live e2e p99 (s)" --out "$out/backfill-live.png"
"$root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "$group" \
    --database "$database" --wait --wait-timeout 10m | tail -2
# The gauge is a sliding 10-s window: its first values still hold the catch-up with the history, so skip the first 20 s.
awk -F, 'NR > 1 && $5 != "" && $1 >= 20 { if ($6 == 1) { d += $5; dn++; if ($5 > dm) dm = $5; if ($4 > dl) dl = $4 }
                               else { o += $5; on++; if ($5 > om) om = $5; if ($4 > ol) ol = $4 } }
    END { printf "live e2e p99 (10-s windows, from t=20 s): outside the backfill mean %.2f s max %.2f s, max lag %d; during it mean %.2f s max %.2f s, max lag %d\n",
          on ? o / on : 0, om, ol, dn ? d / dn : 0, dm, dl }' "$csv"
echo "backfill exit ${bf_exit:-?} in $(( ${bf_end:-0} - ${bf_start:-0} )) s; csv $csv; plot $out/backfill-live.png"
