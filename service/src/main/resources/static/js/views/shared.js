// Pieces shared by several views.
import { h } from '../dom.js';
import { fmtPct, fmtMs, fmtBytes } from '../format.js';

export const TERMINAL_JOB_STATES = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

export function progressCell(progress) {
  const p = progress || {};
  const done = p.done ?? 0;
  const total = p.total ?? 0;
  const failed = p.failed ?? 0;
  const pct = total > 0 ? Math.round((100 * (done + failed)) / total) : 0;
  return h('div', { class: 'progress-cell' },
    h('progress', { max: Math.max(total, 1), value: Math.min(done + failed, Math.max(total, 1)), 'aria-label': `${done} of ${total} trials done, ${failed} failed` }),
    h('span', { class: 'progress-text' },
      h('span', { 'data-testid': 'progress-done' }, `${done}/${total}`),
      failed ? h('span', { class: 'failed-count' }, ` · ${failed} failed`) : null,
      total ? h('span', { class: 'muted' }, ` · ${pct} %`) : null));
}

export function pointSummary(pt) {
  if (!pt) return h('span', { class: 'muted' }, 'none yet');
  return h('span', { class: 'point-summary' },
    h('span', { title: 'accuracy on the test split (measured; reported)' }, fmtPct(pt.accuracy)),
    pt.validationAccuracy != null ? h('span', { class: 'muted', title: 'validation split: what the search selects by' }, ` (val ${fmtPct(pt.validationAccuracy)})`) : null,
    ' · ', h('span', { title: 'median latency' }, fmtMs(pt.latencyMs)),
    ' · ', h('span', { title: 'artifact size' }, fmtBytes(pt.sizeBytes)),
    pt.seq != null ? h('span', { class: 'muted' }, ` (#${pt.seq})`) : null);
}

export function dl(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(([, v]) => v != null && v !== '')
    .map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'muted loading', role: 'status' }, text);
}

export function errorBox(e) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, e && e.message ? e.message : String(e));
}

export function nameMap(list) {
  const m = new Map();
  for (const x of list || []) m.set(x.id, x.name || x.id);
  return m;
}

// The demo's measurement of the dense model (JobPurpose BASELINE): one trial, no search, and a
// placeholder latency target that means nothing to a reader.
export function isBaselineJob(job) {
  return !!job && job.purpose === 'BASELINE';
}

export function baselineTag() {
  return h('span', { class: 'tag', 'data-testid': 'baseline-job', title: 'a one-trial measurement of the dense model, not a search' }, 'baseline');
}
