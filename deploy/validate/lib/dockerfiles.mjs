// deploy/docker/Dockerfile.*: parsed with dockerfile-ast, then checked for what the images must
// do (multi-stage JDK 17 -> JRE 17, non-root, healthcheck, the worker's JVM flags and natives) and
// against the build context that .dockerignore leaves.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DockerfileParser } = require('dockerfile-ast');

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK',
  'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** .dockerignore semantics: last matching pattern wins; a pattern also matches every parent dir. */
export function dockerignore(root) {
  const file = path.join(root, '.dockerignore');
  const rules = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      let p = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      if (p === '') p = '.';
      const re = p.split(/(\*\*\/?|\*|\?)/).map((part) => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '**') return '.*';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }).join('');
      return { negate, regex: new RegExp(`^${re}$`) };
    }) : [];
  return (rel) => {
    const parts = rel.split('/');
    let excluded = false;
    for (const rule of rules) {
      for (let i = 1; i <= parts.length; i++) {
        if (rule.regex.test(parts.slice(0, i).join('/'))) { excluded = !rule.negate; break; }
      }
    }
    return !excluded;
  };
}

function walk(root, dir = '', out = []) {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (['.git', 'node_modules', 'target'].includes(e.name)) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, rel, out); else out.push(rel);
  }
  return out;
}

/** The JVM flags and GLIBC_TUNABLES of the ./frontier launcher: the images must match them. */
function launcherSettings(root) {
  const text = fs.readFileSync(path.join(root, 'frontier'), 'utf8');
  const flags = (text.match(/JVM_FLAGS=\(([^)]*)\)/) || [, ''])[1].split(/\s+/).filter(Boolean);
  const tunables = (text.match(/GLIBC_TUNABLES:-([^}"]+)/) || [])[1];
  return { flags, tunables };
}

function parse(file) {
  const d = DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
  const argDefaults = {};
  const stages = [];
  for (const i of d.getInstructions()) {
    const kw = i.getKeyword();
    if (kw === 'ARG' && stages.length === 0) {
      for (const p of i.getProperties()) argDefaults[p.getName()] = p.getValue();
    }
    if (kw === 'FROM') {
      const args = i.getArguments().map((a) => a.getValue());
      const image = args[0].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => argDefaults[a || b] ?? '');
      stages.push({ name: i.getBuildStage(), image, instructions: [] });
    } else if (stages.length) {
      stages[stages.length - 1].instructions.push(i);
    }
  }
  return { d, stages };
}

const flagsOf = (i) => Object.fromEntries((i.getFlags?.() || []).map((f) => [f.getName(), f.getValue()]));
const argsOf = (i) => i.getArguments().map((a) => a.getValue());
const jsonOf = (i) => (i.getJSONStrings ? i.getJSONStrings().map((s) => s.getJSONValue()) : []);
const envOf = (stage) => Object.fromEntries(stage.instructions.filter((i) => i.getKeyword() === 'ENV')
  .flatMap((i) => i.getProperties().map((p) => [p.getName(), p.getValue()])));
const last = (stage, kw) => stage.instructions.filter((i) => i.getKeyword() === kw).at(-1);

export function checkDockerfiles(root, report) {
  report.section('container images (deploy/docker, .dockerignore)');
  const included = dockerignore(root);
  const context = walk(root).filter(included);
  report.check(`.dockerignore leaves a small context (${context.length} files): sources, poms, wrapper, openapi.yaml; no data, tests or build output`, [
    ...['mvnw', 'pom.xml', '.mvn/wrapper/maven-wrapper.properties', 'openapi.yaml', 'service/pom.xml', 'worker/pom.xml']
      .filter((f) => !included(f)).map((f) => `${f} is excluded`),
    context.some((f) => f.startsWith('service/src/main/')) ? null : 'service/src/main is not in the context',
    context.some((f) => f.startsWith('worker/src/main/')) ? null : 'worker/src/main is not in the context',
    ...['data/x', 'service/target/x.jar', 'worker/src/test/x', '.git/HEAD', 'deploy/validate/node_modules/x', 'deploy/k8s/base/x.yaml']
      .filter((f) => included(f)).map((f) => `${f} would be sent to the daemon`),
  ]);

  const modules = [...fs.readFileSync(path.join(root, 'pom.xml'), 'utf8').matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
  const launcher = launcherSettings(root);
  for (const [kind, module, jar] of [['service', 'service', 'frontier-service.jar'], ['worker', 'worker', 'frontier-worker.jar']]) {
    const rel = `deploy/docker/Dockerfile.${kind}`;
    const file = path.join(root, rel);
    if (!report.check(`${rel} exists`, fs.existsSync(file) ? [] : 'missing')) continue;
    const { d, stages } = parse(file);
    report.check(`${rel}: known instructions only`, d.getInstructions()
      .filter((i) => !KEYWORDS.has(i.getKeyword())).map((i) => `line ${i.getRange().start.line + 1}: ${i.getKeyword()}`));

    const build = stages[0];
    const final = stages.at(-1);
    const stageNames = stages.map((s) => s.name).filter(Boolean);
    const problems = [];
    if (stages.length < 2) problems.push('not multi-stage');
    if (!/(17-jdk|jdk-?17)/.test(build?.image || '')) problems.push(`build stage image '${build?.image}' is not a JDK 17`);
    if (!/(17-jre|jre-?17)/.test(final?.image || '')) problems.push(`runtime image '${final?.image}' is not a JRE 17`);
    const mvn = build?.instructions.find((i) => i.getKeyword() === 'RUN' && argsOf(i).includes('./mvnw'));
    if (!mvn) problems.push('the build stage does not run the Maven wrapper');
    else {
      const a = argsOf(mvn);
      if (a[a.indexOf('-pl') + 1] !== module || !modules.includes(module)) problems.push(`./mvnw does not build module '${module}' (-pl ${a[a.indexOf('-pl') + 1]})`);
      if (!a.includes('package')) problems.push('./mvnw does not run package');
    }
    report.check(`${rel}: multi-stage, Maven wrapper on a JDK 17 image, runs on a JRE 17 image`, problems);

    const copies = [];
    stages.forEach((stage, si) => {
      for (const i of stage.instructions.filter((x) => ['COPY', 'ADD'].includes(x.getKeyword()))) {
        const from = flagsOf(i).from;
        const a = jsonOf(i).length ? jsonOf(i) : argsOf(i);
        const sources = a.slice(0, -1);
        if (from) {
          if (!stageNames.slice(0, si).includes(from) && !/[:/]/.test(from)) copies.push(`COPY --from=${from}: no earlier stage of that name`);
        } else {
          for (const s of sources) {
            const src = s.replace(/\/+$/, '');
            if (!fs.existsSync(path.join(root, src))) copies.push(`COPY ${s}: not in the repository`);
            else if (!included(src) && !context.some((f) => f.startsWith(`${src}/`))) copies.push(`COPY ${s}: excluded by .dockerignore`);
          }
        }
      }
    });
    report.check(`${rel}: every COPY source is in the build context, every --from names an earlier stage`, copies);

    const user = last(final, 'USER');
    const userValue = user ? argsOf(user)[0] : '';
    const env = envOf(final);
    const entry = last(final, 'ENTRYPOINT');
    const entryArgs = entry ? jsonOf(entry) : [];
    const runtime = [];
    if (!user) runtime.push('no USER in the runtime stage (would run as root)');
    else if (/^(root|0)(:|$)/.test(userValue)) runtime.push(`USER ${userValue} is root`);
    if (!entryArgs.includes('-jar') || !entryArgs.some((a) => a.endsWith(`/${jar}`))) runtime.push(`ENTRYPOINT does not run ${jar} (exec form)`);
    if (kind === 'service') {
      const hc = last(final, 'HEALTHCHECK');
      const hcText = hc ? argsOf(hc).join(' ') : '';
      if (!hc || argsOf(hc)[0] === 'NONE') runtime.push('no HEALTHCHECK');
      else if (!hcText.includes('/actuator/health/readiness')) runtime.push('HEALTHCHECK is not on /actuator/health/readiness');
      if (!final.instructions.some((i) => i.getKeyword() === 'EXPOSE' && argsOf(i).includes('8080'))) runtime.push('does not EXPOSE 8080');
      const extract = build.instructions.some((i) => i.getKeyword() === 'RUN' && argsOf(i).join(' ').includes(`${module}/target/${jar}`));
      if (!extract) runtime.push(`the build stage never uses ${module}/target/${jar}`);
    } else {
      const missing = launcher.flags.filter((f) => !entryArgs.includes(f));
      if (launcher.flags.length === 0) runtime.push('could not read JVM_FLAGS from ./frontier');
      for (const f of missing) runtime.push(`ENTRYPOINT lacks the launcher's JVM flag ${f}`);
      if (env.GLIBC_TUNABLES !== launcher.tunables) runtime.push(`GLIBC_TUNABLES '${env.GLIBC_TUNABLES}' differs from the launcher's '${launcher.tunables}'`);
      const cache = env.DJL_CACHE_DIR;
      const uid = userValue.split(':')[0];
      const cacheCopy = final.instructions.find((i) => i.getKeyword() === 'COPY' && (jsonOf(i).length ? jsonOf(i) : argsOf(i)).at(-1)?.replace(/\/+$/, '') === cache?.replace(/\/+$/, ''));
      if (!cache) runtime.push('DJL_CACHE_DIR is not set');
      else if (!cacheCopy) runtime.push(`nothing is copied into DJL_CACHE_DIR ${cache} (natives would be extracted at every start)`);
      else if (!(flagsOf(cacheCopy).chown || '').startsWith(uid)) runtime.push(`DJL_CACHE_DIR ${cache} is not owned by the runtime user ${uid}`);
      const warm = build.instructions.some((i) => i.getKeyword() === 'RUN' && argsOf(i).join(' ').includes('DjlWarmup'));
      if (!warm) runtime.push('the build stage never starts the PyTorch engine to extract its natives');
      const ds = env.FRONTIER_DATASETS_DIR;
      if (!ds || !final.instructions.some((i) => i.getKeyword() === 'COPY' && (jsonOf(i).length ? jsonOf(i) : argsOf(i)).at(-1)?.startsWith(`${ds}/`))) runtime.push('no dataset copied under FRONTIER_DATASETS_DIR');
      const cmd = last(final, 'CMD');
      const cmdArgs = cmd ? jsonOf(cmd) : [];
      if (cmdArgs[0] !== 'agent' || cmdArgs[cmdArgs.indexOf('--roles') + 1] !== 'build') runtime.push('default CMD is not a build-role agent');
    }
    report.check(kind === 'service'
      ? `${rel}: non-root USER, exec-form java -jar, HEALTHCHECK on readiness, EXPOSE 8080`
      : `${rel}: non-root USER, the launcher's JVM flags and GLIBC_TUNABLES, natives pre-extracted into a DJL_CACHE_DIR the user owns, dataset, build-role default`, runtime);
  }
}
