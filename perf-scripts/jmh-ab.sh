#!/usr/bin/env bash
# Before/after JMH runs for a shared, noisy machine: builds a base revision and the working tree, then runs the same
# benchmarks alternately (base, head, base, head, ...) so that both see the same machine state, with the GC
# profiler, and writes JMH's JSON per run, the load average at the start of each, and a one-line summary per result.
#   perf-scripts/jmh-ab.sh BASE ROUNDS REGEX [JMH options...]
#   perf-scripts/jmh-ab.sh 3df3ca5 2 WindowingBenchmark -f 1 -wi 2 -w 3 -i 3 -r 3
#   perf-scripts/jmh-ab.sh 3df3ca5 2 PipelineBenchmark -p keys=hot -f 1 -wi 2 -w 3 -i 3 -r 3
# Output: docs/jmh/ab/<first word of REGEX>/{base,head}-r<N>.json and load.txt (AB_OUT overrides the folder);
# JMH's console output in target-ab/<first word>-{base,head}-r<N>.log.
# The base is built from `git archive BASE` under target-ab/<revision>/ (ignored by git), the head into target-jmh.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -ge 3 ]] || { echo "usage: $0 BASE ROUNDS REGEX [JMH options...]" >&2; exit 2; }
base="$(git rev-parse --short "$1")"
rounds="$2"
regex="$3"
shift 3
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]' ||
    { echo "jmh-ab.sh: needs JDK 25 or newer in JAVA_HOME (found '$JAVA_HOME')" >&2; exit 1; }
name="$(printf '%s' "$regex" | sed 's/[^A-Za-z0-9].*//')"
out="${AB_OUT:-docs/jmh/ab/${name:-all}}"

base_src="target-ab/$base"
if [[ ! -f "$base_src/jmh/target-jmh/benchmarks.jar" ]]; then
    rm -rf "$base_src"
    mkdir -p "$base_src"
    git archive "$base" | tar -x -C "$base_src"
    (cd "$base_src" && mvn -q -Dtally.build.dir=target-jmh -pl jmh -am -DskipTests package)
fi
mvn -q -Dtally.build.dir=target-jmh -pl jmh -am -DskipTests package

mkdir -p "$out"
: > "$out/load.txt"
for ((r = 1; r <= rounds; r++)); do
    for side in base head; do
        jar="jmh/target-jmh/benchmarks.jar"
        [[ "$side" == base ]] && jar="$base_src/$jar"
        echo "$side-r$r ($([[ "$side" == base ]] && echo "$base" || echo "working tree on $(git rev-parse --short HEAD)")):$(uptime)" |
            tee -a "$out/load.txt"
        log="target-ab/$name-$side-r$r.log"
        "$JAVA_HOME/bin/java" -jar "$jar" "$regex" -prof gc -rf json -rff "$out/$side-r$r.json" "$@" > "$log" 2>&1 ||
            { echo "jmh-ab.sh: $side-r$r failed, see $log" >&2; exit 1; }
    done
done
echo "uptime at the end:$(uptime)" | tee -a "$out/load.txt"

python3 - "$out" <<'EOF'
import glob, json, os, sys
results = [(path, b) for path in sorted(glob.glob(os.path.join(sys.argv[1], '*-r*.json'))) for b in json.load(open(path))]
# Name only the parameters that differ between results; print auxiliary counters (not the GC profiler's) too.
varying = {k for _, b in results for k in b.get('params', {})
           if len({r.get('params', {}).get(k) for _, r in results}) > 1}
for path, b in results:
    m = b['primaryMetric']
    params = ','.join(f'{k}={v}' for k, v in b.get('params', {}).items() if k in varying)
    iterations = ', '.join(f'{x:.1f}' for run in m['rawData'] for x in run)
    secondary = b.get('secondaryMetrics', {})
    alloc = secondary.get('gc.alloc.rate.norm', {}).get('score', float('nan'))
    aux = ' '.join(f"{k.split(':')[-1]}={v['score']:.1f}" for k, v in secondary.items() if not k.startswith('gc.'))
    print(f"{os.path.basename(path):12} {b['benchmark'].rsplit('.', 2)[-2]:22} {params:12} "
          f"{m['score']:14.1f} {m['scoreUnit']:6} [{iterations}] {alloc:.4f} B/op {aux}")
EOF
