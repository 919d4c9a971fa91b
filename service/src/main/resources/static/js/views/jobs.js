// #/jobs: every job with its state, progress and best point so far.
import { api } from '../api.js';
import { h, replace, timeEl, stateBadge } from '../dom.js';
import { fmtMs, fmtPp, shortId } from '../format.js';
import { progressCell, pointSummary, loading, errorBox, nameMap, isBaselineJob, baselineTag, TERMINAL_JOB_STATES as TERMINAL } from './shared.js';

const PAGE_SIZE = 25;
const STATES = ['PROFILING', 'RUNNING', 'COMPLETED', 'CANCELLED', 'FAILED'];

export function render(root, _params, ctx) {
  ctx.setTitle('Jobs');
  let page = 0;
  let status = '';
  let models = new Map();
  let devices = new Map();

  const filter = h('select', { id: 'jobs-status', onchange: () => { status = filter.value; page = 0; refresh(); } },
    h('option', { value: '' }, 'All states'), STATES.map((s) => h('option', { value: s }, s)));
  const body = h('div', { class: 'table-wrap', 'data-testid': 'jobs-table' }, loading());
  const pager = h('nav', { class: 'pager', 'aria-label': 'Jobs pages' });

  replace(root,
    h('div', { class: 'page-head' },
      h('h1', null, 'Jobs'),
      h('a', { class: 'btn btn-primary', href: '#/jobs/new' }, 'New job')),
    h('div', { class: 'toolbar' }, h('label', { for: 'jobs-status' }, 'State'), filter),
    body, pager);

  async function loadNames() {
    const [m, d] = await Promise.allSettled([api.models({ signal: ctx.signal }), api.devices({ signal: ctx.signal })]);
    if (m.status === 'fulfilled') models = nameMap(m.value);
    if (d.status === 'fulfilled') devices = nameMap(d.value);
  }

  async function refresh() {
    try {
      const res = await api.jobs({ page, size: PAGE_SIZE, status }, { signal: ctx.signal });
      await fillBest(res.items || []);
      if (!ctx.active) return;
      draw(res);
    } catch (e) {
      if (ctx.active && e.name !== 'AbortError') replace(body, errorBox(e));
    }
  }

  // The list may leave progress.bestSoFar out (it is costly to compute per job): read it from
  // the job itself, once for finished jobs, every poll for running ones.
  const bestCache = new Map();
  async function fillBest(items) {
    await Promise.all(items.map(async (j) => {
      if (!j.progress || j.progress.bestSoFar || !j.progress.done) return;
      const cached = bestCache.get(j.id);
      if (cached && cached.state === j.state && TERMINAL.has(j.state)) { j.progress.bestSoFar = cached.best; return; }
      try {
        const full = await api.job(j.id, { signal: ctx.signal });
        const best = (full.progress && full.progress.bestSoFar) || null;
        bestCache.set(j.id, { state: full.state, best });
        j.progress.bestSoFar = best;
      } catch { /* keep the list usable */ }
    }));
  }

  function draw(res) {
    const items = res.items || [];
    if (!items.length) {
      replace(body, h('p', { class: 'empty' }, status ? `No ${status.toLowerCase()} jobs.` : 'No jobs yet. ',
        status ? null : h('a', { href: '#/jobs/new' }, 'Start a search job.')));
    } else {
      replace(body, h('table', { class: 'data' },
        h('caption', { class: 'sr-only' }, 'Search jobs, newest first'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Progress'),
          h('th', { scope: 'col' }, 'Best point'), h('th', { scope: 'col' }, 'Target'),
          h('th', { scope: 'col' }, 'Devices'), h('th', { scope: 'col' }, 'Created'))),
        h('tbody', null, items.map((j) => h('tr', { 'data-job-id': j.id },
          h('td', { 'data-label': 'Job' }, h('a', { href: `#/jobs/${j.id}` }, h('span', { class: 'mono' }, shortId(j.id)),
            ' ', models.get(j.modelId) || '')),
          h('td', { 'data-label': 'State' }, stateBadge(j.state)),
          h('td', { 'data-label': 'Progress' }, progressCell(j.progress)),
          h('td', { 'data-label': 'Best point' }, pointSummary(j.progress && j.progress.bestSoFar)),
          h('td', { 'data-label': 'Target' }, targetCell(j)),
          h('td', { 'data-label': 'Devices' }, (j.deviceIds || []).map((id) => devices.get(id) || shortId(id)).join(', ')),
          h('td', { 'data-label': 'Created' }, timeEl(j.createdAt)))))));
    }
    const total = res.total ?? items.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    replace(pager,
      h('button', { type: 'button', class: 'btn', disabled: page === 0, onclick: () => { page--; refresh(); } }, '← Newer'),
      h('span', { class: 'muted' }, `Page ${page + 1} of ${pages} · ${total} job${total === 1 ? '' : 's'}`),
      h('button', { type: 'button', class: 'btn', disabled: page + 1 >= pages, onclick: () => { page++; refresh(); } }, 'Older →'));
  }

  // a baseline job's target is a placeholder: it is labelled instead
  function targetCell(j) {
    if (isBaselineJob(j)) return baselineTag();
    if (j.latencyTargetMs == null) return '–';
    return `≤ ${fmtMs(j.latencyTargetMs)}, −${j.maxAccuracyDrop != null ? fmtPp(j.maxAccuracyDrop) : '? pp'}`;
  }

  let namesAt = 0;
  ctx.every(ctx.pollMs, async () => {
    if (Date.now() - namesAt > 30_000) { namesAt = Date.now(); await loadNames(); }
    await refresh();
  });
}
