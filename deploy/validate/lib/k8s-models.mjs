// Kubernetes objects against the schemas published on npm: kubernetes-models (core API) and
// @kubernetes-models/{keda,external-secrets} (CRDs). Their validate() checks types, enums and
// required fields but, like the API's OpenAPI schema, lets unknown fields through; the API server
// rejects those (kubectl's default strict field validation), so unknown fields are found here from
// the same packages' TypeScript declarations.
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);

const CRD_PACKAGES = {
  'keda.sh': '@kubernetes-models/keda',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

export function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (CRD_PACKAGES[group]) return `${CRD_PACKAGES[group]}/${group}/${version}/${kind}`;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

const id = (o) => `${o.kind}/${o.metadata?.name}`;

/** Schema validation of one object; returns a list of problems. */
export function validateModel(obj) {
  if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) return ['not a Kubernetes object (apiVersion and kind needed)'];
  let Model;
  try {
    Model = require(modelModule(obj.apiVersion, obj.kind))[obj.kind];
  } catch {
    return [`${id(obj)}: no schema for ${obj.apiVersion} ${obj.kind} in the installed model packages`];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${id(obj)}: ${e.message}`];
  }
}

/**
 * Unknown-field checker over the packages' .d.ts interfaces (I<Kind>), built once for all the
 * kinds given. Walks each object beside its declared type: properties, arrays (number index) and
 * maps (string index); stops at any/unknown (free-form fields).
 */
const checkers = new Map();

export function strictFieldChecker(kinds) {
  const entries = [...new Map(kinds.map((k) => [`${k.apiVersion} ${k.kind}`, { apiVersion: k.apiVersion, kind: k.kind }])).values()]
    .sort((a, b) => `${a.apiVersion} ${a.kind}`.localeCompare(`${b.apiVersion} ${b.kind}`));
  const key = entries.map((k) => `${k.apiVersion} ${k.kind}`).join('|');
  if (!checkers.has(key)) checkers.set(key, buildChecker(entries));
  return checkers.get(key);
}

function buildChecker(entries) {
  const base = path.dirname(require.resolve('kubernetes-models/package.json'));
  const rootFile = path.join(path.dirname(path.dirname(base)), '__frontier_kinds__.ts');
  const source = entries.map((k, i) => `export type T${i} = import(${JSON.stringify(modelModule(k.apiVersion, k.kind))}).I${k.kind};`).join('\n');
  const options = { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, skipLibCheck: true, noEmit: true, types: [], lib: ['lib.es2020.d.ts'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => (path.resolve(name) === rootFile ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === rootFile || fileExists(name);
  const program = ts.createProgram([rootFile], options, host);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(rootFile);
  const types = new Map();
  const setupErrors = [];
  sf.statements.forEach((st, i) => {
    const t = checker.getTypeAtLocation(st.name);
    const k = entries[i];
    if (t.flags & ts.TypeFlags.Any) setupErrors.push(`no TypeScript declaration I${k.kind} in ${modelModule(k.apiVersion, k.kind)}`);
    else types.set(`${k.apiVersion} ${k.kind}`, t);
  });

  const walk = (value, type, where, errors) => {
    if (value === null || typeof value !== 'object') return;
    const t = checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
      if (element) value.forEach((v, i) => walk(v, element, `${where}[${i}]`, errors));
      return;
    }
    const members = (t.isUnion() ? t.types : [t]).filter((m) => m.flags & ts.TypeFlags.Object);
    if (members.length === 0) return; // a type mismatch: the schema validation reports it
    const index = members.map((m) => checker.getIndexTypeOfType(m, ts.IndexKind.String)).find(Boolean);
    for (const [key, v] of Object.entries(value)) {
      const prop = members.map((m) => checker.getPropertyOfType(m, key)).find(Boolean);
      if (prop) walk(v, checker.getTypeOfSymbol(prop), `${where}.${key}`, errors);
      else if (index) walk(v, index, `${where}.${key}`, errors);
      else errors.push(`${where}.${key}: unknown field`);
    }
  };

  return {
    setupErrors,
    check(obj) {
      const t = types.get(`${obj.apiVersion} ${obj.kind}`);
      if (!t) return [`${id(obj)}: no declared type to check fields against`];
      const errors = [];
      walk(obj, t, id(obj), errors);
      return errors;
    },
  };
}
