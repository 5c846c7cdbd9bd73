#!/usr/bin/env bash
# tally against its peers, side by side on one pre-loaded backlog, in one run on one machine (issue 11):
#   1. raw consumer ceiling: Kafka's own consumer reading the whole backlog and nothing else (and once more with
#      every value decoded), dev.tally.peers.RawConsumerCeiling;
#   2. tally: ./tally run --stop-at-end into a fresh ClickHouse database, exactly-once, and once more as the naive
#      at-least-once pipeline (--eos-mode at-least-once: the price of correctness);
#   3. Kafka Streams: the same minute and hour rollup with exactly_once_v2, dev.tally.peers.StreamsRollup.
# Each drains the same fresh topic that `./tally gen --rate 0` fills first, one after the other. Writes a CSV
# (records/s of each, and tally's records/s over each: tally/raw, tally/streams) and prints a table.
#
# It uses the stack at --bootstrap / --clickhouse-url (./tally stack up's defaults) and starts nothing, unless
# --start-stack: then it starts a stack of its own on those ports with its data in var/peers-stack/ and stops it
# and removes that data at the end. Topics, the Streams application's internal topics and the ClickHouse database
# are left on a stack it did not start (fresh names each run).
#
#   perf-scripts/peers.sh [--events 5000000] [--partitions 8] [--bootstrap 127.0.0.1:19092]
#                         [--clickhouse-url http://127.0.0.1:18123] [--csv docs/perf/peers-<date>-<HHMM>.csv] [--start-stack]
#                         [--no-streams]   (the raw consumer and tally only: for long backlogs)
# Environment: JAVA_HOME (a JDK >= 25; else the newest under /usr/lib/jvm or $TALLY_JDK_DIR, as ./tally does),
# TALLY_BUILD_DIR (the peers module's build folder, default target-peers).
set -euo pipefail

bootstrap=127.0.0.1:19092
clickhouse=http://127.0.0.1:18123
events=5000000
partitions=8
csv=""
start_stack=0
streams=1
usage="usage: $0 [--events N] [--partitions N] [--bootstrap HOST:PORT] [--clickhouse-url URL] [--csv PATH] [--start-stack] [--no-streams]"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --clickhouse-url) clickhouse="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --csv) csv="$2"; shift 2 ;;
        --start-stack) start_stack=1; shift ;;
        --no-streams) streams=0; shift ;;
        -h|--help) echo "$usage"; exit 0 ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
csv="${csv:-docs/perf/peers-$(date -u +%F-%H%M).csv}"   # one file per run: a second run the same day keeps the first

# --- the JDK: JAVA_HOME when it is 25 or newer, else the newest such under /usr/lib/jvm (./tally's rule) -------
java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
jdk=""
best=0
for dir in ${JAVA_HOME:+"$JAVA_HOME"} "${TALLY_JDK_DIR:-/usr/lib/jvm}"/*; do
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] || continue
    v="$(java_major "$dir")"
    [[ -n "$v" && "$v" -ge 25 ]] || continue
    if [[ "$dir" == "${JAVA_HOME:-}" ]]; then jdk="$dir"; break; fi
    if [[ "$v" -gt "$best" ]]; then jdk="$dir"; best="$v"; fi
done
[[ -n "$jdk" ]] || { echo "peers.sh: needs a JDK 25 or newer: set JAVA_HOME to one" >&2; exit 1; }
export JAVA_HOME="$jdk"

# --- the peers module, built like perf-scripts/jmh.sh builds the benchmarks -----------------------------------
build_dir="${TALLY_BUILD_DIR:-target-peers}"
echo "== building the peers module (mvn package into peers/$build_dir)"
mvn -q -Dtally.build.dir="$build_dir" -pl peers -am -DskipTests package
jar="$(ls "peers/$build_dir"/tally-peers-*.jar | grep -vE -- '-(tests|sources|javadoc)\.jar$' | head -1)"
peers_cp="$jar:$(cat "peers/$build_dir/classpath.txt")"
peer() { "$JAVA_HOME/bin/java" "@$root/jvm.options" -Dtally.home="$root" -cp "$peers_cp" "$@"; }

stamp="$(date -u +%Y%m%d-%H%M%S)"
work="$(mktemp -d)"
stack_var="$root/var/peers-stack"
cleanup() {
    rm -rf "$work"
    if [[ "$start_stack" == 1 ]]; then
        "$root/tally" stack down --var "$stack_var" || true
        rm -rf "$stack_var"
    fi
}
trap cleanup EXIT

if [[ "$start_stack" == 1 ]]; then
    kafka_port="${bootstrap##*:}"
    ch_port="${clickhouse##*:}"
    ch_port="${ch_port%%/*}"
    echo "== starting a stack of this script's own (kafka $bootstrap, clickhouse $clickhouse, data in $stack_var)"
    "$root/tally" stack up --var "$stack_var" --kafka-port "$kafka_port" --controller-port "$((kafka_port + 100))" \
        --clickhouse-port "$ch_port"
fi

topic="peers-$stamp"
id="peers_${stamp//-/_}"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ -z "$(git -C "$root" status --porcelain 2>/dev/null)" ]] || commit="$commit+dirty"

now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }
since() { while IFS= read -r line; do printf '[+%.1fs] %s\n' "$(elapsed "$1" "$(now)")" "$line"; done; } # stamps lines
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" | tail -1; } # a key=value of a result line
number() { tr -d ','; }
# CPU seconds: the whole machine (/proc/stat) and one process (/proc/<pid>/stat), user + system.
machine_cpu() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / 100 }' /proc/stat; }
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
state_file="$root/var/stack/state.properties"; [[ "$start_stack" == 1 ]] && state_file="$stack_var/stack/state.properties"
stack_pid() { local i; i="$(grep -o "^service\.[0-9]*\.name=$1" "$state_file" 2>/dev/null | cut -d. -f2 | sed -n 1p)";
              [[ -n "$i" ]] && grep "^service\.$i\.pid=" "$state_file" | cut -d= -f2; }
# cpu_begin NAME / cpu_end NAME: the CPU seconds the machine, the broker and ClickHouse used while NAME ran; the
# contender's own share is the machine's minus the two servers' (the machine is otherwise idle while it runs).
cpu_begin() { printf -v "cpu0_$1" '%s %s %s' "$(machine_cpu)" "$(proc_cpu "$(stack_pid kafka)")" "$(proc_cpu "$(stack_pid clickhouse)")"; }
cpu_end() {
    local begin="cpu0_$1" m b c
    read -r m b c <<<"${!begin}"
    printf -v "cpu_$1" '%s,%s,%s' "$(awk -v a="$m" -v b="$(machine_cpu)" 'BEGIN { printf "%.2f", b - a }')" \
        "$(awk -v a="$b" -v b="$(proc_cpu "$(stack_pid kafka)")" 'BEGIN { printf "%.2f", b - a }')" \
        "$(awk -v a="$c" -v b="$(proc_cpu "$(stack_pid clickhouse)")" 'BEGIN { printf "%.2f", b - a }')"
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); JDK $JAVA_HOME; commit $commit"
echo "== backlog: $events events into $topic ($partitions partitions) at $bootstrap, ./tally gen --rate 0"
"$root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" --events "$events" \
    --rate 0 --seed 42 --progress-interval 1h

echo "== 1/5 raw consumer ceiling"
raw_load="$(load)"; cpu_begin raw; t0="$(now)"
peer dev.tally.peers.RawConsumerCeiling --bootstrap "$bootstrap" --topic "$topic" | tee "$work/raw.txt"
raw_wall="$(elapsed "$t0" "$(now)")"; cpu_end raw

echo "== 2/5 raw consumer ceiling, decoding every value"
decode_load="$(load)"; cpu_begin decode; t0="$(now)"
peer dev.tally.peers.RawConsumerCeiling --bootstrap "$bootstrap" --topic "$topic" --decode | tee "$work/decode.txt"
decode_wall="$(elapsed "$t0" "$(now)")"; cpu_end decode

echo "== 3/5 tally run --stop-at-end (group and database $id)"
tally_load="$(load)"; cpu_begin tally; t0="$(now)"
"$root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --stop-at-end --topic "$topic" \
    --group "$id" --database "$id" --metrics-address off --journal-dir "$work/journal" \
    --latency-dir "$work/latency" 2>&1 | since "$t0" | grep 'tally run:' | tee "$work/tally.txt"
tally_wall="$(elapsed "$t0" "$(now)")"; cpu_end tally
echo "[+${tally_wall}s] tally run: process ended (the +s stamps say where its whole-process time goes)"

echo "== 4/5 tally run --stop-at-end --eos-mode at-least-once: the naive pipeline, no journal, no tokens, commits on a timer (group and database ${id}_alo)"
alo_load="$(load)"; cpu_begin alo; t0="$(now)"
"$root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --stop-at-end --topic "$topic" \
    --group "${id}_alo" --database "${id}_alo" --eos-mode at-least-once --metrics-address off \
    --journal-dir "$work/journal-alo" --latency-dir "$work/latency-alo" 2>&1 | since "$t0" | grep 'tally run:' | tee "$work/alo.txt"
alo_wall="$(elapsed "$t0" "$(now)")"; cpu_end alo

if [[ $streams == 1 ]]; then
    echo "== 5/5 Kafka Streams rollup, exactly_once_v2 (application $topic-streams)"
    streams_load="$(load)"; cpu_begin streams; t0="$(now)"
    peer dev.tally.peers.StreamsRollup --bootstrap "$bootstrap" --topic "$topic" --application-id "$topic-streams" \
        | tee "$work/streams.txt"
    streams_wall="$(elapsed "$t0" "$(now)")"; cpu_end streams
else
    echo "== 5/5 Kafka Streams: skipped (--no-streams)"
    : >"$work/streams.txt"
fi

# --- figures: each tool's own drain time and rate, and the whole process as this script timed it -----------------
raw_records="$(field records <"$work/raw.txt")"; raw_s="$(field seconds <"$work/raw.txt")"
decode_records="$(field records <"$work/decode.txt")"; decode_s="$(field seconds <"$work/decode.txt")"
streams_records="$(field records <"$work/streams.txt")"; streams_s="$(field seconds <"$work/streams.txt")"
tally_line="$(grep 'records in' "$work/tally.txt" | tail -1)"
tally_records="$(sed -n 's/.*tally run: \([0-9,]*\) records in.*/\1/p' <<<"$tally_line" | number)"
tally_s="$(sed -n 's/.* records in \([0-9.]*\)s .*/\1/p' <<<"$tally_line")"
alo_line="$(grep 'records in' "$work/alo.txt" | tail -1)"
alo_records="$(sed -n 's/.*tally run: \([0-9,]*\) records in.*/\1/p' <<<"$alo_line" | number)"
alo_s="$(sed -n 's/.* records in \([0-9.]*\)s .*/\1/p' <<<"$alo_line")"
tally_latency="$(grep 'end-to-end latency p50' "$work/tally.txt" | tail -1 || true)"
tally_p50="$(sed -n 's/.*latency p50 \([0-9,]*\) ms.*/\1/p' <<<"$tally_latency" | number)"
tally_p99="$(sed -n 's/.*, p99 \([0-9,]*\) ms.*/\1/p' <<<"$tally_latency" | number)"
streams_p50="$(field latency_p50_ms <"$work/streams.txt")"
streams_p99="$(field latency_p99_ms <"$work/streams.txt")"
contenders=(raw_records raw_s decode_records decode_s tally_records tally_s alo_records alo_s)
[[ $streams == 1 ]] && contenders+=(streams_records streams_s)
for v in "${contenders[@]}"; do
    [[ -n "${!v}" ]] || { echo "peers.sh: could not read $v from the output above" >&2; exit 1; }
done

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
tally_rate="$(rate "$tally_records" "$tally_s")"
tally_process_rate="$(rate "$tally_records" "$tally_wall")"

mkdir -p "$(dirname "$csv")"
{
    echo "run_utc,commit,events,topic,contender,records,seconds,records_per_s,process_seconds,process_records_per_s,tally_over_this,tally_over_this_process,latency_p50_ms,latency_p99_ms,load_1m_at_start,cpu_machine_s,cpu_broker_s,cpu_clickhouse_s,cpu_us_per_record"
    row() { # contender records seconds process_seconds p50 p99 load cpu(machine,broker,clickhouse)
        local r pr
        r="$(rate "$2" "$3")"; pr="$(rate "$2" "$4")"
        echo "$stamp,$commit,$events,$topic,$1,$2,$3,$r,$4,$pr,$(ratio "$tally_rate" "$r"),$(ratio "$tally_process_rate" "$pr"),$5,$6,$7,$8,$(awk -v c="$8" -v n="$2" 'BEGIN { split(c, a, ","); printf "%.2f", a[1] * 1e6 / n }')"
    }
    row raw-consumer "$raw_records" "$raw_s" "$raw_wall" "" "" "$raw_load" "$cpu_raw"
    row raw-consumer-decode "$decode_records" "$decode_s" "$decode_wall" "" "" "$decode_load" "$cpu_decode"
    row tally "$tally_records" "$tally_s" "$tally_wall" "$tally_p50" "$tally_p99" "$tally_load" "$cpu_tally"
    row tally-at-least-once "$alo_records" "$alo_s" "$alo_wall" "" "" "$alo_load" "$cpu_alo"
    [[ $streams == 1 ]] && row kafka-streams-eos "$streams_records" "$streams_s" "$streams_wall" "$streams_p50" "$streams_p99" "$streams_load" "$cpu_streams"
} >"$csv"

echo "== summary ($events events, topic $topic, $(nproc) cores shared by broker, ClickHouse and the contender; CSV $csv)"
awk -F, 'NR > 1 { printf "%-20s %11s records %9.2fs %9s/s   whole process %8.2fs %9s/s   tally/this %6.2f (process %5.2f)   load %s\n",
    $5, $6, $7, $8, $9, $10, $11, $12, $15 }' "$csv"
echo "CPU while each ran (whole process; the machine, of it the broker and ClickHouse, and per record over the machine):"
awk -F, 'NR > 1 { printf "%-20s machine %7.2fs  broker %6.2fs  clickhouse %6.2fs  the rest (the contender) %7.2fs  %5.2f us/record\n",
    $5, $16, $17, $18, $16 - $17 - $18, $19 }' "$csv"
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $streams == 1 ]]; then
    echo "tally/raw $(ratio "$tally_rate" "$(rate "$raw_records" "$raw_s")"), tally/streams $(ratio "$tally_rate" "$(rate "$streams_records" "$streams_s")") (own drain rates)"
else
    echo "tally/raw $(ratio "$tally_rate" "$(rate "$raw_records" "$raw_s")") (own drain rates)"
fi
