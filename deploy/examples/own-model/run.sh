#!/usr/bin/env bash
# Brings a model of one's own to a running coordinator through the HTTP API only: uploads a dataset
# archive (zip of the four IDX files) and an ONNX model, measures the dense baseline (a BASELINE job),
# then searches with a latency target of TARGET_FRACTION x the baseline and prints the frontier.
# Needs curl, jq and zip. Usage:
#   FRONTIER_URL=http://localhost:8080 FRONTIER_TOKEN=... DEVICE=$(hostname) \
#     deploy/examples/own-model/run.sh MODEL.onnx [TARGET_FRACTION=0.5] [MAX_TRIALS=20] [SEED=1]
set -euo pipefail
MODEL="${1:?usage: run.sh MODEL.onnx [target-fraction] [max-trials] [seed]}"
FRACTION="${2:-0.5}"; TRIALS="${3:-20}"; SEED="${4:-1}"
URL="${FRONTIER_URL:-http://localhost:8080}"; : "${FRONTIER_TOKEN:?set FRONTIER_TOKEN (member or admin token)}"
DEVICE="${DEVICE:-$(hostname)}"
DATA_DIR="${FRONTIER_DATASETS_DIR:-/usr/share/datasets}/fashion-mnist"
AUTH=(-H "Authorization: Bearer $FRONTIER_TOKEN")
api() { local m="$1" p="$2"; shift 2; curl -fsS -X "$m" "${AUTH[@]}" "$URL/api/v1/$p" "$@"; }

device_id="$(api GET devices | jq -r --arg n "$DEVICE" '.[] | select(.name == $n) | .id' | head -1)"
[ -n "$device_id" ] || { echo "no device named '$DEVICE' is registered"; exit 2; }

name="fmnist-upload-$SEED-$$"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$DATA_DIR" && zip -q -j "$tmp/data.zip" train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz \
  t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
api POST datasets/upload -F "file=@$tmp/data.zip" -F "name=$name" -F kind=idx >/dev/null
echo "uploaded dataset $name ($(stat -c %s "$tmp/data.zip") bytes)"
model_id="$(api POST models -F "file=@$MODEL" -F "name=$(basename "$MODEL" .onnx)" -F format=onnx \
  -F inputShape=1,28,28 -F "dataset=$name" | jq -r .id)"
echo "uploaded model $model_id"

follow() {
  local job="$1" state
  while true; do
    j="$(api GET "jobs/$1")"; state="$(jq -r .state <<<"$j")"
    echo "  $(date -u +%T) $state $(jq -c '.progress | {stage, done, running, queued, failed, noUsefulTrial}' <<<"$j")"
    case "$state" in COMPLETED|FAILED|CANCELLED) break ;; esac
    sleep 15
  done
}

job() { api POST jobs -H 'Content-Type: application/json' -d "$1" | jq -r .id; }
base_job="$(job "$(jq -n --arg m "$model_id" --arg d "$device_id" --argjson s "$SEED" \
  '{modelId:$m, deviceIds:[$d], latencyTargetMs:1e9, maxAccuracyDrop:1.0, purpose:"BASELINE", strategy:"random",
    seed:$s, budget:{maxTrials:1}, fidelity:{min:0, max:0}}')")"
echo "baseline job $base_job"; follow "$base_job"
base_ms="$(api GET "jobs/$base_job/frontier" | jq -r '.devices[0].recommended.latencyMs')"
target="$(jq -n --argjson b "$base_ms" --argjson f "$FRACTION" '$b * $f')"
echo "baseline latency $base_ms ms -> target $target ms"

search="$(job "$(jq -n --arg m "$model_id" --arg d "$device_id" --argjson t "$target" --argjson n "$TRIALS" --argjson s "$SEED" \
  '{modelId:$m, deviceIds:[$d], latencyTargetMs:$t, maxAccuracyDrop:1.5, seed:$s, budget:{maxTrials:$n},
    fidelity:{min:0.1, max:0.3, final:1.0, polishTop:2}}')")"
echo "search job $search"; follow "$search"
api GET "jobs/$search/frontier" | jq '{baselineAccuracy, baselineValidationAccuracy, accuracyFloor, usefulnessFloor,
  device: .devices[0] | {noUsefulTrial, bestEffort, hypervolume,
    recommended: (.recommended | if . then {seq, accuracy, validationAccuracy, latencyMs, stage, config} else null end),
    points: [.points[] | {seq, accuracy, validationAccuracy, latencyMs, stage, useful}]}}'
