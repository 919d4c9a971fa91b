// Frontier dashboard: hash router, shell, shared dialogs and polling. No build step: plain ES modules.
import { api, getToken, setToken, onUnauthorized } from './api.js';
import { h, replace, refreshRelativeTimes } from './dom.js';
import * as jobsView from './views/jobs.js';
import * as jobFormView from './views/job-form.js';
import * as jobView from './views/job.js';
import * as trialView from './views/trial.js';
import * as devicesView from './views/devices.js';

const POLL_MS = 2000;

const routes = [
  { re: /^\/?$/, redirect: '#/jobs' },
  { re: /^\/jobs\/?$/, view: jobsView, nav: 'jobs' },
  { re: /^\/jobs\/new\/?$/, view: jobFormView, nav: 'new' },
  { re: /^\/jobs\/([^/]+)\/?$/, view: jobView, nav: 'jobs', params: ['jobId'] },
  { re: /^\/trials\/([^/]+)\/?$/, view: trialView, nav: 'jobs', params: ['trialId'] },
  { re: /^\/devices\/?$/, view: devicesView, nav: 'devices' },
];

const main = document.getElementById('main');
let current = null; // { ctx, cleanup }

// Context handed to each view: an abort signal, a poller that stops on navigation, helpers.
function makeContext() {
  const controller = new AbortController();
  const timers = new Set();
  const ctx = {
    signal: controller.signal,
    get active() { return !controller.signal.aborted; },
    // Runs fn now and then every ms after each run completes; stops on navigation or when fn returns false.
    every(ms, fn) {
      let stopped = false;
      const tick = async () => {
        if (stopped || !ctx.active) return;
        let again = true;
        if (document.hidden) {
          again = true; // keep the page quiet in background tabs
        } else {
          try { again = (await fn()) !== false; } catch (e) { if (ctx.active) reportError(e); }
        }
        if (again && !stopped && ctx.active) {
          const t = setTimeout(() => { timers.delete(t); tick(); }, ms);
          timers.add(t);
        }
      };
      tick();
      return () => { stopped = true; };
    },
    pollMs: POLL_MS,
    setTitle(text) { document.title = text ? `${text} · Frontier` : 'Frontier'; },
    navigate(hash) { location.hash = hash; },
    confirm: confirmDialog,
    error: reportError,
    dispose() {
      controller.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return ctx;
}

function route() {
  const path = (location.hash || '#/').replace(/^#/, '').split('?')[0];
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (r.redirect) { location.replace(r.redirect); return; }
    show(r, Object.fromEntries((r.params || []).map((p, i) => [p, decodeURIComponent(m[i + 1])])));
    return;
  }
  show({ view: { render: notFound }, nav: null }, {});
}

function show(r, params) {
  if (current) {
    current.ctx.dispose();
    if (typeof current.cleanup === 'function') current.cleanup();
  }
  hideBanner();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const ctx = makeContext();
  const root = h('div', { class: 'view' });
  replace(main, root);
  let cleanup = null;
  try {
    cleanup = r.view.render(root, params, ctx);
  } catch (e) {
    reportError(e);
  }
  current = { ctx, cleanup };
  // Move focus to the new page heading so keyboard and screen-reader users land on the content.
  const heading = root.querySelector('h1');
  if (heading && document.activeElement && document.activeElement !== document.body && !main.contains(document.activeElement)) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

function notFound(root, _params, ctx) {
  ctx.setTitle('Not found');
  replace(root, h('h1', null, 'Not found'), h('p', null, 'No such page. ', h('a', { href: '#/jobs' }, 'Back to jobs'), '.'));
}

// ---- banner (transient errors from polling) -------------------------------------------------

const banner = document.getElementById('banner');

function reportError(e) {
  if (e && e.name === 'AbortError') return;
  console.error(e);
  const msg = e && e.message ? e.message : String(e);
  replace(banner, h('span', null, msg), h('button', { type: 'button', class: 'btn btn-quiet', onclick: hideBanner, 'aria-label': 'Dismiss message' }, '×'));
  banner.classList.add('banner-error');
  banner.hidden = false;
}

function hideBanner() {
  banner.hidden = true;
}

// ---- token dialog ------------------------------------------------------------------------------

const tokenDialog = document.getElementById('token-dialog');
const tokenInput = document.getElementById('token-input');
const tokenError = document.getElementById('token-error');

function askForToken(reason) {
  return new Promise((resolve) => {
    tokenInput.value = getToken();
    tokenError.hidden = !reason;
    tokenError.textContent = reason || '';
    tokenInput.setAttribute('aria-invalid', reason ? 'true' : 'false');
    const onClose = () => {
      tokenDialog.removeEventListener('close', onClose);
      const v = tokenDialog.returnValue;
      if (v === 'save' && tokenInput.value.trim()) {
        setToken(tokenInput.value.trim());
        resolve(true);
      } else if (v === 'clear') {
        setToken('');
        resolve(false);
      } else resolve(false);
    };
    tokenDialog.addEventListener('close', onClose);
    tokenDialog.returnValue = '';
    if (!tokenDialog.open) tokenDialog.showModal();
    tokenInput.focus();
  });
}

onUnauthorized(() => askForToken(getToken() ? 'The coordinator rejected the stored token.' : 'The coordinator answered 401 Unauthorized: enter a token.'));

const tokenButton = document.getElementById('token-button');

// the header says whose token this is, so a member knows why an admin action is refused
async function showCaller() {
  if (!getToken()) { tokenButton.textContent = 'Token'; tokenButton.removeAttribute('title'); return; }
  try {
    const me = await api.me();
    tokenButton.textContent = `${me.name} (${me.role})`;
    tokenButton.title = 'Signed in with this API token; click to change or forget it';
  } catch { /* a 401 already opened the token dialog */ }
}

tokenButton.addEventListener('click', async () => {
  if (await askForToken('')) route();
  showCaller();
});

// ---- confirm dialog ----------------------------------------------------------------------------

const confirmEl = document.getElementById('confirm-dialog');

function confirmDialog({ title, text, confirmLabel = 'Confirm', cancelLabel = 'Keep' }) {
  return new Promise((resolve) => {
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-yes').textContent = confirmLabel;
    document.getElementById('confirm-no').textContent = cancelLabel;
    const back = document.activeElement;
    const onClose = () => {
      confirmEl.removeEventListener('close', onClose);
      if (back && back.focus) back.focus();
      resolve(confirmEl.returnValue === 'yes');
    };
    confirmEl.addEventListener('close', onClose);
    confirmEl.returnValue = '';
    confirmEl.showModal();
    document.getElementById('confirm-no').focus();
  });
}

// ---- start -------------------------------------------------------------------------------------

window.addEventListener('hashchange', route);
setInterval(() => refreshRelativeTimes(main), 5000);
route();
showCaller();
