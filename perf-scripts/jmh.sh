#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them with the GC profiler (allocation per operation), writing JMH's JSON
# results to docs/jmh/. Usage: perf-scripts/jmh.sh [REGEX [JMH options...]]
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
exec "$JAVA_HOME/bin/java" -jar "jmh/$build_dir/benchmarks.jar" "$regex" -prof gc -rf json -rff "$json" "$@"
