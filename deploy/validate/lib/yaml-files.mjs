// YAML loading shared by the compose and Kubernetes checks: every document of a file, with parse
// errors (including duplicate keys) reported instead of thrown.
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';

export function readYamlDocuments(file) {
  const text = fs.readFileSync(file, 'utf8');
  const errors = [];
  const docs = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, merge: true, prettyErrors: true })) {
    for (const e of doc.errors) errors.push(`${file}: ${e.message.split('\n')[0]}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { text, docs, errors };
}

export function parseYamlStream(text, origin) {
  const errors = [];
  const docs = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    for (const e of doc.errors) errors.push(`${origin}: ${e.message.split('\n')[0]}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return { docs, errors };
}
