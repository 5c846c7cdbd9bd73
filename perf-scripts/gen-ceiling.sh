#!/usr/bin/env bash
# The generator's ceiling: events/s from `./tally gen --rate 0` into a running local stack (1 broker), with
# 256-byte binary events, lz4, acks=all, idempotence on. It starts nothing itself: run `./tally stack up`
# first, or pass --bootstrap HOST:PORT. It also prints the generator's ceiling without Kafka (--dry-run).
#
#   perf-scripts/gen-ceiling.sh [--bootstrap 127.0.0.1:19092] [--events 5000000] [--partitions 8]
set -euo pipefail

bootstrap=127.0.0.1:19092
events=5000000
partitions=8
while [[ $# -gt 0 ]]; do
    case "$1" in
        --bootstrap) bootstrap="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        *) echo "usage: $0 [--bootstrap HOST:PORT] [--events N] [--partitions N]" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
topic="gen-ceiling-$(date +%s)"
echo "== generator alone (--dry-run), 256-byte events"
"$root/tally" gen --dry-run --events "$events" --min-size 256 --max-size 256
echo "== into Kafka at $bootstrap, topic $topic ($partitions partitions), 256-byte events, --rate 0"
"$root/tally" gen --bootstrap "$bootstrap" --topic "$topic" --partitions "$partitions" \
    --rate 0 --events "$events" --min-size 256 --max-size 256 --seed 1 --progress-interval 5s
