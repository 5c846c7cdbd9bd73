#!/usr/bin/env bash
# Rows/s of 100k-row RowBinary inserts into the local ClickHouse server (chDB behind the HTTP interface), measured
# with JMH through client-v2 as the engine inserts. Extra arguments go to JMH, e.g. -wi 1 -i 2.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
build_dir="${TALLY_BUILD_DIR:-target}"
mvn -q -Dtally.build.dir="$build_dir" -pl jmh -am -DskipTests package
exec "$JAVA_HOME/bin/java" -jar "jmh/$build_dir/benchmarks.jar" ClickHouseInsertBenchmark "$@"
