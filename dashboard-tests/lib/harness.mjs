// A tiny test harness over playwright-core: a fresh headless Debian Chromium (never a downloaded
// browser), sequential tests, a screenshot of the page when a test fails, JUnit XML for CI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// token: signed in as if the user had entered it in the token dialog (stored like the dashboard does)
export async function launch({ viewport = { width: 1366, height: 900 }, token = '' } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontier-dash-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport,
  });
  if (token) {
    await context.addInitScript((t) => {
      if (!localStorage.getItem('frontier.token')) localStorage.setItem('frontier.token', t);
    }, token);
  }
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const xml = (s) => String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[c]));

export class Suite {
  constructor(name, artifactsDir) {
    this.name = name;
    this.dir = artifactsDir;
    this.tests = [];
    fs.mkdirSync(artifactsDir, { recursive: true });
  }

  test(name, fn) { this.tests.push({ name, fn }); }

  // getPage: returns the page to screenshot when a test fails
  async run(getPage) {
    const only = process.env.DASHBOARD_TEST_FILTER;
    const results = [];
    for (const t of this.tests) {
      if (only && !t.name.includes(only)) continue;
      const start = Date.now();
      try {
        await t.fn();
        results.push({ name: t.name, ok: true, ms: Date.now() - start });
        console.log(`  ok    ${t.name} (${Date.now() - start} ms)`);
      } catch (e) {
        results.push({ name: t.name, ok: false, ms: Date.now() - start, error: e });
        console.log(`  FAIL  ${t.name}\n        ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n        ')}`);
        const page = getPage && getPage();
        if (page) {
          const file = path.join(this.dir, `failure-${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
          await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        }
      }
    }
    const failed = results.filter((r) => !r.ok);
    const junit = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${xml(this.name)}" tests="${results.length}" failures="${failed.length}" time="${results.reduce((s, r) => s + r.ms, 0) / 1000}">\n`
      + results.map((r) => `  <testcase classname="${xml(this.name)}" name="${xml(r.name)}" time="${r.ms / 1000}">${r.ok ? '' : `\n    <failure message="${xml(r.error && r.error.message)}">${xml(r.error && r.error.stack)}</failure>\n  `}</testcase>`).join('\n')
      + '\n</testsuite>\n';
    fs.writeFileSync(path.join(this.dir, 'junit.xml'), junit);
    console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
    return failed.length === 0;
  }
}
