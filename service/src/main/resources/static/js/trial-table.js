// The trial table of a job: sortable columns (click a header), filter by state and free text.
// Sorting and filtering are client-side over every trial of the job.
import { artifactUrl, downloadWithToken, getToken } from './api.js';
import { h, replace, stateBadge, summarizeConfig } from './dom.js';
import { fmtPct, fmtFraction, fmtMs, fmtBytes, fmtNum } from './format.js';

const STATES = ['QUEUED', 'BUILDING', 'BUILT', 'MEASURING', 'DONE', 'FAILED', 'CANCELLED'];
const STATE_ORDER = Object.fromEntries(STATES.map((s, i) => [s, i]));

// The measurement of a trial on one device with one runtime (any runtime when none is given);
// emulated timings (e.g. ARM under qemu) are never what a device does and are not plotted.
export function measurementFor(trial, deviceId, runtime) {
  return (trial.measurements || []).find((m) => m.deviceId === deviceId && !m.emulated
    && (!runtime || (m.runtime || 'frontier-jvm') === runtime)) || null;
}

export function latencyOf(m) {
  if (!m) return null;
  if (Number.isFinite(m.medianMs)) return m.medianMs;
  const v = m.metrics && m.metrics.medianMs;
  return Number.isFinite(v) ? v : null;
}

export function isEstimated(m) {
  return !!(m && m.metrics && m.metrics.estimated === true);
}

export function artifactLink(trial, text = 'Download') {
  if (!trial.artifactSha256) return h('span', { class: 'muted' }, '–');
  const name = `trial-${trial.seq ?? trial.id}.frart`;
  return h('a', {
    href: artifactUrl(trial.id), download: name, class: 'artifact-link',
    'aria-label': `Download the compiled artifact of trial ${trial.seq ?? ''}`,
    onclick: (ev) => {
      if (!getToken()) return; // a plain link works without auth
      ev.preventDefault();
      downloadWithToken(artifactUrl(trial.id), name).catch((e) => alert(`Download failed: ${e.message}`));
    },
  }, text);
}

export function trialTable(container, { idPrefix = 'trials', onOpen }) {
  let trials = [];
  let devices = []; // [{id, name}]
  let sort = { key: 'seq', dir: 1 };
  let headSig = '';
  let rowsSig = '';

  const stateSel = h('select', { id: `${idPrefix}-state` }, h('option', { value: '' }, 'All states'), STATES.map((s) => h('option', { value: s }, s)));
  const text = h('input', { id: `${idPrefix}-text`, type: 'search', placeholder: 'scheme, layer, error…', autocomplete: 'off' });
  const sortSel = h('select', { id: `${idPrefix}-sort` });
  const sortDirBtn = h('button', { type: 'button', class: 'btn', id: `${idPrefix}-sort-dir` });
  const count = h('p', { class: 'muted table-count', role: 'status', 'aria-live': 'polite' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data trials', 'data-testid': 'trial-table' },
    h('caption', { class: 'sr-only' }, 'Trials of this job. Column headers are buttons that sort the table.'), thead, tbody);

  replace(container,
    h('div', { class: 'toolbar' },
      h('div', { class: 'field inline' }, h('label', { for: stateSel.id }, 'State'), stateSel),
      h('div', { class: 'field inline grow' }, h('label', { for: text.id }, 'Filter'), text),
      h('div', { class: 'field inline' }, h('label', { for: sortSel.id }, 'Sort by'), sortSel, sortDirBtn),
      count),
    h('div', { class: 'table-wrap' }, table));

  stateSel.addEventListener('change', () => drawRows(true));
  sortSel.addEventListener('change', () => { sort = { key: sortSel.value, dir: 1 }; drawRows(true); });
  sortDirBtn.addEventListener('click', () => { sort = { ...sort, dir: -sort.dir }; drawRows(true); });
  text.addEventListener('input', () => drawRows(true));

  function columns() {
    const cols = [
      { key: 'seq', label: '#', get: (t) => t.seq, num: true },
      { key: 'state', label: 'State', get: (t) => STATE_ORDER[t.state] ?? 99 },
      { key: 'fidelity', label: 'Fidelity (ep)', get: (t) => t.fidelity, num: true },
      { key: 'validationAccuracy', label: 'Validation acc.', get: (t) => t.validationAccuracy, num: true },
      { key: 'accuracy', label: 'Test acc. (measured)', get: (t) => t.accuracy, num: true },
    ];
    // one latency column per (device, runtime) the job measures on
    for (const d of devices) {
      const label = devices.length > 1 ? `Latency${d.runtime ? ` ${d.runtime}` : ''}${new Set(devices.map((x) => x.id)).size > 1 ? ` on ${d.name}` : ''}` : 'Latency';
      cols.push({ key: `lat:${d.id}:${d.runtime || ''}`, label, get: (t) => latencyOf(measurementFor(t, d.id, d.runtime)), num: true, device: d });
    }
    cols.push(
      { key: 'sizeBytes', label: 'Size', get: (t) => t.sizeBytes, num: true },
      { key: 'sparsity', label: 'Sparsity', get: (t) => (t.buildMetrics ? t.buildMetrics.sparsity : null), num: true },
      { key: 'config', label: 'Configuration', get: (t) => summarizeConfig(t.config) },
      { key: 'error', label: 'Error', get: (t) => (t.error ? `${t.errorKind || ''} ${t.error}` : null) },
      { key: 'artifact', label: 'Artifact', sortable: false });
    return cols;
  }

  function drawHead() {
    const cols = columns();
    const sig = cols.map((c) => `${c.key}:${c.label}`).join('|') + `#${sort.key}${sort.dir}`;
    if (sig === headSig) return cols;
    const focusedKey = thead.contains(document.activeElement) ? document.activeElement.dataset.sortKey : null;
    headSig = sig;
    replace(thead, h('tr', null, cols.map((c) => {
      if (c.sortable === false) return h('th', { scope: 'col' }, c.label);
      const active = sort.key === c.key;
      return h('th', { scope: 'col', 'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none', class: c.num ? 'num' : null },
        h('button', { type: 'button', class: 'sort', 'data-sort-key': c.key, onclick: () => {
          sort = { key: c.key, dir: active ? -sort.dir : 1 };
          drawHead();
          drawRows(true);
        } }, c.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (sort.dir > 0 ? ' ▲' : ' ▼') : ' ↕')));
    })));
    if (focusedKey) thead.querySelector(`[data-sort-key="${CSS.escape(focusedKey)}"]`)?.focus();
    replace(sortSel, cols.filter((c) => c.sortable !== false).map((c) => h('option', { value: c.key, selected: c.key === sort.key }, c.label)));
    sortSel.value = sort.key;
    sortDirBtn.textContent = sort.dir > 0 ? '▲ Ascending' : '▼ Descending';
    sortDirBtn.setAttribute('aria-label', `Sort direction: ${sort.dir > 0 ? 'ascending' : 'descending'}. Activate to reverse.`);
    return cols;
  }

  function drawRows(force) {
    const cols = drawHead();
    const state = stateSel.value;
    const q = text.value.trim().toLowerCase();
    const col = cols.find((c) => c.key === sort.key) || cols[0];
    const rows = trials.filter((t) => {
      if (state && t.state !== state) return false;
      if (!q) return true;
      const hay = [`#${t.seq}`, t.state, summarizeConfig(t.config), JSON.stringify(t.config || {}), t.error || '', t.errorKind || ''].join(' ').toLowerCase();
      return hay.includes(q);
    });
    rows.sort((a, b) => {
      const va = col.get(a);
      const vb = col.get(b);
      const na = va === null || va === undefined;
      const nb = vb === null || vb === undefined;
      if (na || nb) return na && nb ? a.seq - b.seq : na ? 1 : -1; // blanks last either way
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c * sort.dir || a.seq - b.seq;
    });
    const sig = `${sort.key}${sort.dir}|${state}|${q}|` + rows.map((t) => `${t.id}:${t.state}:${t.accuracy}:${(t.measurements || []).length}:${t.artifactSha256 || ''}`).join(',');
    if (!force && sig === rowsSig) return;
    rowsSig = sig;
    count.textContent = `Showing ${rows.length} of ${trials.length} trial${trials.length === 1 ? '' : 's'}`;
    replace(tbody, rows.length ? rows.map((t) => row(t, cols))
      : h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, trials.length ? 'No trial matches the filter.' : 'No trials yet.')));
  }

  function row(t, cols) {
    return h('tr', { 'data-trial-id': t.id, 'data-state': t.state, class: t.state === 'FAILED' ? 'row-failed' : null }, cols.map((c) => {
      const td = (...kids) => h('td', { 'data-label': c.label, class: c.num ? 'num' : null, 'data-col': c.key }, ...kids);
      switch (c.key) {
        case 'seq': return td(h('a', { href: `#/trials/${t.id}`, onclick: (ev) => { if (onOpen) { ev.preventDefault(); onOpen(t.id); } } }, `#${t.seq}`));
        case 'state': return td(stateBadge(t.state));
        case 'fidelity': return td(t.fidelity != null ? fmtNum(t.fidelity, 3) : '–');
        case 'validationAccuracy': return td(t.validationAccuracy != null
          ? [fmtPct(t.validationAccuracy), t.stage === 'POLISH' ? [' ', h('span', { class: 'tag', title: `fine-tuned to fidelity.final after the search, continuing trial #${t.inheritedFrom ?? t.promotedFrom}` }, 'polished')] : null] : '–');
        case 'accuracy': return td(t.accuracy != null
          ? [fmtPct(t.accuracy), ' ', h('span', { class: 'tag', title: 'measured on the test split of the compiled model' }, 'measured')] : '–');
        case 'sizeBytes': return td(fmtBytes(t.sizeBytes));
        case 'sparsity': return td(fmtFraction(t.buildMetrics && t.buildMetrics.sparsity));
        case 'config': return td(h('span', { class: 'config' }, summarizeConfig(t.config)));
        case 'error': return td(t.error || t.errorKind
          ? h('span', { class: 'error-cell' }, t.errorKind ? h('span', { class: 'badge state-failed' }, t.errorKind) : null, ' ', h('span', { class: 'error-text', title: t.error || '' }, t.error || ''))
          : '');
        case 'artifact': return td(artifactLink(t));
        default:
          if (c.device) {
            const m = measurementFor(t, c.device.id, c.device.runtime);
            const v = latencyOf(m);
            if (v === null) return td('–');
            return td(fmtMs(v), ' ', isEstimated(m)
              ? h('span', { class: 'tag tag-warn', title: 'predicted, not timed on the device' }, 'estimated')
              : null);
          }
          return td('');
      }
    }));
  }

  return {
    update(nextTrials, nextDevices) {
      trials = nextTrials || [];
      devices = nextDevices || [];
      drawRows(false);
    },
  };
}

