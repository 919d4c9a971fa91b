#!/usr/bin/env bash
# ./frontier demo: coordinator (embedded PostgreSQL) + one local worker in the background, then a
# search on the shipped demo model. Leaves both running; './frontier stop' stops them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${FRONTIER_DATA_DIR:?}" "${SERVER_PORT:?}"
RUN_DIR="$FRONTIER_DATA_DIR/run"
mkdir -p "$RUN_DIR"
URL="http://localhost:$SERVER_PORT"
DEVICE="${FRONTIER_DEVICE:-$(hostname)}"
DATASET_DIR="${FRONTIER_DATASETS_DIR:-/usr/share/datasets}"

if [ ! -f "$DATASET_DIR/fashion-mnist/t10k-images-idx3-ubyte.gz" ]; then
  echo "Fashion-MNIST is missing; installing Debian's dataset-fashion-mnist ..."
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq dataset-fashion-mnist >/dev/null
  else sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null; fi
fi

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

if alive service; then
  echo "coordinator already running (pid $(cat "$RUN_DIR/service.pid"))"
else
  echo "starting coordinator on $URL (data in $FRONTIER_DATA_DIR, log $RUN_DIR/service.log)"
  nohup "$ROOT/frontier" service >"$RUN_DIR/service.log" 2>&1 &
  echo $! >"$RUN_DIR/service.pid"
fi
for i in $(seq 1 180); do
  if curl -fsS "$URL/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
  if ! alive service; then echo "coordinator failed to start; last log lines:"; tail -30 "$RUN_DIR/service.log"; exit 1; fi
  sleep 1
  [ "$i" = 180 ] && { echo "coordinator not healthy after 180 s"; exit 1; }
done

# the demo acts as the admin: FRONTIER_ADMIN_TOKEN when set, else the token the coordinator generated
# at its first start (printed once, and kept owner-only in $FRONTIER_DATA_DIR/admin-token)
if [ -n "${FRONTIER_ADMIN_TOKEN:-}" ]; then
  FRONTIER_TOKEN="$FRONTIER_ADMIN_TOKEN"
elif [ -z "${FRONTIER_TOKEN:-}" ]; then
  for _ in $(seq 1 60); do [ -s "$FRONTIER_DATA_DIR/admin-token" ] && break; sleep 0.5; done
  [ -s "$FRONTIER_DATA_DIR/admin-token" ] || { echo "no admin token: set FRONTIER_ADMIN_TOKEN or FRONTIER_TOKEN"; exit 1; }
  FRONTIER_TOKEN="$(cat "$FRONTIER_DATA_DIR/admin-token")"
fi
export FRONTIER_TOKEN

if alive worker; then
  echo "worker already running (pid $(cat "$RUN_DIR/worker.pid"))"
else
  echo "starting worker for device '$DEVICE' (log $RUN_DIR/worker.log)"
  nohup "$ROOT/frontier" worker agent --coordinator "$URL" --device "$DEVICE" --roles build,measure \
    --work-dir "$FRONTIER_DATA_DIR/worker" >"$RUN_DIR/worker.log" 2>&1 &
  echo $! >"$RUN_DIR/worker.pid"
fi

"$ROOT/frontier" worker demo --coordinator "$URL" --device "$DEVICE" "$@"
echo
echo "coordinator and worker keep running in the background; './frontier stop' stops them."
echo "the dashboard asks for a token: the admin token is in $FRONTIER_DATA_DIR/admin-token (or your FRONTIER_ADMIN_TOKEN)"
