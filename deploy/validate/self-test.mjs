// Proves the checks are not vacuous: each seeded defect, applied to a copy of the repository's
// deployment files, must make validate.mjs fail the named check (and the unmodified copy passes).
//   node self-test.mjs      (deploy/validate.sh --self-test)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from './lib/report.mjs';
import { validate } from './validate.mjs';
import { checkCompose } from './lib/compose.mjs';
import { checkDockerfiles } from './lib/dockerfiles.mjs';
import { checkKubernetes } from './lib/k8s.mjs';
import { checkDrift } from './lib/drift.mjs';

/** Only the checks that read the mutated file, to keep the run short. */
async function checksFor(file, root, report) {
  if (file === 'docker-compose.yml') { checkCompose(root, report); checkDrift(root, report); }
  else if (file.startsWith('deploy/k8s/')) { await checkKubernetes(root, report); checkDrift(root, report); }
  else checkDockerfiles(root, report);
  return report;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COPY = ['docker-compose.yml', '.dockerignore', 'frontier', 'pom.xml', 'mvnw', '.mvn', 'openapi.yaml',
  'service/pom.xml', 'worker/pom.xml', 'service/src/main', 'worker/src/main', 'deploy/docker', 'deploy/k8s'];

const MUTATIONS = [
  ['compose: an undeclared named volume', 'docker-compose.yml', '- pgdata:/var/lib', '- pgdatax:/var/lib', 'volumes declared'],
  ['compose: a malformed duration', 'docker-compose.yml', 'interval: 5s', 'interval: 5 seconds', 'compose-spec JSON schema'],
  ['compose: an unknown service key', 'docker-compose.yml', '    stop_grace_period: 40s', '    stop_grace_periods: 40s', 'compose-spec JSON schema'],
  ['compose: worker pinned to one container name', 'docker-compose.yml', '    build: *worker-build\n    image: frontier/worker:${FRONTIER_VERSION:-dev}\n    depends_on:\n      coordinator:\n        condition: service_healthy\n    environment: *worker-env\n    command: ["agent"', '    container_name: frontier-worker\n    build: *worker-build\n    image: frontier/worker:${FRONTIER_VERSION:-dev}\n    depends_on:\n      coordinator:\n        condition: service_healthy\n    environment: *worker-env\n    command: ["agent"', 'worker scalable'],
  ['compose: coordinator password differs from the database', 'docker-compose.yml', 'SPRING_DATASOURCE_PASSWORD: ${POSTGRES_PASSWORD:-frontier}', 'SPRING_DATASOURCE_PASSWORD: ${POSTGRES_PASSWORD:-other}', 'coordinator: PostgreSQL datasource'],
  ['compose: an undocumented variable', 'docker-compose.yml', 'FRONTIER_MAX_UPLOAD: ${FRONTIER_MAX_UPLOAD:-64MB}', 'FRONTIER_MAX_UPLOAD: ${FRONTIER_UPLOAD_LIMIT:-64MB}', 'documented in the header'],
  ['Dockerfile.worker: a launcher JVM flag dropped', 'deploy/docker/Dockerfile.worker', '"-XX:-DontCompileHugeMethods", ', '', 'the launcher\'s JVM flags'],
  ['Dockerfile.service: runs as root', 'deploy/docker/Dockerfile.service', 'USER 10001:10001', 'USER root', 'non-root USER'],
  ['Dockerfile.service: healthcheck on liveness only', 'deploy/docker/Dockerfile.service', '/actuator/health/readiness"', '/actuator/health/liveness"', 'HEALTHCHECK on readiness'],
  ['.dockerignore: build output sent to the daemon', '.dockerignore', '**/target/\n', '', 'small context'],
  ['k8s: a misspelled probe field', 'deploy/k8s/base/coordinator-deployment.yaml', 'readinessProbe:', 'readinesProbe:', 'no unknown fields'],
  ['k8s: a string where the API wants an integer', 'deploy/k8s/base/coordinator-deployment.yaml', 'containerPort: 8080', 'containerPort: "8080"', 'valid against'],
  ['k8s: a Service targetPort no container has', 'deploy/k8s/base/coordinator-service.yaml', 'targetPort: http', 'targetPort: htp', 'Services select pods'],
  ['k8s: privilege escalation allowed', 'deploy/k8s/base/worker-deployment.yaml', 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true', 'Pod Security'],
  ['k8s: PDB selecting nothing', 'deploy/k8s/base/coordinator-pdb.yaml', 'app.kubernetes.io/component: coordinator', 'app.kubernetes.io/component: coord', 'PDBs select'],
  ['k8s: device name not from the node', 'deploy/k8s/base/device-agent-daemonset.yaml', 'fieldPath: spec.nodeName', 'fieldPath: metadata.name', 'device agents'],
  ['k8s: workers lose DNS', 'deploy/k8s/base/networkpolicies.yaml', 'kubernetes.io/metadata.name: kube-system', 'kubernetes.io/metadata.name: kube-sys', 'traffic matrix'],
  ['k8s: worker egress unrestricted', 'deploy/k8s/base/networkpolicies.yaml', '  policyTypes:\n    - Ingress\n    - Egress\n  # no ingress rules', '  policyTypes:\n    - Ingress\n  # no ingress rules', 'traffic matrix'],
  ['k8s: postgres open to workers instead of the coordinator', 'deploy/k8s/overlays/dev/postgres.yaml', '              app.kubernetes.io/component: coordinator\n      ports:', '              app.kubernetes.io/component: worker\n      ports:', 'traffic matrix'],
  ['k8s: an overlay patch that hits nothing (kustomize skips it silently)', 'deploy/k8s/overlays/dev/kustomization.yaml', 'name: frontier-coordinator', 'name: frontier-coordinater', 'patches, images and generators'],
  ['k8s: KEDA connection in the wrong namespace', 'deploy/k8s/overlays/dev/kustomization.yaml', 'frontier-postgres.frontier-dev.svc', 'frontier-postgres.frontier.svc', 'dev: in-cluster PostgreSQL'],
  ['k8s: the placeholder Secret reaches prod', 'deploy/k8s/overlays/prod/kustomization.yaml', '      $patch: delete\n', '', 'prod: external PostgreSQL'],
  ['k8s: a Secret key nobody provides', 'deploy/k8s/overlays/prod/external-secret.yaml', 'secretKey: FRONTIER_WORKER_TOKEN', 'secretKey: FRONTIER_POOL_TOKEN', 'ConfigMap/Secret keys'],
  ['drift: KEDA query on a column the schema lacks', 'deploy/k8s/base/worker-scaledobject.yaml', "AND state IN", "AND status IN", 'KEDA query'],
  ['drift: KEDA query on a state the enum lacks', 'deploy/k8s/base/worker-scaledobject.yaml', "'QUEUED', 'LEASED'", "'PENDING', 'LEASED'", 'KEDA query'],
  ['drift: a variable the code never reads', 'deploy/k8s/base/configmap.yaml', 'FRONTIER_DB_POOL: "12"', 'FRONTIER_DB_POOL_SIZE: "12"', 'read by the code'],
  ['drift: an agent option that does not exist', 'deploy/k8s/base/worker-deployment.yaml', '"--work-dir"', '"--workdir"', 'agent options'],
];

function copyTree(dest) {
  for (const rel of COPY) {
    const src = path.join(ROOT, rel);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dest, rel), { recursive: true, filter: (p) => !/\/(node_modules|target)(\/|$)/.test(p) });
  }
}

async function run() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontier-validate-'));
  let bad = 0;
  try {
    const clean = path.join(tmp, 'clean');
    copyTree(clean);
    const baseline = await validate(clean, new Report({ quiet: true }));
    console.log(`${baseline.failed === 0 ? 'ok  ' : 'FAIL'}  unmodified copy passes (${baseline.passed} checks)`);
    if (baseline.failed) { bad++; baseline.failures.forEach((f) => console.log(`        - ${f.name}: ${f.errors[0]}`)); }
    const results = [];
    for (let i = 0; i < MUTATIONS.length; i += 4) {
      results.push(...await Promise.all(MUTATIONS.slice(i, i + 4).map(async ([name, file, from, to, expect], j) => {
        const dir = path.join(tmp, `m${i + j}`);
        copyTree(dir);
        const f = path.join(dir, file);
        const text = fs.readFileSync(f, 'utf8');
        if (!text.includes(from)) return { name, ok: false, why: `seed text not found in ${file}` };
        fs.writeFileSync(f, text.replace(from, to));
        const r = await checksFor(file, dir, new Report({ quiet: true }));
        const hit = r.failures.find((x) => x.name.includes(expect));
        return { name, ok: Boolean(hit), why: hit ? `${hit.name.slice(0, 60)}...: ${hit.errors[0]}` : `no failing check matching '${expect}' (failed: ${r.failures.map((x) => x.name).join('; ') || 'none'})` };
      })));
    }
    for (const r of results) {
      console.log(`${r.ok ? 'ok  ' : 'FAIL'}  caught: ${r.name}`);
      console.log(`        ${r.why}`);
      if (!r.ok) bad++;
    }
    console.log(`\nself-test: ${MUTATIONS.length + 1 - bad} passed, ${bad} failed`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = bad === 0 ? 0 : 1;
}

await run();
