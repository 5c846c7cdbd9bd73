#!/usr/bin/env bash
# Experiment 1, throughput and latency at a target rate: the generator sends --rate events/s (open model: paced by
# schedule, each record stamped with its scheduled send time) for --minutes while the engine runs; its /metrics is
# scraped every second into a CSV; at the end the engine is stopped, `./tally verify --wait` checks the result, and
# the script prints the sustained rate, the lag trend (least-squares slope over the steady part: flat or rising),
# the end-to-end percentiles of the steady part with their split into emit wait, queue wait and insert (the
# batching contribution), and draws two plots. With --profile the engine runs under async-profiler (CPU, interval
# timer) and a flame graph plus per-thread CPU shares are written next to the CSV.
#
#   perf-scripts/sustained.sh [--rate 200000] [--minutes 30] [--partitions 8] [--accounts 10000000] [--heap 4g]
#                             [--warmup 60] [--profile] [--batch-rows N] [--batch-max-wait D] [--emit-interval D]
#                             [--out docs/perf/sustained] [--name NAME] [--no-verify] [--verify-heap 12g]
#                             [--bootstrap HOST:PORT] [--clickhouse-url URL]
# Uses the local stack (`./tally stack up`) unless --bootstrap and --clickhouse-url name your own services.
set -euo pipefail
perf_name=sustained
source "$(dirname "$0")/lib/common.sh"

rate=200000; minutes=30; partitions=8; accounts=10000000; heap=4g; warmup=60; profile=0; verify=1
name=""; out="$perf_root/docs/perf/sustained"; engine_flags=(); verify_heap=12g
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rate) rate="$2"; shift 2 ;;
        --minutes) minutes="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --accounts) accounts="$2"; shift 2 ;;
        --heap) heap="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --profile) profile=1; shift ;;
        --batch-rows|--batch-max-wait|--emit-interval) engine_flags+=("$1" "$2"); shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --name) name="$2"; shift 2 ;;
        --no-verify) verify=0; shift ;;
        --verify-heap) verify_heap="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        *) perf_die "unknown argument '$1'; see the usage at the top of $0" 2 ;;
    esac
done
perf_endpoints
perf_build
stamp="$(date +%s)"
name="${name:-rate-$rate}"
topic="sustained-$stamp"; group="$topic"; database="sustained_$stamp"
events=$(( rate * minutes * 60 ))
mkdir -p "$out"
csv="$out/$name.csv"; latency="$out/$name-latency"; rm -rf "$latency"
opts="-Xms$heap -Xmx$heap"
if [[ $profile == 1 ]]; then opts="$opts $(perf_profiler_agent "$perf_work/engine.jfr")"; fi

echo "== $events events at $rate/s for $minutes min into $topic ($partitions partitions, $accounts Zipf accounts); engine heap $heap"
"$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --create-topic
TALLY_JAVA_OPTS="$opts" perf_engine_start "$perf_work/run.log" --topic "$topic" --group "$group" \
    --database "$database" --dlq-topic '' --journal-dir "$perf_work/journal" --latency-dir "$latency" "${engine_flags[@]}"
sleep 5   # the engine joins its group before the first event
"$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate "$rate" --accounts "$accounts" --seed 1 --progress-interval 10s >"$perf_work/gen.log" 2>&1 &
gen_pid=$!; perf_track "$gen_pid"

echo "t,produced_per_s,consumed_per_s,rows_inserted_per_s,inserts_per_s,lag,watermark_lag_s,e2e_p50_s,e2e_p99_s,heap_mb,paused,in_flight,load1" >"$csv"
# CPU seconds per process at the start and the end of the steady part: who used the two cores.
procs=("engine:$engine_pid" "generator:$gen_pid")
for p in $(perf_stack_pids kafka); do procs+=("kafka-broker:$p"); done
for p in $(perf_stack_pids clickhouse); do procs+=("clickhouse:$p"); done
cpu_snapshot() { local e; for e in "${procs[@]}"; do echo "${e%%:*} $(perf_cpu_seconds "${e#*:}")"; done; echo "machine $(perf_machine_cpu)"; }
last_c=0; last_p=0; last_r=0; last_b=0; start=$(date +%s.%N); last_at=$start; t=0; cpu_from=""
while kill -0 "$gen_pid" 2>/dev/null; do
    sleep 1
    perf_scrape "$engine_port"
    now=$(date +%s.%N); t=$(printf '%.0f' "$(echo "$now - $start" | bc)"); dt=$(echo "$now - $last_at" | bc); last_at=$now
    c=$(perf_v "tally_records_consumed_total "); r=$(perf_v "tally_rows_inserted_total "); b=$(perf_v "tally_batches_inserted_total ")
    lag=$(perf_lag); p=$(( ${c:-0} + lag ))
    wl=$(awk 'index($0, "tally_watermark_lag_seconds ") == 1 { printf "%.1f", $NF }' <<<"$m")
    heap_mb=$(awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"}") == 1 { printf "%.0f", $NF / 1048576 }' <<<"$m")
    per_s() { printf '%.0f' "$(echo "$1 / $dt" | bc -l)"; }
    echo "$t,$(per_s $(( p - last_p ))),$(per_s $(( ${c:-0} - last_c ))),$(per_s $(( ${r:-0} - last_r ))),$(per_s $(( ${b:-0} - last_b ))),$lag,$wl,$(perf_e2e total 0.5),$(perf_e2e total 0.99),$heap_mb,$(perf_v "tally_paused_partitions "),$(perf_v "tally_inflight_batches "),$(cut -d' ' -f1 /proc/loadavg)" >>"$csv"
    last_c=${c:-0}; last_p=$p; last_r=${r:-0}; last_b=${b:-0}
    [[ -z "$cpu_from" && $t -ge $warmup ]] && { cpu_from="$(cpu_snapshot)"; cpu_from_t=$now; }
    [[ -n "$cpu_from" ]] && kill -0 "$gen_pid" 2>/dev/null && { cpu_to="$(cpu_snapshot)"; cpu_to_t=$now; }
    kill -0 "$engine_pid" 2>/dev/null || { tail -5 "$perf_work/run.log" >&2; perf_die "the engine exited; log above"; }
    (( t % 60 == 0 )) && echo "t=${t}s consumed $(( ${c:-0} )) lag $lag e2e p99 $(perf_e2e total 0.99) s load $(cut -d' ' -f1 /proc/loadavg)"
done
wait "$gen_pid" || perf_die "the generator failed: $(tail -2 "$perf_work/gen.log")"
tail -1 "$perf_work/gen.log"
send_end=$t
echo "== generator done at t=${t}s; waiting for the engine to catch up"
for i in $(seq 1 600); do
    perf_scrape "$engine_port"; [[ "$(perf_v "tally_records_consumed_total ")" -ge "$events" && "$(perf_lag)" -eq 0 ]] && break; sleep 1
done
# Consumed is not committed: the last ticks' rows are still being inserted, and verify --wait needs every partition's
# commit to carry an acknowledged position at its end. Stop once nothing is in flight and the inserted rows have
# not moved for 5 s (the emit tick, the insert and the commit that follows it), at most 2 minutes.
still=0; last_rows=-1
for i in $(seq 1 120); do
    perf_scrape "$engine_port"; rows="$(perf_v "tally_rows_inserted_total ")"; inflight="$(perf_v "tally_inflight_batches ")"
    if [[ "${inflight:-1}" -eq 0 && "$rows" == "$last_rows" ]]; then still=$((still + 1)); else still=0; fi
    last_rows="$rows"; [[ $still -ge 5 ]] && break; sleep 1
done
kill -TERM "$engine_pid"; wait "$engine_pid" || true
grep -E '^tally run:' "$perf_work/run.log" | tail -2
cp "$perf_work/run.log" "$out/$name-engine.log"

echo "== results ($name)"
steady_from=$warmup; steady_to=$send_end
awk -F, -v a="$steady_from" -v b="$steady_to" 'NR > 1 && $1 >= a && $1 <= b {
        n++; sc += $3; sp += $2; x += $1; y += $6; xx += $1 * $1; xy += $1 * $6; if ($6 > ml) ml = $6; if ($10 > mh) mh = $10 }
    END { slope = (n * xy - x * y) / (n * xx - x * x);
          printf "steady part t=%d..%d s: produced %.0f/s, consumed %.0f/s (%.3f of produced); lag slope %+.1f records/s (%s), max lag %d, max heap %d MB\n",
                 a, b, sp / n, sc / n, sc / sp, slope, (slope * (b - a) < sp / n * 2 ? "flat: grows by less than 2 s of input over the run" : "RISING"), ml, mh }' "$csv" \
    | tee "$out/$name-summary.txt"
if [[ -n "$cpu_from" ]]; then
    echo "CPU used over the steady part (cores of the machine's $(nproc), from /proc; 'machine' is every process):"
    join <(sort <<<"$cpu_from") <(sort <<<"$cpu_to") | awk -v span="$(echo "$cpu_to_t - $cpu_from_t" | bc)" \
        '{ printf "  %-13s %5.2f cores\n", $1, ($3 - $2) / span }'
fi | tee -a "$out/$name-summary.txt"
hlog="$(ls "$latency"/latency-*.hlog | sed -n 1p)"
for part in total emit_wait queue_wait insert; do
    read -r p50 p99 p999 max count < <(perf_hlog_window "$hlog" "$part" "$steady_from" "$steady_to")
    printf 'e2e %-10s steady part: p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms (%s records)\n' "$part" "$p50" "$p99" "$p999" "$max" "$count"
done | tee -a "$out/$name-summary.txt"
read -r tot_mean < <(awk '/^#\[Mean/ { gsub(/[],]/, ""); print $3 }' "$latency/e2e-total.hgrm")
batching="$(awk '/^#\[Mean/ { gsub(/[],]/, ""); print $3 }' "$latency/e2e-emit_wait.hgrm" "$latency/e2e-queue_wait.hgrm" | paste -sd+ | bc)"
echo "batching share of the mean e2e latency, whole run: (emit wait + queue wait) / total = $batching / $tot_mean ms = $(echo "scale=3; $batching / $tot_mean" | bc)" \
    | tee -a "$out/$name-summary.txt"

"$perf_root/tally" plot --csv "$csv" --x t --y lag --y2 e2e_p99_s --title "Kafka lag and e2e p99 (10-s windows) at $rate events/s" \
    --x-label "seconds" --y-label "lag (records)" --y2-label "e2e p99 (s)" --out "$out/$name-lag-latency.png"
"$perf_root/tally" plot --csv "$csv" --x t --y produced_per_s,consumed_per_s,rows_inserted_per_s \
    --title "Produced, consumed and inserted per second at $rate events/s" --x-label "seconds" \
    --y-label "per second" --out "$out/$name-throughput.png"
"$perf_root/tally" plot --csv "$csv" --x t --y heap_mb --title "Engine heap used (sampled each second) at $rate events/s" \
    --x-label "seconds" --y-label "heap used (MB)" --out "$out/$name-heap.png"
if [[ $profile == 1 && -f "$perf_work/engine.jfr" ]]; then
    perf_flamegraph "$perf_work/engine.jfr" "$out/$name-flame.html" "$perf_work/collapsed.txt" "tally run at $rate events/s"
    { echo "CPU samples per thread:"; perf_thread_shares "$perf_work/collapsed.txt"
      echo "Self time, top frames:"; perf_top_frames "$perf_work/collapsed.txt" 25; } | tee "$out/$name-profile.txt"
fi
if [[ $verify == 1 ]]; then
    # verify holds every expected rollup key in memory: about 200 bytes per key. The local ClickHouse server holds a
    # query's whole result in its JVM heap: for 100 M events and more, start it with ./tally stack up --clickhouse-heap 4g.
    TALLY_JAVA_OPTS="-Xmx$verify_heap" "$perf_root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "$group" \
        --database "$database" --wait --wait-timeout 10m | tail -1 | tee -a "$out/$name-summary.txt"
fi
echo "csv $csv; plots $out/$name-lag-latency.png, $out/$name-throughput.png, $out/$name-heap.png; latency files $latency"
