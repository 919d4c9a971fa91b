#!/usr/bin/env bash
# Lease throughput benchmark: real coordinator + embedded PostgreSQL + N simulated HTTP workers in
# one JVM capped at 512 MB heap. Prints a Markdown table (see BENCHMARK.md).
# Usage: service/bench.sh [--workers 8,32,64] [--seconds 10] [--trials 1000,100000] [--rates max,500] [--warmup 180]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "service/target/classes:service/target/test-classes:$(cat service/target/bench-classpath.txt)" \
  dev.frontier.coordinator.bench.LeaseLoadBenchmark "$@"
