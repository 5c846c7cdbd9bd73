# Shared by the experiment scripts (sourced, not run): where Kafka and ClickHouse are, the engine as a background
# process with /metrics, scraping it, percentiles from its latency files, an optional CPU profile, and stopping by
# pid every process a script started. Each script sets perf_name before sourcing this file.

perf_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
perf_pids=()
perf_work="$(mktemp -d)"

perf_die() { echo "$perf_name: $1" >&2; exit "${2:-1}"; }

# JDK >= 25 the way ./tally finds one: JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
perf_java() {
    local d v best="" best_v=0
    for d in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
        [[ -x "$d/bin/java" ]] || continue
        v="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2; exit }' | cut -d. -f1)"
        [[ -n "$v" && "$v" -ge 25 ]] || continue
        [[ "$d" == "${JAVA_HOME:-}" ]] && { echo "$d/bin/java"; return; }
        [[ "$v" -gt "$best_v" ]] && { best="$d/bin/java"; best_v="$v"; }
    done
    [[ -n "$best" ]] || perf_die "no JDK >= 25 (checked JAVA_HOME and /usr/lib/jvm); set JAVA_HOME to one"
    echo "$best"
}

# Sets bootstrap and clickhouse: the flags' values when given, else the running local stack's (./tally stack up).
perf_endpoints() {
    local state="$perf_root/var/stack/state.properties"
    if [[ -z "${bootstrap:-}" || -z "${clickhouse:-}" ]]; then
        [[ -f "$state" ]] || perf_die "no --bootstrap/--clickhouse-url given and the local stack is not up; run ./tally stack up"
        prop() { grep "^$1=" "$state" | sed -n 1p | cut -d= -f2- | sed 's/\\//g'; }
        bootstrap="${bootstrap:-$(prop kafka.bootstrap)}"
        clickhouse="${clickhouse:-$(prop clickhouse.url)}"
    fi
    curl -s --max-time 5 "$clickhouse/ping" >/dev/null || perf_die "ClickHouse at $clickhouse does not answer; start it or fix --clickhouse-url"
}

# The pid of the local stack's ClickHouse server, or nothing (a server the scripts did not start is not ours to stop).
perf_clickhouse_pid() { perf_stack_pids clickhouse | sed -n 1p; }

# Pids of the local stack's services by name prefix (kafka, clickhouse), one per line; nothing without a stack.
perf_stack_pids() {
    local state="$perf_root/var/stack/state.properties" i
    [[ -f "$state" ]] || return 0
    for i in $(grep -o "^service\.[0-9]*\.name=$1" "$state" | cut -d. -f2); do
        grep "^service\.$i\.pid=" "$state" | cut -d= -f2
    done
}

# CPU seconds (user + system) a process has used so far, from /proc; 0 when it is gone or no pid is given.
perf_cpu_seconds() {
    [[ -n "$1" ]] || { echo 0; return; }   # no pid (a service not running): "/proc//stat" would read /proc/stat
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU seconds (user, nice, system, irq, softirq) the whole machine, every core, has used so far, from /proc/stat.
perf_machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }

perf_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Build everything now, not while an engine is being measured.
perf_build() { "$perf_root/tally" run --help >/dev/null && "$perf_root/tally" plot --help >/dev/null; }

perf_track() { perf_pids+=("$1"); }

perf_cleanup() {
    local p
    for p in "${perf_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${perf_pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$perf_work"
}
trap perf_cleanup EXIT

# -agentpath for async-profiler (CPU samples by interval timer, every thread, into a JFR file), from its Maven
# Central artifact, unpacked once into the cache; nothing when it cannot be had (the run goes on unprofiled).
perf_profiler_agent() {
    local out="$1" version=4.2 cache="${TALLY_CACHE_DIR:-$HOME/.cache/tally}/async-profiler-4.2"
    local jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
    if [[ ! -f "$cache/libasyncProfiler.so" ]]; then
        [[ -f "$jar" ]] || mvn -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" >/dev/null 2>&1 || true
        [[ -f "$jar" ]] || { echo "$perf_name: async-profiler $version not available; running without a profile" >&2; return 0; }
        mkdir -p "$cache" && unzip -q -o -j "$jar" linux-x64/libasyncProfiler.so -d "$cache"
    fi
    echo "-agentpath:$cache/libasyncProfiler.so=start,event=itimer,interval=10ms,jfr,file=$out"
}

# Flame graph (HTML) and per-thread collapsed stacks from a profiler JFR file, with jfr-converter from Maven Central.
perf_flamegraph() {
    local jfr="$1" html="$2" collapsed="$3" title="$4" version=4.2 java
    local jar="$HOME/.m2/repository/tools/profiler/jfr-converter/$version/jfr-converter-$version.jar"
    [[ -f "$jfr" ]] || return 0
    [[ -f "$jar" ]] || mvn -q dependency:get -Dartifact="tools.profiler:jfr-converter:$version" >/dev/null 2>&1 || true
    [[ -f "$jar" ]] || { echo "$perf_name: jfr-converter not available; the profile stays in $jfr" >&2; return 0; }
    java="$(perf_java)"
    "$java" -jar "$jar" --cpu --simple --title "$title" -o html "$jfr" "$html" >/dev/null
    "$java" -jar "$jar" --cpu --simple -t -o collapsed "$jfr" "$collapsed" >/dev/null
}

# Share of CPU samples per thread (top 12) from collapsed stacks whose first frame is the thread's name.
perf_thread_shares() {
    awk '{ n = $NF; $NF = ""; split($0, f, ";"); t[f[1]] += n; s += n }
         END { for (k in t) printf "%6.1f %%  %s\n", 100 * t[k] / s, k }' "$1" | sort -rn | awk 'NR <= 12'
}

# Self time per frame (top N) from collapsed stacks.
perf_top_frames() {
    awk '{ n = $NF; $NF = ""; sub(/ $/, ""); k = split($0, f, ";"); self[f[k]] += n; s += n }
         END { for (k in self) printf "%6.1f %%  %s\n", 100 * self[k] / s, k }' "$1" | sort -rn | awk -v n="${2:-20}" 'NR <= n'
}

# The engine in the background; its metrics on a free port. Sets engine_pid and engine_port; log in $1.
perf_engine_start() {
    local log="$1"; shift
    engine_port="$(perf_free_port)"
    "$perf_root/tally" run --bootstrap "$bootstrap" --clickhouse-url "$clickhouse" --metrics-address "127.0.0.1:$engine_port" \
        "$@" >"$log" 2>&1 &
    engine_pid=$!
    perf_track "$engine_pid"
    local i
    for i in $(seq 1 120); do
        curl -s --max-time 1 "http://127.0.0.1:$engine_port/metrics" 2>/dev/null | grep -q '^tally_records_consumed_total' && return 0
        kill -0 "$engine_pid" 2>/dev/null || { tail -5 "$log" >&2; perf_die "the engine exited at start; log $log"; }
        sleep 1
    done
    perf_die "the engine's /metrics did not come up in 120 s; log $log"
}

# Scrapes the engine's /metrics into $m.
perf_scrape() { m="$(curl -s --max-time 2 "http://127.0.0.1:$1/metrics" || true)"; }
# A sample's value from $m (Prometheus writes large values as 1.2E7: awk reads them), rounded.
perf_v() { awk -v k="$1" 'index($0, k) == 1 { printf "%.0f", $NF; exit }' <<<"$m"; }
perf_lag() { awk 'index($0, "tally_kafka_lag_records{") == 1 && $NF >= 0 { s += $NF } END { printf "%d", s }' <<<"$m"; }
# The engine's 10-s window e2e quantile of a part (total, emit_wait, queue_wait, insert) in seconds, or empty.
perf_e2e() {
    awk -v k="tally_e2e_latency_seconds{part=\"$1\",quantile=\"$2\"}" 'index($0, k) == 1 { if ($NF != "NaN") print $NF; exit }' <<<"$m"
}

# Percentiles (ms) of an .hgrm file: prints "p50 p99 p999 max count".
perf_hgrm() {
    awk '/^ *[0-9]/ && (NF == 4 || NF == 3) { v = $1; p = $2;
           if (p >= 0.5 && a == "") a = v; if (p >= 0.99 && b == "") b = v; if (p >= 0.999 && c == "") c = v }
         /^#\[Max/ { gsub(/[],]/, ""); mx = $3; n = $NF }
         END { printf "%.0f %.0f %.0f %.0f %d\n", a, b, c, mx, n }' "$1"
}

# Percentiles (ms) of one part of the engine's interval log between two times (seconds since the log's start):
# "p50 p99 p999 max count", through HdrHistogram's own HistogramLogProcessor.
perf_hlog_window() {
    local hlog="$1" part="$2" from="$3" to="$4" java cp
    java="$(perf_java)"
    cp="$(tr ':' '\n' <"$perf_root/engine/target/classpath.txt" | grep -m1 HdrHistogram)"
    "$java" -cp "$cp" org.HdrHistogram.HistogramLogProcessor -i "$hlog" -tag "$part" -start "$from" -end "$to" \
        -outputValueUnitRatio 1 -o "$perf_work/window-$part" >/dev/null 2>&1
    perf_hgrm "$perf_work/window-$part.hgrm"
}
