// #/trials/{id}: one trial: configuration, build metrics, measurements per device, failure, artifact.
import { api } from '../api.js';
import { h, replace, timeEl, stateBadge, summarizeConfig } from '../dom.js';
import { shortId, fmtPct, fmtFraction, fmtMs, fmtStdevMs, fmtBytes, fmtCount, fmtEpochs } from '../format.js';
import { artifactLink, isEstimated, latencyOf } from '../trial-table.js';
import { dl, loading, errorBox, nameMap } from './shared.js';

const LIVE_STATES = new Set(['QUEUED', 'BUILDING', 'BUILT', 'MEASURING']);

export function render(root, { trialId }, ctx) {
  ctx.setTitle(`Trial ${shortId(trialId)}`);
  const body = h('div', null, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', null, 'Trial ', h('span', { class: 'mono' }, shortId(trialId)))), body);
  let devices = new Map();
  let first = true;
  let sig = '';

  ctx.every(ctx.pollMs, async () => {
    if (first) {
      first = false;
      try { devices = nameMap(await api.devices({ signal: ctx.signal })); } catch { /* names are optional */ }
    }
    let t;
    try {
      t = await api.trial(trialId, { signal: ctx.signal });
    } catch (e) {
      if (ctx.active && e.name !== 'AbortError') replace(body, errorBox(e));
      return e.status !== 404;
    }
    if (!ctx.active) return false;
    const next = JSON.stringify(t);
    if (next !== sig) { sig = next; draw(t); }
    return LIVE_STATES.has(t.state);
  });

  function draw(t) {
    ctx.setTitle(`Trial #${t.seq}`);
    root.querySelector('h1').replaceChildren('Trial #', String(t.seq), ' ', stateBadge(t.state));
    const bm = t.buildMetrics || {};
    const timings = bm.timings || {};
    replace(body,
      h('p', null, h('a', { href: `#/jobs/${t.jobId}` }, '← Job ', h('span', { class: 'mono' }, shortId(t.jobId)))),
      t.state === 'FAILED' || t.error ? h('div', { class: 'alert alert-error', 'data-testid': 'trial-error' },
        h('strong', null, t.errorKind ? `${t.errorKind}: ` : 'Failed: '), t.error || 'no reason given') : null,
      h('div', { class: 'grid-top' },
        h('section', { class: 'card', 'aria-labelledby': 'tr-sum' }, h('h2', { id: 'tr-sum' }, 'Summary'), dl([
          ['State', stateBadge(t.state)],
          ['Accuracy', Number.isFinite(t.accuracy) ? [fmtPct(t.accuracy), ' test ', h('span', { class: 'tag' }, 'measured')] : null],
          ['Validation accuracy', Number.isFinite(t.validationAccuracy) ? [fmtPct(t.validationAccuracy), ' ', h('span', { class: 'muted small' }, 'what the search selects by')] : null],
          ['Before → after fine-tuning', fineTuneAccuracy(bm, t)],
          ['Recovery', bm.recovery ? recoveryText(bm.recovery, t) : null],
          ['Fidelity', t.fidelity != null ? fmtEpochs(t.fidelity) : null],
          ['Size', t.sizeBytes != null ? fmtBytes(t.sizeBytes) : null],
          ['Params kept', bm.params != null ? keptOf(bm.params, bm.denseParams) : null],
          ['MACs kept', bm.macs != null ? keptOf(bm.macs, bm.denseMacs) : null],
          ['Sparsity', Number.isFinite(bm.sparsity) ? fmtFraction(bm.sparsity) : null],
          ['Build attempts', t.attempts],
          ['Artifact', t.artifactSha256 ? [artifactLink(t, 'Download artifact'), ' ', h('span', { class: 'mono muted small' }, t.artifactSha256.slice(0, 16) + '…')] : null],
          ['Created', timeEl(t.createdAt)], ['Started', t.startedAt ? timeEl(t.startedAt) : null], ['Finished', t.finishedAt ? timeEl(t.finishedAt) : null],
          ['Timings', Object.keys(timings).length ? Object.entries(timings).map(([k, v]) => `${k} ${fmtMs(v)}`).join(' · ') : null],
        ])),
        h('section', { class: 'card', 'aria-labelledby': 'tr-cfg' }, h('h2', { id: 'tr-cfg' }, 'Configuration'),
          h('p', { 'data-testid': 'config-summary' }, summarizeConfig(t.config)),
          h('details', null, h('summary', null, 'JSON'), h('pre', { class: 'json' }, JSON.stringify(t.config || {}, null, 2))))),
      measurements(t),
      layersOf(bm).length ? layersTable(layersOf(bm)) : null);
  }

  // The agent evaluates the compressed model on the validation split before fine-tuning
  // (accuracyBeforeFineTune) and the compiled artifact after it (validationAccuracy): the pair says how
  // much fine-tuning recovered. No "before" for the dense baseline or a build without fine-tuning.
  function fineTuneAccuracy(bm, t) {
    if (!Number.isFinite(bm.accuracyBeforeFineTune)) return null;
    const r = bm.recovery || {};
    const start = r.inherited ? `trial #${t.inheritedFrom ?? '?'}'s fine-tuned weights`
      : `compressed${r.bnRecalibration ? ', BN recalibrated' : ''}`;
    return h('span', { 'data-testid': 'fine-tune-accuracy' },
      h('span', { 'data-testid': 'accuracy-before' }, fmtPct(bm.accuracyBeforeFineTune)), ' → ',
      h('span', { 'data-testid': 'accuracy-after' }, fmtPct(t.validationAccuracy)), ' ',
      h('span', { class: 'muted small' }, `validation; before: ${start}`));
  }

  function measurements(t) {
    const ms = t.measurements || [];
    return h('section', { class: 'card', 'aria-labelledby': 'tr-meas' }, h('h2', { id: 'tr-meas' }, 'Latency per device and runtime'),
      ms.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['Device', 'Runtime', 'Median', 'p10', 'p90', 'Stdev', 'Repeat × number', 'Threads', 'Measured'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, ms.map((m) => {
          const x = m.metrics || {};
          return h('tr', null,
            h('td', { 'data-label': 'Device' }, devices.get(m.deviceId) || shortId(m.deviceId)),
            h('td', { 'data-label': 'Runtime' }, m.runtime || 'frontier-jvm'),
            h('td', { 'data-label': 'Median' }, fmtMs(latencyOf(m)), ' ', isEstimated(m) ? h('span', { class: 'tag tag-warn' }, 'estimated')
              : m.emulated ? h('span', { class: 'tag tag-warn', title: 'timed under an emulator: not what the device does, kept off every frontier' }, 'emulated')
                : h('span', { class: 'tag' }, 'measured')),
            h('td', { 'data-label': 'p10' }, fmtMs(x.p10Ms)), h('td', { 'data-label': 'p90' }, fmtMs(x.p90Ms)),
            stdevCell(x),
            h('td', { 'data-label': 'Repeat × number' }, x.repeat != null ? `${x.repeat} × ${x.number ?? '?'}` : '–'),
            h('td', { 'data-label': 'Threads' }, x.threads ?? '–'),
            h('td', { 'data-label': 'Measured' }, timeEl(m.measuredAt)));
        })))) : h('p', { class: 'muted' }, 'Not measured yet.'),
      ms.some((m) => m.metrics && m.metrics.perLayerMs) ? perLayer(ms) : null);
  }

  // a runtime whose harness computes no stdev gets a dash, not "0 ms" (format.fmtStdevMs)
  function stdevCell(x) {
    const text = fmtStdevMs(x.stdevMs, x.p10Ms, x.p90Ms);
    const measured = text !== fmtStdevMs(null);
    return h('td', { 'data-label': 'Stdev', 'data-testid': 'latency-stdev', title: measured ? null : 'not reported by this runtime' }, text);
  }

  function perLayer(ms) {
    return h('details', null, h('summary', null, 'Per-layer latency'), ms.filter((m) => m.metrics && m.metrics.perLayerMs).map((m) =>
      h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
        h('caption', null, `${devices.get(m.deviceId) || shortId(m.deviceId)} · ${m.runtime || 'frontier-jvm'}`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col', class: 'num' }, 'Median'))),
        h('tbody', null, Object.entries(m.metrics.perLayerMs).map(([k, v]) => h('tr', null, h('td', null, k), h('td', { class: 'num' }, fmtMs(v)))))))));
  }

  // the agent's per-layer compression report (BuildTask: buildMetrics.compression = CompressionReport.toMap())
  function layersOf(bm) {
    const layers = bm.compression && bm.compression.layers;
    return Array.isArray(layers) ? layers : [];
  }

  function recoveryText(r, t) {
    const parts = [];
    if (r.inherited) parts.push(`continued from trial #${t.inheritedFrom ?? '?'}'s weights${Number.isFinite(r.inheritedFidelity) ? ` (${fmtEpochs(r.inheritedFidelity)})` : ''}`);
    if (r.bnRecalibration) parts.push('BN recalibrated');
    if (r.distillation) parts.push('distilled from the dense model');
    return parts.length ? parts.join(' · ') : 'none';
  }

  // "1.2 k of 4.64 k": what compression kept of the dense layer (LayerReport: keptParams of params, keptMacs of macs)
  function keptOf(kept, total) {
    return total != null ? `${fmtCount(kept)} of ${fmtCount(total)}` : fmtCount(kept);
  }

  function layersTable(layers) {
    const withNotes = layers.some((l) => l.note);
    const cols = ['Layer', 'Op', 'Pruning', 'Quantization', 'Kept params', 'Kept MACs', 'Sparsity', ...(withNotes ? ['Note'] : [])];
    return h('section', { class: 'card', 'aria-labelledby': 'tr-layers' }, h('h2', { id: 'tr-layers' }, 'Layers'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data compact stack', 'data-testid': 'layer-table' },
        h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, layers.map((l) => h('tr', { 'data-layer': l.name ?? '' },
          h('td', { 'data-label': 'Layer' }, l.name ?? ''), h('td', { 'data-label': 'Op' }, l.op ?? ''),
          h('td', { 'data-label': 'Pruning' }, l.pruning ?? l.scheme ?? ''),
          h('td', { 'data-label': 'Quantization' }, l.quantization ?? ''),
          h('td', { 'data-label': 'Kept params', class: 'num' }, keptOf(l.keptParams, l.params)),
          h('td', { 'data-label': 'Kept MACs', class: 'num' }, keptOf(l.keptMacs, l.macs)),
          h('td', { 'data-label': 'Sparsity', class: 'num' }, fmtFraction(l.sparsity)),
          withNotes ? h('td', { 'data-label': 'Note' }, l.note ?? '') : null))))));
  }
}
