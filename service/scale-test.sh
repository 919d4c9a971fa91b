#!/usr/bin/env bash
# Scale test (loopback only, a few minutes): PostgreSQL, two coordinator replicas (the real jar) on one
# database, and simulated workers in a load-generator JVM spread over both, in steps of growing worker
# counts. Prints a throughput/latency table, then checks the database against what the workers saw (no
# task leased twice at once, no acknowledged result lost or stored twice, every trial accounted for).
# It measures the coordinators and PostgreSQL: the workers' results are synthetic. See service/BENCHMARK.md.
#
# Usage: service/scale-test.sh [--steps 1,4,16,32,64] [--seconds 20] [--warmup 180] [--replicas 2] [--abandon 0.002] [--keep] [--no-build]
# PostgreSQL: Debian's server (initdb + pg_ctl in a temp dir) when installed, else the embedded
# (zonky) binaries run as a separate server. Access as in production: the coordinators get an admin
# token and an enrollment token (FRONTIER_ADMIN_TOKEN / FRONTIER_WORKER_TOKEN, random unless set);
# the load generator creates jobs as admin, and each simulated worker enrols and then uses the
# worker token its registration returned. SCALE_COORDINATOR_OPTS adds JVM options to the coordinators (%i = replica
# number), e.g. "-XX:StartFlightRecording=filename=/tmp/c%i.jfr".
set -euo pipefail
SCALE_COORDINATOR_OPTS=${SCALE_COORDINATOR_OPTS:-}
cd "$(dirname "$0")/.."

STEPS=1,4,16,32,64 SECONDS_PER_STEP=20 WARMUP=180 REPLICAS=2 ABANDON=0.002 KEEP=0 BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS=$2; shift 2 ;;
    --seconds) SECONDS_PER_STEP=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --replicas) REPLICAS=$2; shift 2 ;;
    --abandon) ABANDON=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/frontier-scale.XXXXXX)
chmod 755 "$WORK" # the postgres user must reach its data directory inside
PIDS=()
PG_BIN= PG_DATA= PG_PID=
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$PG_BIN" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# PostgreSQL refuses to run as root: as root, run its tools as the postgres user
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$BUILD" = 1 ] || [ ! -f service/target/frontier-service.jar ] || [ ! -f service/target/bench-classpath.txt ]; then
  echo "building (jar, test classes, classpath)..." >&2
  ./mvnw -q -B -pl service -am package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
  ./mvnw -q -B -pl service test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
fi
CP="service/target/classes:service/target/test-classes:$(cat service/target/bench-classpath.txt)"

PG_PORT=$(free_port)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; then
  PG_DATA="$WORK/pg/data"
  mkdir -p "$WORK/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$WORK/pg"; }
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1 \
    || { tail -5 "$WORK/initdb.log"; exit 1; }
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c max_connections=100" start >/dev/null \
    || { tail -20 "$WORK/pg/server.log"; exit 1; }
  PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
  PG_KIND="Debian PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"
else
  PG_BIN=
  java -cp "$CP" dev.frontier.coordinator.bench.StandalonePostgres "$WORK/pg" "$PG_PORT" >"$WORK/pg.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 120); do grep -q '^ready' "$WORK/pg.log" && break; sleep 1; done
  grep -q '^ready' "$WORK/pg.log" || { cat "$WORK/pg.log"; exit 1; }
  PG_PID=$(head -1 "$WORK/pg/pg/postmaster.pid")
  PG_KIND="embedded PostgreSQL (zonky) as a separate server"
fi
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
export FRONTIER_ADMIN_TOKEN=${FRONTIER_ADMIN_TOKEN:-frt_scale-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
export FRONTIER_WORKER_TOKEN=${FRONTIER_WORKER_TOKEN:-frt_scale-enrol-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

COORDINATORS=() COORD_PIDS=()
for i in $(seq "$REPLICAS"); do
  port=$(free_port)
  # one replica at a time: the first applies the Flyway migrations
  SERVER_PORT=$port SPRING_DATASOURCE_URL=$DB_URL SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= \
    FRONTIER_DATA_DIR="$WORK/coordinator-$i" FRONTIER_SEARCH_STEP=${FRONTIER_SEARCH_STEP:-500ms} \
    FRONTIER_MAX_IN_FLIGHT=${FRONTIER_MAX_IN_FLIGHT:-32} FRONTIER_LEASE_TTL=${FRONTIER_LEASE_TTL:-10s} \
    FRONTIER_REAP_INTERVAL=${FRONTIER_REAP_INTERVAL:-2s} FRONTIER_LOG_FORMAT= \
    java -Xmx512m ${SCALE_COORDINATOR_OPTS//%i/$i} -jar service/target/frontier-service.jar >"$WORK/coordinator-$i.log" 2>&1 &
  PIDS+=($!) COORD_PIDS+=($!)
  for _ in $(seq 180); do
    curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -50 "$WORK/coordinator-$i.log"; exit 1; }
    sleep 1
  done
  curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null || { tail -50 "$WORK/coordinator-$i.log"; exit 1; }
  COORDINATORS+=("http://127.0.0.1:$port")
done

echo "machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/'); $PG_KIND on port $PG_PORT"
echo "coordinators: ${COORDINATORS[*]} (java -Xmx512m -jar service/target/frontier-service.jar, lease TTL ${FRONTIER_LEASE_TTL:-10s})"
java -Xmx256m -cp "$CP" dev.frontier.coordinator.bench.ScaleLoadGenerator \
  --coordinators "$(IFS=,; echo "${COORDINATORS[*]}")" --database-url "$DB_URL" \
  --steps "$STEPS" --seconds "$SECONDS_PER_STEP" --warmup "$WARMUP" --abandon "$ABANDON" \
  --pids "$(IFS=,; echo "${COORD_PIDS[*]}")" --postgres-pid "$PG_PID" &
# in the background and waited for, so an interrupt runs the cleanup at once
PIDS+=($!)
wait $!
