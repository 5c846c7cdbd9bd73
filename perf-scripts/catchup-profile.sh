#!/usr/bin/env bash
# Where a catch-up's CPU goes: `./tally run --stop-at-end` drains a pre-loaded backlog (the backlog of peers.sh:
# `./tally gen --rate 0 --seed 42`) under async-profiler, while this script samples, every 0.5 s, the CPU seconds
# of each of the engine's threads (/proc/<pid>/task, by thread name), of the broker, of ClickHouse and of the
# machine. It writes the drain rate, CPU per record by process and by engine thread, the flame graph, the share of
# samples per thread and the top frames: what limits the drain when everything shares the cores.
#
#   perf-scripts/catchup-profile.sh [--events 5000000] [--partitions 8] [--no-profile] [--out docs/perf/catchup]
#                                   [--bootstrap HOST:PORT] [--clickhouse-url URL]
# Needs the local stack (`./tally stack up`) unless --bootstrap and --clickhouse-url name your own services.
set -euo pipefail
perf_name=catchup-profile
source "$(dirname "$0")/lib/common.sh"

events=5000000; partitions=8; profile=1
out="$perf_root/docs/perf/catchup"
bootstrap=""; clickhouse=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --no-profile) profile=0; shift ;;
        --out) out="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        *) perf_die "unknown argument '$1'; see the usage at the top of $0" 2 ;;
    esac
done
perf_endpoints
perf_build
mkdir -p "$out"

stamp="$(date -u +%Y%m%d-%H%M%S)"
topic="catchup-$stamp"
echo "== backlog: $events events into $topic ($partitions partitions), ./tally gen --rate 0 --seed 42"
"$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate 0 --seed 42 --progress-interval 1h | tail -1

broker_pid="$(perf_stack_pids kafka | sed -n 1p)"
clickhouse_pid="$(perf_clickhouse_pid)"

opts="-Xmx4g"
[[ $profile == 1 ]] && opts="$opts $(perf_profiler_agent "$perf_work/engine.jfr")"
m0="$(perf_machine_cpu)"; b0="$(perf_cpu_seconds "$broker_pid")"; c0="$(perf_cpu_seconds "$clickhouse_pid")"
t0="$(date +%s.%N)"
TALLY_JAVA_OPTS="$opts" "$perf_root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --stop-at-end \
    --topic "$topic" --group "$topic" --database "${topic//-/_}" --metrics-address off \
    --journal-dir "$perf_work/journal" --latency-dir "$perf_work/latency" >"$perf_work/run.log" 2>&1 &
engine_pid=$!
perf_track "$engine_pid"
# Each sample: every engine thread's id, name and CPU seconds so far, in one awk over /proc/<pid>/task/*/stat (a
# thread's entry goes when it ends, so its largest sample is its total); the process's total keeps ended threads'.
hz="$(getconf CLK_TCK)"
engine_total=0
while kill -0 "$engine_pid" 2>/dev/null; do
    awk -v hz="$hz" '{ line = $0; name = substr(line, index(line, "(") + 1); name = substr(name, 1, match(name, /\) [A-Z] /) - 1)
                       gsub(/ /, "_", name); sub(/^.*\) /, "", line); split(line, f, " ")
                       printf "%s %s %.2f\n", $1, name, (f[12] + f[13]) / hz }' /proc/"$engine_pid"/task/*/stat \
        >>"$perf_work/threads.txt" 2>/dev/null || true
    cpu="$(perf_cpu_seconds "$engine_pid")"
    awk -v a="$cpu" -v b="$engine_total" 'BEGIN { exit !(a >= b) }' && engine_total="$cpu"
    m1="$(perf_machine_cpu)"; b1="$(perf_cpu_seconds "$broker_pid")"; c1="$(perf_cpu_seconds "$clickhouse_pid")"
    sleep 0.5
done
threads="$(awk '{ if ($3 >= cpu[$1]) { cpu[$1] = $3; name[$1] = $2 } } END { for (t in cpu) print name[t], cpu[t] }' \
    "$perf_work/threads.txt" 2>/dev/null)"
wall="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
set +e; wait "$engine_pid"; rc=$?; set -e
[[ $rc == 0 ]] || { tail -5 "$perf_work/run.log" >&2; perf_die "the engine exited with $rc; log above"; }
summary="$(grep 'tally run:.*records in' "$perf_work/run.log" | tail -1)"
echo "$summary"
drain_s="$(sed -n 's/.*records in \([0-9.]*\)s.*/\1/p' <<<"$summary")"

engine_cpu="$engine_total"
machine="$(awk -v a="$m0" -v b="$m1" 'BEGIN { printf "%.2f", b - a }')"
broker="$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", b - a }')"
ch="$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')"
us() { awk -v s="$1" -v n="$events" 'BEGIN { printf "%.2f", s * 1e6 / n }'; }
{
    echo "catch-up of $events records ($partitions partitions), $(nproc) cores, commit $(git -C "$perf_root" rev-parse --short HEAD)"
    echo "$summary"
    echo "whole process ${wall} s ($(awk -v n="$events" -v s="$wall" 'BEGIN { printf "%.0f", n / s }') records/s)"
    echo
    printf '%-22s %10s %10s %14s\n' "CPU while it ran" "seconds" "cores" "us per record"
    for row in "machine $machine" "engine $engine_cpu" "broker $broker" "clickhouse $ch"; do
        set -- $row
        printf '%-22s %10s %10s %14s\n' "$1" "$2" "$(awk -v c="$2" -v w="$wall" 'BEGIN { printf "%.2f", c / w }')" "$(us "$2")"
    done
    echo
    echo "engine threads (CPU seconds over the drain of ${drain_s:-?} s, and the share of a core during it):"
    # Threads of one kind (GC workers, compilers) are summed under their name without the trailing number.
    awk '{ name = $1; sub(/#?[0-9]+$/, "", name); s[name] += $2 } END { for (k in s) printf "%s %.2f\n", k, s[k] }' <<<"$threads" |
        sort -k2 -rn | awk -v d="${drain_s:-0}" -v n="$events" '$2 >= 0.05 {
        printf "  %-22s %8.2f s  %5.0f %% of a core  %6.2f us per record\n", $1, $2, (d > 0 ? 100 * $2 / d : 0), $2 * 1e6 / n }'
} | tee "$out/catchup.txt"

if [[ $profile == 1 && -f "$perf_work/engine.jfr" ]]; then
    perf_flamegraph "$perf_work/engine.jfr" "$out/catchup-flame.html" "$perf_work/collapsed.txt" \
        "tally run --stop-at-end over $events records"
    { echo "CPU samples per thread:"; perf_thread_shares "$perf_work/collapsed.txt"
      echo "Self time, top frames:"; perf_top_frames "$perf_work/collapsed.txt" 25; } | tee "$out/catchup-profile.txt"
fi
echo "outputs in $out (topic $topic and its database are left on the stack)"
