#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them with the GC profiler (allocation per operation), writing JMH's JSON
# results to docs/jmh/ and the same as a Markdown table next to it (<name>.md).
# Usage: perf-scripts/jmh.sh [REGEX [JMH options...]]
#   perf-scripts/jmh.sh                                   every benchmark -> docs/jmh/all.json
#   perf-scripts/jmh.sh 'WindowingBenchmark|RowEncodingBenchmark' -wi 2 -w 5 -i 3 -r 5
# Environment: TALLY_BUILD_DIR (default target-jmh), JMH_JSON (default docs/jmh/<first word of REGEX>.json).
set -euo pipefail
cd "$(dirname "$0")/.."

java_major()
{
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

jdk=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_major "$JAVA_HOME")" -ge 25 ]]; then
    jdk="$JAVA_HOME"
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    jdk=/usr/lib/jvm/temurin-25-jdk-amd64
else
    echo "jmh.sh: needs JDK 25 or newer: set JAVA_HOME to one (found '${JAVA_HOME:-unset}')" >&2
    exit 1
fi
export JAVA_HOME="$jdk"

regex="${1:-.*}"
shift || true
build_dir="${TALLY_BUILD_DIR:-target-jmh}"
name="$(printf '%s' "$regex" | sed 's/[^A-Za-z0-9].*//')"
json="${JMH_JSON:-docs/jmh/${name:-all}.json}"

mvn -q -Dtally.build.dir="$build_dir" -pl jmh -am -DskipTests package
mkdir -p "$(dirname "$json")"
"$JAVA_HOME/bin/java" -jar "jmh/$build_dir/benchmarks.jar" "$regex" -prof gc -rf json -rff "$json" "$@"

# The results as a Markdown table next to the JSON (<name>.md): score, error, iterations, allocation per operation,
# collections, and the auxiliary counters (benchmark-specific, e.g. records/s of the pipeline).
python3 - "$json" > "${json%.json}.md" <<'PY'
import json, sys
def num(x):
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.1f}" if abs(x) >= 10 else f"{x:.3g}"
print("| benchmark | params | score (± 99.9 %) | iterations | gc.alloc.rate.norm (B/op) | gc.count | counters |")
print("|---|---|---|---|---:|---:|---|")
for b in json.load(open(sys.argv[1])):
    m, sec = b["primaryMetric"], b.get("secondaryMetrics", {})
    name = ".".join(b["benchmark"].split(".")[-2:])
    params = ", ".join(f"{k}={v}" for k, v in b.get("params", {}).items())
    err = m.get("scoreError")
    score = f"{num(m['score'])}" + (f" ± {num(err)}" if isinstance(err, float) and err == err else "") + f" {m['scoreUnit']}"
    its = ", ".join(num(x) for run in m.get("rawData", []) for x in run)
    alloc = sec.get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    count = sec.get("gc.count", {}).get("score", 0)
    aux = "; ".join(f"{k} {num(v['score'])} {v['scoreUnit']}" for k, v in sec.items() if not k.startswith("gc."))
    print(f"| `{name}` | {params} | {score} | {its} | {alloc:.4g} | {count:.0f} | {aux} |")
PY
cat "${json%.json}.md"
