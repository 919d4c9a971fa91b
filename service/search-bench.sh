#!/usr/bin/env bash
# Search replay benchmark: every strategy replayed against a table of recorded trials, hypervolume
# against trials over several seeds. See service/src/test/java/dev/frontier/coordinator/search/bench/README.md.
# Usage: service/search-bench.sh --table trials.json --profile profile.json --target-ms 4 [--max-drop 1] [--seeds 10] [--trials 150]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/search-bench-classpath.txt -Dmdep.includeScope=test
exec java ${BENCH_JAVA_OPTS:-} -cp "service/target/classes:service/target/test-classes:$(cat service/target/search-bench-classpath.txt)" \
  dev.frontier.coordinator.search.bench.ReplayBenchmark "$@"
