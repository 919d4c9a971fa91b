// Offline validation of Frontier's deployment material; run through deploy/validate.sh.
//   node validate.mjs [--root DIR] [--quiet]
// Exit status: 0 when every check passed, 1 otherwise.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from './lib/report.mjs';
import { checkCompose } from './lib/compose.mjs';
import { checkDockerfiles } from './lib/dockerfiles.mjs';
import { checkKubernetes } from './lib/k8s.mjs';
import { checkDrift } from './lib/drift.mjs';

export async function validate(root, report = new Report()) {
  checkCompose(root, report);
  checkDockerfiles(root, report);
  await checkKubernetes(root, report);
  checkDrift(root, report);
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--root');
  const root = path.resolve(i > 0 ? process.argv[i + 1] : path.join(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const started = Date.now();
  const report = await validate(root);
  console.log(`\nchecked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`deploy/validate: ${report.passed} passed, ${report.failed} failed`);
  process.exitCode = report.failed === 0 ? 0 : 1;
}
