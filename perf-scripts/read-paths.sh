#!/usr/bin/env bash
# What each read form of docs/read-contract.md costs: a generated topic drained by `./tally run --stop-at-end`
# into a fresh database, merges of rollup_minute stopped, then (with --duplicates P) a second copy of P % of the
# keys at a lower version (half the count, as an early-fired partial row) and of another P % at the same version
# (as a replay) inserted, so the table holds pre-merge duplicates. Then the per-minute dashboard query and the
# whole-table reconciliation query of the page, each in the view, FINAL, argMax and plain-sum forms, are run
# --reps times (after one warm-up run) before and after OPTIMIZE TABLE ... FINAL. For each, the median and
# smallest wall time (curl) and the rows the query read are printed, and whether its answer equals the view's.
# The SQL is taken from the page's sql blocks, so the script times exactly what the page shows (and
# ReadContractTest checks).
#
# Rows read come from the server's SelectedRows counter (system.events) before and after each query, minus what
# the system.events query itself reads. This is exact on the local ClickHouse server, which runs one query at a
# time, and approximate on a server that runs other queries at the same moment. The local server's
# X-ClickHouse-Summary read_rows reports result rows, and it has no system.query_log.
#
# It starts nothing itself: run `./tally stack up` first, or pass --bootstrap / --clickhouse-url. It leaves the
# topic in Kafka and drops the database unless --keep is given.
#
#   perf-scripts/read-paths.sh [--events 2000000] [--partitions 8] [--time-rate 500] [--duplicates 10] [--reps 7]
#                              [--keep]
set -euo pipefail

bootstrap=127.0.0.1:19092
clickhouse=http://127.0.0.1:18123
events=2000000
partitions=8
time_rate=500
duplicates=10
reps=7
keep=0
usage="usage: $0 [--bootstrap HOST:PORT] [--clickhouse-url URL] [--events N] [--partitions N] [--time-rate N] [--duplicates PERCENT] [--reps N] [--keep]"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --time-rate) time_rate="$2"; shift 2 ;;
        --duplicates) duplicates="$2"; shift 2 ;;
        --reps) reps="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done
[[ "$duplicates" =~ ^[0-9]+$ && "$duplicates" -le 50 ]] || { echo "--duplicates must be 0..50" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
doc="$root/docs/read-contract.md"
stamp="$(date +%s)"
topic="read-paths-$stamp"
db="read_paths_$stamp"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- ClickHouse over HTTP -------------------------------------------------------------------------------------
sql() { # $1 query, $2 extra URL parameters; prints the result, fails on an error
    curl -sS --fail-with-body "$clickhouse/?${2:-}" --data-binary "$1"
}
selected_rows() { sql "SELECT value FROM system.events WHERE event = 'SelectedRows'"; }

# The body of the page's sql block whose first line is "-- $1", against $db.
block() {
    awk -v head="-- $1" '
        /^```sql$/ { inside = 1; first = 1; next }
        /^```$/    { if (inside && take) exit; inside = 0; take = 0; next }
        inside && first { first = 0; take = ($0 == head); next }
        inside && take  { print }' "$doc" | sed "s/\btally\./$db./g"
}

# --- load ----------------------------------------------------------------------------------------------------
echo "== $events events into $topic ($partitions partitions, event time from 2026-01-01T00:00Z at $time_rate events/s)"
"$root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate 0 --time-rate "$time_rate" --event-time-start 2026-01-01T00:00:00Z --accounts 1000000 --seed 42 \
    --progress-interval 1h | tail -1
"$root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --topic "$topic" --group "g_$db" \
    --database "$db" --journal-dir "$work/journal" --latency-dir "$work/latency" --dlq-topic '' \
    --metrics-address off --stop-at-end 2>&1 | grep '^tally run: [0-9]'

table="$db.rollup_minute"
sql "SYSTEM STOP MERGES $table"
loaded="$(sql "SELECT count() FROM $table")"
key="cityHash64(window_start, account_id, country, source_partition) % 100"
if [[ "$duplicates" -gt 0 ]]; then
    sql "INSERT INTO $table SELECT window_start, account_id, country, source_partition, intDiv(event_count, 2),
         intDiv(sum_amount, 2), version - 1, 0, emitted_at FROM $table FINAL
         WHERE $key < $duplicates AND event_count > 1 AND bitAnd(version, 281474976710655) > 1"
    sql "INSERT INTO $table SELECT window_start, account_id, country, source_partition, event_count, sum_amount,
         version, 1, emitted_at FROM $table FINAL WHERE $key >= $duplicates AND $key < 2 * $duplicates"
fi
read -r raw final parts < <(sql "SELECT (SELECT count() FROM $table), (SELECT count() FROM $table FINAL),
    (SELECT count() FROM system.parts WHERE database = '$db' AND table = 'rollup_minute' AND active)")
read -r from to < <(sql "SELECT formatDateTime(max(window_start) - INTERVAL 15 MINUTE, '%F%%20%T'),
    formatDateTime(max(window_start), '%F%%20%T') FROM $table")
params="param_from=$from&param_to=$to"
echo "== rollup_minute: $loaded rows loaded, $raw with --duplicates $duplicates, in $parts parts; $final after FINAL; dashboard range [${from/\%20/ }, ${to/\%20/ })"

# --- time ----------------------------------------------------------------------------------------------------
a="$(selected_rows)"; b="$(selected_rows)"; own=$((b - a))
results=()
measure() { # $1 state
    local query form body ms rows before after reference="" answer out
    for query in dashboard reconcile; do
        for form in view FINAL argMax "NEVER plain sum (over-counts)"; do
            body="$(block "$query: $form")"
            [[ -n "$body" ]] || { echo "no sql block '-- $query: $form' in $doc" >&2; exit 1; }
            sql "$body" "$params" >"$work/out"
            out="$(md5sum <"$work/out")"
            [[ "$form" == view ]] && reference="$out"
            answer=$([[ "$out" == "$reference" ]] && echo "= view" || echo "differs")
            ms=(); rows=0
            for _ in $(seq 1 "$reps"); do
                before="$(selected_rows)"
                ms+=("$(curl -sS --fail-with-body -o /dev/null -w '%{time_total}' "$clickhouse/?$params" \
                    --data-binary "$body" | awk '{ printf "%.0f", $1 * 1000 }')")
                after="$(selected_rows)"
                rows=$((after - before - own))
            done
            read -r median smallest < <(printf '%s\n' "${ms[@]}" | sort -n |
                awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1] }')
            results+=("| $1 | $query | ${form%% (*} | $median | $smallest | $rows | $answer |")
        done
    done
}
measure "before merges"
sql "SYSTEM START MERGES $table"
sql "OPTIMIZE TABLE $table FINAL"
read -r merged_rows merged_parts < <(sql "SELECT (SELECT count() FROM $table),
    (SELECT count() FROM system.parts WHERE database = '$db' AND table = 'rollup_minute' AND active)")
measure "after OPTIMIZE FINAL ($merged_rows rows, $merged_parts parts)"

echo "== $reps runs each after a warm-up; ms = wall time of the HTTP request"
echo "| state | query | form | median ms | min ms | rows read | answer |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"

if [[ "$keep" -eq 0 ]]; then
    sql "DROP DATABASE $db"
else
    echo "== kept database $db"
fi
