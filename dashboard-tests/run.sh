#!/usr/bin/env bash
# Browser tests of the web dashboard, in one command: starts the real coordinator jar on a free port
# with a fresh data dir (embedded PostgreSQL), seeds UI fixtures through the public API, runs the
# headless-Chromium tests (test.mjs), stops the coordinator. Exit status is non-zero on any failure.
#
# Environment:
#   FRONTIER_SERVICE_JAR           jar to run (default: service/target/frontier-service.jar; built when missing
#                                  or older than the dashboard sources)
#   DASHBOARD_STATIC_FROM_SOURCE=1 serve the dashboard straight from service/src/main/resources/static
#                                  instead of the jar's copy (fast edit-test loop, no rebuild)
#   DASHBOARD_TEST_FILTER=text     run only the tests whose name contains text
#   CHROMIUM_PATH                  browser binary (default /usr/bin/chromium; never downloaded)
# Artifacts (screenshots at laptop and phone width, junit.xml, coordinator.log): dashboard-tests/artifacts/
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ART="${DASHBOARD_ARTIFACTS:-$HERE/artifacts}"
STATIC="$ROOT/service/src/main/resources/static"
JAR="${FRONTIER_SERVICE_JAR:-$ROOT/service/target/frontier-service.jar}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH DASHBOARD_ARTIFACTS="$ART"

log() { printf '[dashboard-tests] %s\n' "$*"; }

command -v node >/dev/null || { log "node (>= 20) is required"; exit 2; }
command -v java >/dev/null || { log "java is required"; exit 2; }
[ -x "$CHROMIUM_PATH" ] || { log "no browser at $CHROMIUM_PATH (apt-get install chromium)"; exit 2; }

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  log "npm ci"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -z "${FRONTIER_SERVICE_JAR:-}" ]; then
  stale=""
  [ -f "$JAR" ] || stale="missing"
  if [ -z "$stale" ] && [ "${DASHBOARD_STATIC_FROM_SOURCE:-0}" != 1 ] && [ -n "$(find "$STATIC" -newer "$JAR" -type f -print -quit)" ]; then
    stale="older than the dashboard sources"
  fi
  if [ -n "$stale" ]; then
    log "coordinator jar $stale: building (./mvnw -q -B -pl service package -DskipTests)"
    (cd "$ROOT" && ./mvnw -q -B -pl service package -DskipTests)
  fi
fi
[ -f "$JAR" ] || { log "no coordinator jar at $JAR"; exit 2; }

rm -rf "$ART" && mkdir -p "$ART"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/frontier-dash-data.XXXXXX")"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"
JAVA_PID=""

cleanup() {
  local rc=$?
  if [ -n "$JAVA_PID" ] && kill -0 "$JAVA_PID" 2>/dev/null; then
    kill "$JAVA_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$JAVA_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$JAVA_PID" 2>/dev/null || true
  fi
  # the embedded PostgreSQL of this run lives in our own temp dir: stop it if the JVM could not
  for pid in $(pgrep -f -- "$DATA_DIR" 2>/dev/null || true); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$DATA_DIR"
  exit "$rc"
}
trap cleanup EXIT INT TERM

extra=()
if [ "${DASHBOARD_STATIC_FROM_SOURCE:-0}" = 1 ]; then
  extra+=("--spring.web.resources.static-locations=file:$STATIC/")
  log "serving the dashboard from $STATIC"
fi
log "starting coordinator $JAR on port $PORT (data in $DATA_DIR)"
# plain console logs into the artifacts; a fast search step keeps the fixture job short
env -u FRONTIER_TOKEN -u FRONTIER_ADMIN_TOKEN FRONTIER_DATA_DIR="$DATA_DIR" SERVER_PORT="$PORT" FRONTIER_SEARCH_STEP=200ms \
  java -Xmx512m -jar "$JAR" --logging.structured.format.console= "${extra[@]}" >"$ART/coordinator.log" 2>&1 &
JAVA_PID=$!

for i in $(seq 1 180); do
  if ! kill -0 "$JAVA_PID" 2>/dev/null; then
    log "coordinator exited during start-up; last log lines:"; tail -40 "$ART/coordinator.log"; exit 1
  fi
  if curl -fsS "$BASE/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
  [ "$i" = 180 ] && { log "coordinator not healthy after 180 s"; tail -40 "$ART/coordinator.log"; exit 1; }
  sleep 1
done
log "coordinator up after ~${i} s"
# first start: the coordinator generated an admin token and left it (owner-only) in its data dir
for _ in $(seq 1 60); do [ -s "$DATA_DIR/admin-token" ] && break; sleep 0.5; done
[ -s "$DATA_DIR/admin-token" ] || { log "the coordinator wrote no $DATA_DIR/admin-token"; exit 1; }
DASHBOARD_TOKEN="$(cat "$DATA_DIR/admin-token")"
export DASHBOARD_TOKEN

set +e
DASHBOARD_BASE_URL="$BASE" node "$HERE/test.mjs"
rc=$?
set -e
if [ "$rc" != 0 ]; then
  log "FAILED (exit $rc); coordinator log tail:"; tail -25 "$ART/coordinator.log"
fi
log "artifacts in $ART"
exit "$rc"
