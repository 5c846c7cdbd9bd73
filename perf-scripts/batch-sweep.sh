#!/usr/bin/env bash
# Experiment 3, the insert-batch sweep: --batch-rows x --batch-max-wait, and the one-row baseline. Per point:
#   throughput  one pre-loaded backlog (--events, shared by every point) drained by `./tally run --stop-at-end`
#               into a database of its own: records/s on the engine's clock, inserts, rows per insert;
#   recovery    the same backlog drained again into another database, the engine halted (Runtime.halt: no
#               shutdown hook, as with SIGKILL; the test-only --crash-at mid-insert:N with TALLY_TEST_CRASH_POINTS=1)
#               halfway through sending its middle batch, and restarted to the end: records the restart read,
#               journaled batches re-sent, the seconds the crash added; then `./tally verify` of that database
#               must be an exact match (exactly-once at every point);
#   latency     a paced stream (--rate events/s for --seconds, after --warmup) into a running engine: end-to-end
#               p50/p99/p99.9 of the steady part from the engine's interval log, and queue wait p99 (the batching).
# The one-row baseline (--batch-rows 1) only runs the latency part, at --baseline-rate for --baseline-seconds,
# and reports inserts/s, the lag it leaves, and ClickHouse's active parts. Writes a CSV, a text table and plots.
#
# Every tick's checkpoint cuts the open batches (so that commits advance each --emit-interval), so in steady state a
# batch holds at most one emit interval of rows: --emit-intervals sweeps that knob too (one CSV row per triple).
# Each point's databases are dropped once measured, so later points do not pay for earlier points' merges.
#
#   perf-scripts/batch-sweep.sh [--rows 1000,10000,100000,1000000] [--waits 200ms,1s,5s] [--emit-intervals 1s]
#                               [--events 3000000] [--rate 50000] [--seconds 60] [--warmup 15] [--baseline-rate 2000]
#                               [--baseline-seconds 60] [--no-baseline] [--partitions 8] [--heap 3g]
#                               [--out docs/perf/batch-sweep] [--bootstrap HOST:PORT] [--clickhouse-url URL]
#                               [--replot]   (only redraw the table and plots from --out's sweep.csv)
set -euo pipefail
perf_name=batch-sweep
source "$(dirname "$0")/lib/common.sh"

rows_list=1000,10000,100000,1000000; waits=200ms,1s,5s; emits=1s; baseline=1; replot=0; events=3000000; rate=50000; seconds=60; warmup=15
baseline_rate=2000; baseline_seconds=60; partitions=8; heap=3g; out="$perf_root/docs/perf/batch-sweep"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) rows_list="$2"; shift 2 ;;
        --waits) waits="$2"; shift 2 ;;
        --emit-intervals) emits="$2"; shift 2 ;;
        --no-baseline) baseline=0; shift ;;
        --replot) replot=1; shift ;;
        --events) events="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --baseline-rate) baseline_rate="$2"; shift 2 ;;
        --baseline-seconds) baseline_seconds="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --heap) heap="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        *) perf_die "unknown argument '$1'; see the usage at the top of $0" 2 ;;
    esac
done
mkdir -p "$out"
csv="$out/sweep.csv"
if [[ $replot == 0 ]]; then
perf_endpoints
perf_build
stamp="$(date +%s)"
backlog="sweep-backlog-$stamp"
echo "batch_rows,max_wait_ms,emit_interval_ms,drain_records_per_s,drain_process_s,rows_inserted,inserts,rows_per_insert,restart_read_records,restart_resent_batches,crash_extra_s,verify,paced_rate,paced_consumed_per_s,end_lag,e2e_p50_ms,e2e_p99_ms,e2e_p999_ms,queue_wait_p99_ms,paced_inserts_per_s,active_parts" >"$csv"
export TALLY_JAVA_OPTS="-Xms$heap -Xmx$heap"
common=(--bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --dlq-topic '')

ms() { case "$1" in *ms) echo "${1%ms}" ;; *s) echo $(( ${1%s} * 1000 )) ;; *m) echo $(( ${1%m} * 60000 )) ;; *) echo "$1" ;; esac; }
field() { grep -o "$1" <<<"$2" | sed -n 1p | tr -d ',' | grep -o '[0-9.]*' | sed -n 1p; }
sql() { curl -s --max-time 60 "$clickhouse/" --data-binary "$1"; }

# One paced run: engine first, then the stream; writes "consumed_per_s end_lag p50 p99 p999 queue_p99 inserts_per_s
# parts" to $perf_work/paced.out (run in this shell, not a subshell, so that its processes are tracked and stopped).
paced() {
    local id="$1" prate="$2" secs="$3"; shift 3
    local topic="pace-$id" lat="$perf_work/lat-$id" n=$(( prate * secs )) t0 b0 b1 c0 c1 lag
    "$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --create-topic 2>/dev/null
    perf_engine_start "$perf_work/run-$id.log" --topic "$topic" --group "g-$id" --database "d_${id//-/_}" \
        --journal-dir "$perf_work/journal-$id" --latency-dir "$lat" --dlq-topic '' "$@"
    sleep 5
    "$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$n" \
        --rate "$prate" --seed 3 --progress-interval 1h >"$perf_work/gen-$id.log" 2>&1 &
    local gpid=$!; perf_track "$gpid"
    sleep "$warmup"
    perf_scrape "$engine_port"; b0=$(perf_v "tally_batches_inserted_total "); c0=$(perf_v "tally_records_consumed_total "); t0=$(date +%s)
    wait "$gpid" || true
    perf_scrape "$engine_port"; b1=$(perf_v "tally_batches_inserted_total "); c1=$(perf_v "tally_records_consumed_total "); lag=$(perf_lag)
    local dt=$(( $(date +%s) - t0 )); (( dt > 0 )) || dt=1
    kill -TERM "$engine_pid"; wait "$engine_pid" 2>/dev/null || true
    local hlog; hlog="$(ls "$lat"/latency-*.hlog | sed -n 1p)"
    read -r p50 p99 p999 _ _ < <(perf_hlog_window "$hlog" total "$(( warmup + 5 ))" "$(( secs + 5 ))")
    read -r _ q99 _ _ _ < <(perf_hlog_window "$hlog" queue_wait "$(( warmup + 5 ))" "$(( secs + 5 ))")
    local parts; parts="$(sql "SELECT count() FROM system.parts WHERE database = 'd_${id//-/_}' AND active")"
    echo "$(( (c1 - c0) / dt )) $lag $p50 $p99 $p999 $q99 $(( (b1 - b0) / dt )) $parts" >"$perf_work/paced.out"
}

echo "== backlog: $events events into $backlog ($partitions partitions, 10M Zipf accounts, 20,000 events per second of event time)"
"$perf_root/tally" gen --bootstrap "$bootstrap" --topic "$backlog" --partitions "$partitions" --events "$events" \
    --rate 0 --time-rate 20000 --seed 42 --progress-interval 1h 2>&1 | tail -1

if [[ $baseline == 1 ]]; then
    echo "== one-row baseline: --batch-rows 1 at $baseline_rate events/s for $baseline_seconds s"
    paced "base-$stamp" "$baseline_rate" "$baseline_seconds" --batch-rows 1 --batch-max-wait 200ms
    read -r bc blag b50 b99 b999 bq99 bips bparts <"$perf_work/paced.out"
    echo "1,200,1000,,,,,1,,,,,$baseline_rate,$bc,$blag,$b50,$b99,$b999,$bq99,$bips,$bparts" >>"$csv"
    echo "baseline: consumed $bc/s of $baseline_rate/s, lag at the end $blag, e2e p99 $b99 ms, $bips inserts/s, $bparts active parts"
    sql "DROP DATABASE IF EXISTS d_base_$stamp" >/dev/null
fi

for emit in ${emits//,/ }; do
for rows in ${rows_list//,/ }; do
    for wait in ${waits//,/ }; do
        id="r${rows}-w${wait}-e${emit}-$stamp"; flags=(--batch-rows "$rows" --batch-max-wait "$wait" --emit-interval "$emit")
        echo "== --batch-rows $rows --batch-max-wait $wait --emit-interval $emit"
        # Throughput: a clean drain of the backlog.
        t0=$(date +%s.%N)
        line="$("$perf_root/tally" run "${common[@]}" --topic "$backlog" --group "gc-$id" --database "dc_${id//-/_}" \
            --journal-dir "$perf_work/jc-$id" --metrics-address off --stop-at-end "${flags[@]}" 2>&1 | grep '^tally run: [0-9]' | sed -n 1p)"
        clean_s=$(echo "$(date +%s.%N) - $t0" | bc)
        rps=$(field '([0-9,]*/s)' "$line"); inserted=$(field '[0-9,]* rows in' "$line"); batches=$(field 'in [0-9,]* batches' "$line")
        # Recovery: the same drain, halted (as by SIGKILL: no shutdown hooks) in the middle of sending its middle
        # batch to ClickHouse, restarted to the end, verified.
        db="dk_${id//-/_}"; t0=$(date +%s.%N); half=$(( (batches + 1) / 2 ))
        set +e
        TALLY_TEST_CRASH_POINTS=1 "$perf_root/tally" run "${common[@]}" --topic "$backlog" --group "gk-$id" \
            --database "$db" --journal-dir "$perf_work/jk-$id" --metrics-address off --stop-at-end "${flags[@]}" \
            --crash-at "mid-insert:$half" >"$perf_work/crash-$id.log" 2>&1
        rc=$?; set -e
        [[ $rc == 86 ]] || perf_die "the engine did not halt at mid-insert:$half (exit $rc); log $perf_work/crash-$id.log"
        line2="$("$perf_root/tally" run "${common[@]}" --topic "$backlog" --group "gk-$id" --database "$db" \
            --journal-dir "$perf_work/jk-$id" --metrics-address off --stop-at-end "${flags[@]}" 2>&1 | grep '^tally run: [0-9]' | sed -n 1p)"
        killed_s=$(echo "$(date +%s.%N) - $t0" | bc)
        consumed2=$(field '^tally run: [0-9,]* records' "$line2")
        resent=$(field '[0-9,]* journaled batches' "$line2")
        verdict="$("$perf_root/tally" verify --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$backlog" \
            --group "gk-$id" --database "$db" --wait --wait-timeout 5m 2>&1 | tail -1)"
        case "$verdict" in *"EXACT MATCH"*) v=exact ;; *) v=MISMATCH; echo "$verdict" >&2 ;; esac
        # Latency: a paced stream.
        paced "$id" "$rate" "$seconds" "${flags[@]}"
        read -r pc plag p50 p99 p999 q99 ips parts <"$perf_work/paced.out"
        printf '%s,%s,%s,%s,%.1f,%s,%s,%s,%s,%s,%.1f,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$rows" "$(ms "$wait")" "$(ms "$emit")" "$rps" "$clean_s" \
            "$inserted" "$batches" "$(( inserted / (batches > 0 ? batches : 1) ))" "$(( consumed2 ))" \
            "$resent" "$(echo "$killed_s - $clean_s" | bc)" "$v" "$rate" "$pc" "$plag" "$p50" "$p99" "$p999" "$q99" "$ips" "$parts" >>"$csv"
        tail -1 "$csv"
        for d in "dc_${id//-/_}" "$db" "d_${id//-/_}"; do sql "DROP DATABASE IF EXISTS $d" >/dev/null; done
    done
done
done

fi
column -s, -t "$csv" | tee "$out/sweep.txt"
# Wide tables for the plots: x is --batch-rows (or --emit-interval when only one row count was swept), one column
# per other setting.
if [[ "$rows_list" == *,* ]]; then xcol=1; xname=batch_rows; xlabel="--batch-rows"; logx=(--log-x)
else xcol=3; xname=emit_interval_ms; xlabel="--emit-interval (ms)"; logx=(); fi
wide() {
    awk -F, -v col="$1" -v xc="$xcol" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $1 > 1 {
            k = (xc == 1 ? "wait_" $2 "ms_emit_" $3 "ms" : "rows_" $1 "_wait_" $2 "ms"); x = $xc
            if (!(k in w)) { w[k] = 1; ws[++n] = k } if (!(x in r)) { r[x] = 1; rs[++m] = x } v[x, k] = $h[col] }
        END { printf "x"; for (i = 1; i <= n; i++) printf ",%s", ws[i]; print "";
              for (j = 1; j <= m; j++) { printf "%s", rs[j]; for (i = 1; i <= n; i++) printf ",%s", v[rs[j], ws[i]]; print "" } }' "$csv" \
        | sed "1s/^x,/$xname,/"
}
for col in drain_records_per_s e2e_p99_ms rows_per_insert; do wide "$col" >"$out/wide-$col.csv"; done
series() { head -1 "$1" | cut -d, -f2- ; }
"$perf_root/tally" plot --csv "$out/wide-drain_records_per_s.csv" --x "$xname" --y "$(series "$out/wide-drain_records_per_s.csv")" \
    "${logx[@]}" --points --title "Catch-up throughput (drain of the backlog)" \
    --x-label "$xlabel" --y-label "records/s" --out "$out/throughput.png"
"$perf_root/tally" plot --csv "$out/wide-e2e_p99_ms.csv" --x "$xname" --y "$(series "$out/wide-e2e_p99_ms.csv")" \
    "${logx[@]}" --log-y --points --title "End-to-end p99 at $rate events/s" \
    --x-label "$xlabel" --y-label "e2e p99 (ms)" --out "$out/latency.png"
"$perf_root/tally" plot --csv "$out/wide-rows_per_insert.csv" --x "$xname" --y "$(series "$out/wide-rows_per_insert.csv")" \
    "${logx[@]}" --log-y --points --title "Rows per insert while draining (the most a crash mid-insert re-sends)" \
    --x-label "$xlabel" --y-label "rows per insert" --out "$out/rows-per-insert.png"
echo "csv $csv; table $out/sweep.txt; plots $out/throughput.png $out/latency.png $out/rows-per-insert.png"
