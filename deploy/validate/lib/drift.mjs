// The deployment files name things that live in the code: the task table the autoscaler counts,
// the enum values it filters on, environment variables, agent options, actuator endpoints. These
// checks read the code so that a rename there fails here instead of in a cluster.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readYamlDocuments } from './yaml-files.mjs';

function filesUnder(dir, test, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, test, out); else if (test(p)) out.push(p);
  }
  return out;
}

/** Columns per table after applying the Flyway migrations in version order. */
export function schemaFromMigrations(dir) {
  const version = (f) => (path.basename(f).match(/^V([0-9_.]+)__/)?.[1] || '0').split(/[._]/).map(Number);
  const cmp = (a, b) => { const x = version(a); const y = version(b); for (let i = 0; i < Math.max(x.length, y.length); i++) { const d = (x[i] || 0) - (y[i] || 0); if (d) return d; } return 0; };
  const files = filesUnder(dir, (p) => /\/V[^/]*__[^/]*\.sql$/.test(p)).sort(cmp);
  const tables = new Map();
  for (const f of files) {
    const sql = fs.readFileSync(f, 'utf8').replace(/--[^\n]*/g, '');
    for (const m of sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?\s*\(([\s\S]*?)\)\s*;/gi)) {
      const cols = new Set();
      let depth = 0; let part = '';
      const parts = [];
      for (const ch of m[2]) {
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (ch === ',' && depth === 0) { parts.push(part); part = ''; } else part += ch;
      }
      parts.push(part);
      for (const p of parts) {
        const word = p.trim().split(/\s+/)[0]?.replace(/"/g, '');
        if (word && !/^(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|EXCLUDE|LIKE)$/i.test(word)) cols.add(word.toLowerCase());
      }
      tables.set(m[1].toLowerCase(), cols);
    }
    for (const m of sql.matchAll(/ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?"?(\w+)"?\s+([\s\S]*?);/gi)) {
      const cols = tables.get(m[1].toLowerCase());
      if (!cols) continue;
      for (const a of m[2].matchAll(/ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi)) if (!/^(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK)$/i.test(a[1])) cols.add(a[1].toLowerCase());
      for (const a of m[2].matchAll(/DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?"?(\w+)"?/gi)) cols.delete(a[1].toLowerCase());
      for (const a of m[2].matchAll(/RENAME\s+(?:COLUMN\s+)?"?(\w+)"?\s+TO\s+"?(\w+)"?/gi)) { cols.delete(a[1].toLowerCase()); cols.add(a[2].toLowerCase()); }
    }
    for (const m of sql.matchAll(/DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?(\w+)"?/gi)) tables.delete(m[1].toLowerCase());
  }
  return { files, tables };
}

function javaEnum(root, name) {
  const f = filesUnder(path.join(root, 'service/src/main/java'), (p) => p.endsWith(`/${name}.java`))[0];
  if (!f) return undefined;
  const body = fs.readFileSync(f, 'utf8').match(/enum\s+\w+\s*\{([^;}]*)/)?.[1] || '';
  return new Set(body.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').split(',').map((s) => s.trim().match(/^[A-Z][A-Z0-9_]*/)?.[0]).filter(Boolean));
}

export function checkDrift(root, report) {
  report.section('deployment files against the code (schema, enums, variables, options, actuator)');

  // 1. the autoscaler's query
  const queries = filesUnder(path.join(root, 'deploy/k8s'), (p) => /\.ya?ml$/.test(p))
    .flatMap((f) => readYamlDocuments(f).docs).filter((o) => o?.kind === 'ScaledObject')
    .flatMap((o) => o.spec.triggers.filter((t) => t.type === 'postgresql').map((t) => t.metadata.query));
  const { files, tables } = schemaFromMigrations(path.join(root, 'service/src/main/resources/db/migration'));
  if (files.length === 0) {
    report.note('no Flyway migrations in service/src/main/resources/db/migration: the KEDA query was not checked against the schema');
  } else {
    const problems = [];
    for (const q of queries) {
      const table = q.match(/\bFROM\s+"?(\w+)"?/i)?.[1]?.toLowerCase();
      const cols = tables.get(table);
      if (!cols) { problems.push(`table '${table}' is not created by the migrations`); continue; }
      const idents = [...q.replace(/'[^']*'/g, "''").matchAll(/\b([a-z_][a-z0-9_]*)\s*(?:IN\s*\(|=|<>|!=|IS\b|>|<)/gi)].map((m) => m[1].toLowerCase());
      for (const c of idents) if (!cols.has(c)) problems.push(`column ${table}.${c} does not exist (columns: ${[...cols].join(', ')})`);
      for (const m of q.matchAll(/\b([a-z_]+)\s*(?:IN\s*\(([^)]*)\)|=\s*('[^']*'))/gi)) {
        const col = m[1].toLowerCase();
        const values = [...(m[2] || m[3]).matchAll(/'([^']*)'/g)].map((v) => v[1]);
        const enumName = `${table[0].toUpperCase()}${table.slice(1)}${col[0].toUpperCase()}${col.slice(1)}`;
        const constants = javaEnum(root, enumName);
        if (!constants) { report.note(`no Java enum ${enumName}: values of ${table}.${col} in the KEDA query not checked`); continue; }
        for (const v of values) if (!constants.has(v)) problems.push(`${table}.${col} = '${v}' is not a ${enumName} constant (${[...constants].join(', ')})`);
      }
    }
    report.check(`KEDA query (${queries.length}) names a table, columns and enum values that exist (Flyway: ${files.map((f) => path.basename(f)).join(', ')})`, queries.length ? problems : 'no postgresql trigger query found');
  }

  // 2. environment variables
  const names = new Set();
  const compose = readYamlDocuments(path.join(root, 'docker-compose.yml')).docs[0] || {};
  for (const s of Object.values(compose.services || {})) Object.keys(Array.isArray(s.environment) ? {} : s.environment || {}).forEach((n) => names.add(n));
  for (const f of filesUnder(path.join(root, 'deploy/k8s'), (p) => /\.ya?ml$/.test(p))) {
    for (const o of readYamlDocuments(f).docs) {
      if (o?.kind === 'ConfigMap') Object.keys(o.data || {}).forEach((n) => names.add(n));
      const spec = o?.spec?.template?.spec;
      for (const c of spec?.containers || []) (c.env || []).forEach((e) => names.add(e.name));
    }
  }
  for (const f of filesUnder(path.join(root, 'deploy/docker'), (p) => /Dockerfile/.test(p))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/\b(FRONTIER_[A-Z0-9_]+)\b/g)) names.add(m[1]);
  }
  const code = [
    ...filesUnder(path.join(root, 'service/src/main'), (p) => /\.(java|ya?ml|properties)$/.test(p)),
    ...filesUnder(path.join(root, 'worker/src/main'), (p) => /\.(java|ya?ml|properties)$/.test(p)),
    path.join(root, 'frontier'),
  ].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const frontierVars = [...names].filter((n) => n.startsWith('FRONTIER_')).sort();
  report.check(`FRONTIER_* variables set by the deployment files are read by the code (${frontierVars.join(', ')})`,
    frontierVars.filter((n) => !code.includes(n)).map((n) => `${n} is set but nothing in service/, worker/ or ./frontier reads it`));

  // 3. agent options
  const agentFile = filesUnder(path.join(root, 'worker/src/main/java'), (p) => p.endsWith('/AgentCommand.java'))[0];
  if (!agentFile) report.note('worker AgentCommand.java not found: agent options not checked');
  else {
    const known = new Set([...fs.readFileSync(agentFile, 'utf8').matchAll(/args\.(?:string|integer|flag|bool\w*|list)\("([a-z-]+)"/g)].map((m) => `--${m[1]}`));
    const used = new Set();
    for (const s of Object.values(compose.services || {})) if (Array.isArray(s.command) && s.command[0] === 'agent') s.command.filter((a) => String(a).startsWith('--')).forEach((a) => used.add(a));
    for (const f of filesUnder(path.join(root, 'deploy/k8s'), (p) => /\.ya?ml$/.test(p))) {
      for (const o of readYamlDocuments(f).docs) for (const c of o?.spec?.template?.spec?.containers || []) if ((c.args || [])[0] === 'agent') c.args.filter((a) => a.startsWith('--')).forEach((a) => used.add(a));
    }
    for (const f of filesUnder(path.join(root, 'deploy/docker'), (p) => /Dockerfile/.test(p))) {
      const cmd = fs.readFileSync(f, 'utf8').match(/^CMD\s+(\[.*\])/m);
      if (cmd) JSON.parse(cmd[1]).filter((a) => a.startsWith('--')).forEach((a) => used.add(a));
    }
    report.check(`agent options used (${[...used].sort().join(' ')}) exist in the worker's AgentCommand`, [...used].filter((o) => !known.has(o)).map((o) => `${o} is not an agent option`));
  }

  // 4. actuator
  const appYml = path.join(root, 'service/src/main/resources/application.yml');
  if (!fs.existsSync(appYml)) report.note('service application.yml not found: actuator settings not checked');
  else {
    const app = parseYaml(fs.readFileSync(appYml, 'utf8')) || {};
    const include = String(app.management?.endpoints?.web?.exposure?.include || '').split(',').map((s) => s.trim());
    report.check('application.yml: health probes enabled, health and prometheus exposed, Hikari pool from FRONTIER_DB_POOL', [
      app.management?.endpoint?.health?.probes?.enabled === true ? null : 'management.endpoint.health.probes.enabled is not true (no /actuator/health/readiness, /liveness)',
      include.includes('health') || include.includes('*') ? null : 'health endpoint not exposed',
      include.includes('prometheus') || include.includes('*') ? null : 'prometheus endpoint not exposed (pods are annotated for scraping)',
      String(app.spring?.datasource?.hikari?.['maximum-pool-size'] || '').includes('FRONTIER_DB_POOL') ? null : 'spring.datasource.hikari.maximum-pool-size does not read FRONTIER_DB_POOL',
    ].filter(Boolean));
  }
}
