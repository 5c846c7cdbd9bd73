#!/usr/bin/env bash
# Experiment 4, watermarks and late data: --late-fractions x --lateness. One topic per late fraction (the
# generator's late records come 3 s to 10 min behind, log-uniform); each is drained by `./tally run --stop-at-end`
# once per allowed lateness, into its own database, and `./tally verify --summary` then recomputes, under the same
# rules, how many records were late but within the lateness (folded into their window by a corrected row with a
# higher version), how many were beyond it (side output), and checks ClickHouse against that exactly. The table has
# both counts per window kind, the side-output rows found in late_events, the largest number of live window rows the
# engine held (the memory a longer lateness costs), and the verdict. Plots: folded and side-output records by
# lateness, one line per late fraction.
#
#   perf-scripts/late-sweep.sh [--late-fractions 0.01,0.03,0.1] [--lateness 0s,10s,30s,2m,10m] [--events 1000000]
#                              [--partitions 8] [--out docs/perf/late-sweep] [--bootstrap HOST:PORT] [--clickhouse-url URL]
set -euo pipefail
perf_name=late-sweep
source "$(dirname "$0")/lib/common.sh"

fractions=0.01,0.03,0.1; latenesses=0s,10s,30s,2m,10m; events=1000000; partitions=8
out="$perf_root/docs/perf/late-sweep"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --late-fractions) fractions="$2"; shift 2 ;;
        --lateness) latenesses="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
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
csv="$out/late-sweep.csv"
echo "late_fraction,allowed_lateness_s,records,folded_minute,folded_hour,late_minute,late_hour,late_events_found,malformed,accepted_minute_rows,max_live_rows,drain_records_per_s,verify" >"$csv"
secs() { case "$1" in *ms) echo 0 ;; *s) echo "${1%s}" ;; *m) echo $(( ${1%m} * 60 )) ;; *h) echo $(( ${1%h} * 3600 )) ;; *) echo "$1" ;; esac; }
key() { grep "^$1=" "$2" | cut -d= -f2; }

for f in ${fractions//,/ }; do
    topic="late-$f-$stamp"; topic="${topic//./_}"
    echo "== $events events, late fraction $f, into $topic"
    # 2,000 events per second of event time: the stream spans about $events / 2000 s, so minute windows close
    # throughout, the hour 10:00 closes in the middle, and the 10-minute tail of late records reaches windows that
    # closed long before.
    "$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
        --rate 0 --time-rate 2000 --event-time-start 2026-01-01T09:55:00Z --accounts 100000 --late-fraction "$f" \
        --malformed-fraction 0.0001 --seed 11 \
        --progress-interval 1h 2>&1 | tail -1
    for l in ${latenesses//,/ }; do
        id="${topic}_l${l}"; db="d_${id//[-.]/_}"
        perf_engine_start "$perf_work/run-$id.log" --topic "$topic" --group "g-$id" --database "$db" \
            --allowed-lateness "$l" --journal-dir "$perf_work/j-$id" --dlq-topic '' --stop-at-end
        max_live=0
        while kill -0 "$engine_pid" 2>/dev/null; do
            perf_scrape "$engine_port"; lr=$(perf_v "tally_window_live_rows "); (( ${lr:-0} > max_live )) && max_live=$lr
            sleep 0.5
        done
        wait "$engine_pid" || perf_die "the engine failed; log $perf_work/run-$id.log"
        rps=$(grep -o '([0-9,]*/s)' "$perf_work/run-$id.log" | sed -n 1p | tr -d '(),/s')
        summary="$perf_work/summary-$id.properties"
        set +e
        "$perf_root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" \
            --group "g-$id" --database "$db" --allowed-lateness "$l" --summary "$summary" --wait --wait-timeout 5m \
            >"$perf_work/verify-$id.txt" 2>&1
        rc=$?; set -e
        verdict=exact; [[ $rc == 0 ]] || { verdict="MISMATCH(exit $rc)"; tail -3 "$perf_work/verify-$id.txt" >&2; }
        echo "$f,$(secs "$l"),$(key records "$summary"),$(key expected.folded_late.minute "$summary"),$(key expected.folded_late.hour "$summary"),$(key expected.late.minute "$summary"),$(key expected.late.hour "$summary"),$(key late_events.late "$summary"),$(key expected.malformed "$summary"),$(key expected.rows.minute "$summary"),$max_live,$rps,$verdict" >>"$csv"
        tail -1 "$csv"
    done
done
column -s, -t "$csv" | tee "$out/late-sweep.txt"

# One column per late fraction, allowed lateness on x.
wide() {
    awk -F, -v col="$1" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } {
            if (!($1 in fs)) { fs[$1] = 1; fo[++n] = $1 } if (!($2 in ls)) { ls[$2] = 1; lo[++m] = $2 } v[$1, $2] = $h[col] }
        END { printf "allowed_lateness_s"; for (i = 1; i <= n; i++) printf ",late_fraction_%s", fo[i]; print "";
              for (j = 1; j <= m; j++) { printf "%s", lo[j]; for (i = 1; i <= n; i++) printf ",%s", v[fo[i], lo[j]]; print "" } }' "$csv"
}
wide folded_minute >"$out/wide-folded.csv"; wide late_minute >"$out/wide-late.csv"; wide max_live_rows >"$out/wide-live.csv"
series() { head -1 "$1" | cut -d, -f2-; }
"$perf_root/tally" plot --csv "$out/wide-folded.csv" --x allowed_lateness_s --y "$(series "$out/wide-folded.csv")" --points \
    --title "Late records folded into their minute window (within the allowed lateness)" \
    --x-label "--allowed-lateness (s)" --y-label "records" --out "$out/folded.png"
"$perf_root/tally" plot --csv "$out/wide-late.csv" --x allowed_lateness_s --y "$(series "$out/wide-late.csv")" --points \
    --title "Late records beyond the allowed lateness (side output), minute windows" \
    --x-label "--allowed-lateness (s)" --y-label "records" --out "$out/side-output.png"
"$perf_root/tally" plot --csv "$out/wide-live.csv" --x allowed_lateness_s --y "$(series "$out/wide-live.csv")" --points \
    --title "Most live window rows the engine held" --x-label "--allowed-lateness (s)" --y-label "rows" \
    --out "$out/live-rows.png"
echo "csv $csv; table $out/late-sweep.txt; plots $out/folded.png $out/side-output.png $out/live-rows.png"
