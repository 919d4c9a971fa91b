#!/usr/bin/env bash
# Validates Frontier's deployment material without Docker or a cluster:
#   docker-compose.yml, deploy/docker/Dockerfile.*, .dockerignore, deploy/k8s (base + overlays).
# Prerequisites (both offline afterwards):
#   apt-get install yamllint                      # Debian package
#   (cd deploy/validate && npm ci)                # schemas, kustomize, parsers (run here if missing)
# Exits non-zero on any failure; prints every check it made.
#   deploy/validate.sh --self-test   also proves the checks bite: seeded defects in a copy of the
#                                    files must each fail the right check (slower: ~1-2 min)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/deploy/validate"
cd "$ROOT"

fail=0
echo "== yamllint (docker-compose.yml, deploy/k8s) =="
if command -v yamllint >/dev/null 2>&1; then
  if yamllint -s -f parsable -c "$TOOLS/yamllint.yaml" docker-compose.yml deploy/k8s; then
    echo "  ok    yamllint $(yamllint --version | awk '{print $2}'): no errors or warnings"
  else
    echo "  FAIL  yamllint found problems (listed above)"
    fail=1
  fi
else
  echo "  FAIL  yamllint is not installed: apt-get install yamllint"
  fail=1
fi

if ! command -v node >/dev/null 2>&1; then
  echo "FAIL: node is not installed (Node.js 18 or newer; Debian package nodejs)" >&2
  exit 1
fi
if [ ! -d "$TOOLS/node_modules" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  echo
  echo "== npm ci in deploy/validate (node_modules missing or older than package-lock.json) =="
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error)
fi

node "$TOOLS/validate.mjs" --root "$ROOT" || fail=1
if [ "${1:-}" = "--self-test" ]; then
  echo
  echo "== self-test: seeded defects must be caught =="
  node "$TOOLS/self-test.mjs" || fail=1
fi
if [ "$fail" != 0 ]; then
  echo "deploy/validate.sh: FAILED" >&2
fi
exit "$fail"
