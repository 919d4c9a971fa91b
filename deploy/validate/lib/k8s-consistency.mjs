// Relations between the rendered objects of one kustomization, and what Frontier needs from them.
import { podSpecOf } from './kustomize.mjs';
import { selectorMatches, allowed } from './netpol.mjs';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];
const component = (o) => o.metadata?.labels?.['app.kubernetes.io/component'];
const ref = (o) => `${o.kind}/${o.metadata?.name}`;

function containersOf(o) {
  const spec = podSpecOf(o);
  return spec ? [...(spec.initContainers || []), ...(spec.containers || [])] : [];
}

function secretKeys(objects, name) {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  if (secret) return new Set([...Object.keys(secret.data || {}), ...Object.keys(secret.stringData || {})]);
  const ext = objects.find((o) => o.kind === 'ExternalSecret' && (o.spec?.target?.name || o.metadata.name) === name);
  if (ext) return ext.spec.dataFrom?.length ? null : new Set((ext.spec.data || []).map((d) => d.secretKey));
  return undefined;
}

function secretValue(objects, name, key) {
  const s = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  if (!s) return undefined;
  if (s.stringData?.[key] !== undefined) return s.stringData[key];
  return s.data?.[key] !== undefined ? Buffer.from(String(s.data[key]).replace(/\s+/g, ''), 'base64').toString('utf8') : undefined;
}

/** [title, problems][] for one rendered kustomization. */
export function consistencyChecks(name, objects) {
  const out = [];
  const add = (title, problems) => out.push([title, problems.filter(Boolean)]);
  const of = (kind) => objects.filter((o) => o.kind === kind);
  const workloads = objects.filter((o) => WORKLOADS.includes(o.kind));
  const namespaces = of('Namespace').map((n) => n.metadata.name);
  const namespace = namespaces[0];

  // identity and namespaces
  const seen = new Set();
  const dupes = [];
  for (const o of objects) {
    const k = `${o.apiVersion.split('/')[0]}/${o.kind}/${o.metadata?.namespace || ''}/${o.metadata?.name}`;
    if (seen.has(k)) dupes.push(`${ref(o)} twice`);
    seen.add(k);
  }
  add(`one Namespace (${namespace}), every other object in it, no duplicates`, [
    namespaces.length === 1 ? null : `${namespaces.length} Namespace objects`,
    ...objects.filter((o) => o.kind !== 'Namespace' && o.metadata?.namespace !== namespace).map((o) => `${ref(o)} is in namespace '${o.metadata?.namespace}'`),
    ...dupes,
  ]);

  // workloads: selectors, service accounts, config and secret references
  const refs = [];
  for (const w of workloads) {
    const tmplLabels = w.spec.template?.metadata?.labels || {};
    if (!selectorMatches(w.spec.selector, tmplLabels)) refs.push(`${ref(w)}: selector does not match its pod template labels`);
    const spec = podSpecOf(w);
    if (spec.serviceAccountName && !objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === spec.serviceAccountName)) refs.push(`${ref(w)}: ServiceAccount ${spec.serviceAccountName} does not exist`);
    for (const c of containersOf(w)) {
      for (const e of c.env || []) {
        const s = e.valueFrom?.secretKeyRef;
        const m = e.valueFrom?.configMapKeyRef;
        if (s) {
          const keys = secretKeys(objects, s.name);
          if (keys === undefined) refs.push(`${ref(w)}/${c.name}: env ${e.name} reads Secret ${s.name}, which nothing provides`);
          else if (keys && !keys.has(s.key)) refs.push(`${ref(w)}/${c.name}: env ${e.name} reads key ${s.key} missing from Secret ${s.name}`);
        }
        if (m) {
          const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === m.name);
          if (!cm) refs.push(`${ref(w)}/${c.name}: env ${e.name} reads ConfigMap ${m.name}, which does not exist`);
          else if (!(m.key in (cm.data || {}))) refs.push(`${ref(w)}/${c.name}: env ${e.name} reads key ${m.key} missing from ConfigMap ${m.name}`);
        }
        const r = e.valueFrom?.resourceFieldRef;
        if (r?.containerName && !containersOf(w).some((x) => x.name === r.containerName)) refs.push(`${ref(w)}: resourceFieldRef names container ${r.containerName}`);
      }
      for (const ef of c.envFrom || []) {
        if (ef.configMapRef && !objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === ef.configMapRef.name)) refs.push(`${ref(w)}/${c.name}: envFrom ConfigMap ${ef.configMapRef.name} does not exist`);
        if (ef.secretRef && secretKeys(objects, ef.secretRef.name) === undefined) refs.push(`${ref(w)}/${c.name}: envFrom Secret ${ef.secretRef.name} does not exist`);
      }
      const ports = new Set((c.ports || []).flatMap((p) => [p.name, p.containerPort]));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (port !== undefined && !ports.has(port)) refs.push(`${ref(w)}/${c.name}: ${probe} port ${port} is not a container port`);
      }
      const mounts = new Set((spec.volumes || []).map((v) => v.name).concat((w.spec.volumeClaimTemplates || []).map((v) => v.metadata.name)));
      for (const vm of c.volumeMounts || []) if (!mounts.has(vm.name)) refs.push(`${ref(w)}/${c.name}: volumeMount ${vm.name} has no volume`);
    }
  }
  add('workloads: selectors match templates; ServiceAccounts, ConfigMap/Secret keys, probe ports and volumes exist', refs);

  // services, ingress, PDB
  const net = [];
  for (const s of of('Service')) {
    const targets = workloads.filter((w) => selectorMatches({ matchLabels: s.spec.selector }, w.spec.template.metadata.labels));
    if (targets.length === 0) { net.push(`Service/${s.metadata.name}: selector matches no workload`); continue; }
    for (const p of s.spec.ports || []) {
      const tp = p.targetPort ?? p.port;
      for (const t of targets) {
        if (!containersOf(t).some((c) => (c.ports || []).some((cp) => cp.name === tp || cp.containerPort === tp))) net.push(`Service/${s.metadata.name}: targetPort ${tp} is not a port of ${ref(t)}`);
      }
    }
  }
  for (const sts of of('StatefulSet')) if (!of('Service').some((s) => s.metadata.name === sts.spec.serviceName)) net.push(`${ref(sts)}: serviceName ${sts.spec.serviceName} has no Service`);
  for (const ing of of('Ingress')) {
    for (const rule of ing.spec.rules || []) {
      for (const p of rule.http?.paths || []) {
        const b = p.backend.service;
        const svc = of('Service').find((s) => s.metadata.name === b.name);
        if (!svc) net.push(`Ingress/${ing.metadata.name}: backend Service ${b.name} does not exist`);
        else if (!svc.spec.ports.some((sp) => sp.name === b.port.name || sp.port === b.port.number)) net.push(`Ingress/${ing.metadata.name}: Service ${b.name} has no port ${b.port.name ?? b.port.number}`);
        else if ((b.port.name ?? '') === 'management' || b.port.number === 8081) net.push(`Ingress/${ing.metadata.name}: routes to the actuator port`);
      }
    }
  }
  for (const pdb of of('PodDisruptionBudget')) if (!workloads.some((w) => selectorMatches(pdb.spec.selector, w.spec.template.metadata.labels))) net.push(`PodDisruptionBudget/${pdb.metadata.name}: selects no workload`);
  add('Services select pods and hit their ports; Ingress backends exist (never the actuator port); PDBs select workloads', net);

  // Pod Security "restricted" and resources
  const pss = [];
  for (const w of workloads) {
    const spec = podSpecOf(w);
    const podSc = spec.securityContext || {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) pss.push(`${ref(w)}: host namespaces`);
    if ((spec.volumes || []).some((v) => v.hostPath)) pss.push(`${ref(w)}: hostPath volume`);
    for (const c of containersOf(w)) {
      const sc = c.securityContext || {};
      const where = `${ref(w)}/${c.name}`;
      if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) pss.push(`${where}: runAsNonRoot is not true`);
      if ((sc.runAsUser ?? podSc.runAsUser) === 0) pss.push(`${where}: runs as uid 0`);
      if (sc.allowPrivilegeEscalation !== false) pss.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc.privileged) pss.push(`${where}: privileged`);
      if (!(sc.capabilities?.drop || []).includes('ALL')) pss.push(`${where}: capabilities do not drop ALL`);
      if ((sc.capabilities?.add || []).some((cap) => cap !== 'NET_BIND_SERVICE')) pss.push(`${where}: adds capabilities`);
      const seccomp = (sc.seccompProfile ?? podSc.seccompProfile)?.type;
      if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) pss.push(`${where}: seccompProfile is not RuntimeDefault`);
      const r = c.resources || {};
      if (!r.requests?.cpu || !r.requests?.memory) pss.push(`${where}: no cpu/memory requests`);
      if (!r.limits?.memory) pss.push(`${where}: no memory limit`);
      if (!/[:@]/.test(c.image.split('/').pop()) || /:latest$/.test(c.image)) pss.push(`${where}: image ${c.image} has no pinned tag`);
    }
  }
  add('every pod meets Pod Security "restricted"; every container has requests, a memory limit and a tagged image', pss);

  // Frontier's own requirements
  const coord = workloads.find((w) => w.kind === 'Deployment' && component(w) === 'coordinator');
  const worker = workloads.find((w) => w.kind === 'Deployment' && component(w) === 'worker');
  const agents = workloads.find((w) => w.kind === 'DaemonSet' && component(w) === 'device-agent');
  const cc = coord ? containersOf(coord)[0] : undefined;
  add('coordinator: 2+ replicas, readiness/liveness on actuator, a PDB, SPRING_DATASOURCE_* and the admin and enrollment tokens from the Secret', !coord ? ['no coordinator Deployment'] : [
    (coord.spec.replicas ?? 1) >= 2 ? null : `replicas ${coord.spec.replicas ?? 1}`,
    cc.readinessProbe?.httpGet?.path === '/actuator/health/readiness' ? null : 'readinessProbe is not /actuator/health/readiness',
    cc.livenessProbe?.httpGet?.path === '/actuator/health/liveness' ? null : 'livenessProbe is not /actuator/health/liveness',
    of('PodDisruptionBudget').some((p) => selectorMatches(p.spec.selector, coord.spec.template.metadata.labels)) ? null : 'no PodDisruptionBudget',
    ...['SPRING_DATASOURCE_URL', 'SPRING_DATASOURCE_USERNAME', 'SPRING_DATASOURCE_PASSWORD', 'FRONTIER_ADMIN_TOKEN', 'FRONTIER_WORKER_TOKEN']
      .map((k) => ((cc.env || []).some((e) => e.name === k && e.valueFrom?.secretKeyRef) ? null : `${k} does not come from a Secret`)),
  ]);

  const so = of('ScaledObject').find((s) => s.spec.scaleTargetRef.name === worker?.metadata.name);
  const trig = so?.spec.triggers.find((t) => t.type === 'postgresql');
  const ta = trig && of('TriggerAuthentication').find((t) => t.metadata.name === trig.authenticationRef?.name);
  add('workers: KEDA ScaledObject with a postgresql trigger on the task queue, its TriggerAuthentication and secret key exist, replicas left to KEDA', !worker ? ['no worker Deployment'] : [
    so ? null : 'no ScaledObject targets the worker Deployment',
    worker.spec.replicas === undefined ? null : 'the worker Deployment sets replicas, which the HPA owns',
    trig ? null : 'no postgresql trigger',
    trig && /\bFROM\s+task\b/i.test(trig.metadata.query || '') ? null : 'the trigger does not query the task table',
    trig && Number(trig.metadata.targetQueryValue) > 0 ? null : 'targetQueryValue missing',
    ta ? null : 'the trigger\'s TriggerAuthentication does not exist',
    ...(ta?.spec.secretTargetRef || []).map((s) => { const keys = secretKeys(objects, s.name); return keys === undefined ? `Secret ${s.name} does not exist` : keys && !keys.has(s.key) ? `Secret ${s.name} lacks key ${s.key}` : null; }),
    so && so.spec.maxReplicaCount >= (so.spec.minReplicaCount ?? 0) ? null : 'maxReplicaCount < minReplicaCount',
  ]);

  const agentArgs = agents ? containersOf(agents)[0].args || [] : [];
  const nodeEnv = agents ? (containersOf(agents)[0].env || []).find((e) => `$(${e.name})` === agentArgs[agentArgs.indexOf('--device') + 1]) : undefined;
  add('device agents: a DaemonSet on frontier.dev/edge-device=true nodes, --device from the node name, roles build,measure', !agents ? ['no device-agent DaemonSet'] : [
    podSpecOf(agents).nodeSelector?.['frontier.dev/edge-device'] === 'true' ? null : 'nodeSelector frontier.dev/edge-device: "true" missing',
    nodeEnv?.valueFrom?.fieldRef?.fieldPath === 'spec.nodeName' ? null : '--device is not the node name (downward API spec.nodeName)',
    agentArgs[agentArgs.indexOf('--roles') + 1] === 'build,measure' ? null : 'roles are not build,measure',
  ]);

  // traffic matrix
  const policies = of('NetworkPolicy');
  const pod = (w) => w && ({ namespace, labels: w.spec.template.metadata.labels,
    ports: Object.fromEntries(containersOf(w).flatMap((c) => (c.ports || []).filter((p) => p.name).map((p) => [p.name, p.containerPort]))) });
  const postgres = workloads.find((w) => component(w) === 'postgres');
  const ns = (n, labels = {}) => ({ namespace: n, labels });
  const dns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: {} };
  const outside = { external: true };
  const expect = [];
  const want = (yes, from, fromName, to, toName, port, protocol = 'TCP') => {
    if (!from || !to) return;
    if (allowed(policies, from, to, port, protocol) !== yes) expect.push(`${fromName} -> ${toName}:${port}/${protocol} should be ${yes ? 'allowed' : 'denied'}`);
  };
  const [c, wk, ag, pg] = [pod(coord), pod(worker), pod(agents), pod(postgres)];
  want(true, ns('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }), 'ingress controller', c, 'coordinator', 8080);
  want(false, ns('ingress-nginx'), 'ingress controller', c, 'coordinator', 8081);
  want(true, ns('monitoring'), 'monitoring', c, 'coordinator', 8081);
  want(false, ns('default'), 'another namespace', c, 'coordinator', 8080);
  want(true, wk, 'worker', c, 'coordinator', 8080);
  want(true, ag, 'device agent', c, 'coordinator', 8080);
  want(true, wk, 'worker', dns, 'kube-dns', 53, 'UDP');
  want(false, wk, 'worker', c, 'coordinator', 8081);
  want(false, wk, 'worker', outside, 'the internet', 443);
  want(false, ag, 'device agent', outside, 'the internet', 443);
  want(false, c, 'coordinator', wk, 'worker', 8080);
  want(false, ns('default'), 'another namespace', ag, 'device agent', 8080);
  if (pg) {
    want(true, c, 'coordinator', pg, 'postgres', 5432);
    want(true, ns('keda', { app: 'keda-operator' }), 'KEDA operator', pg, 'postgres', 5432);
    want(false, wk, 'worker', pg, 'postgres', 5432);
    want(false, ag, 'device agent', pg, 'postgres', 5432);
    want(false, ns('default'), 'another namespace', pg, 'postgres', 5432);
  }
  add(`NetworkPolicies give the intended traffic matrix (${policies.length} policies${pg ? ', in-cluster postgres' : ''})`, expect);

  // environment-specific shape
  if (name === 'overlays/dev') {
    const url = secretValue(objects, 'frontier-secrets', 'SPRING_DATASOURCE_URL') || '';
    const keda = secretValue(objects, 'frontier-secrets', 'KEDA_POSTGRES_CONNECTION') || '';
    const jdbcHost = url.match(/^jdbc:postgresql:\/\/([^:/]+)/)?.[1];
    const kedaHost = keda.match(/@([^:/]+)/)?.[1] || '';
    const svcNames = of('Service').map((s) => s.metadata.name);
    add('dev: in-cluster PostgreSQL (StatefulSet with a PVC template), datasource URL and KEDA connection point at its Service', [
      postgres?.kind === 'StatefulSet' ? null : 'no postgres StatefulSet',
      postgres?.spec.volumeClaimTemplates?.length ? null : 'postgres has no volumeClaimTemplates',
      svcNames.includes(jdbcHost) ? null : `SPRING_DATASOURCE_URL host '${jdbcHost}' is not a Service`,
      kedaHost === `${jdbcHost}.${namespace}.svc.cluster.local` ? null : `KEDA connects to '${kedaHost}', expected ${jdbcHost}.${namespace}.svc.cluster.local (KEDA runs in its own namespace)`,
    ]);
  }
  if (name === 'overlays/prod') {
    add('prod: external PostgreSQL, frontier-secrets from an ExternalSecret only, TLS ingress, pinned registry images', [
      postgres ? 'prod runs an in-cluster postgres' : null,
      of('Secret').some((s) => s.metadata.name === 'frontier-secrets') ? 'the placeholder Secret frontier-secrets is still rendered' : null,
      of('ExternalSecret').some((e) => (e.spec.target?.name || e.metadata.name) === 'frontier-secrets') ? null : 'no ExternalSecret produces frontier-secrets',
      of('Ingress').every((i) => i.spec.tls?.length) ? null : 'Ingress without TLS',
      workloads.flatMap(containersOf).every((x) => !/:dev$/.test(x.image)) ? null : 'dev image tags in prod',
      (coord?.spec.replicas ?? 0) >= 3 ? null : 'fewer than 3 coordinator replicas',
    ]);
  }
  return out;
}
