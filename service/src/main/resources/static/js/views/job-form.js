// #/jobs/new: submit a search job. Validates on the client with the same limits as openapi.yaml,
// then shows the server's problem+json errors next to the field they name.
// '#/jobs/new?novalidate' skips client checks (used by the browser tests to reach server validation).
import { api, ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { loading, errorBox } from './shared.js';

// Strategies come from the coordinator's own OpenAPI document when it serves one, so new ones
// show up without a dashboard change; 'random' is the contract's baseline.
const STRATEGY_LABELS = { random: 'Random', grid: 'Grid', nsga2: 'NSGA-II', 'nsga-ii': 'NSGA-II', greedy: 'Latency-guided greedy', 'latency-greedy': 'Latency-guided greedy', surrogate: 'Surrogate model' };
const FALLBACK_STRATEGIES = ['random'];

async function loadStrategies(signal) {
  try {
    const res = await fetch('/v3/api-docs', { signal, headers: { Accept: 'application/json' } });
    if (!res.ok) return FALLBACK_STRATEGIES;
    const doc = await res.json();
    const schemas = (doc.components && doc.components.schemas) || {};
    let prop = schemas.JobRequest && schemas.JobRequest.properties && schemas.JobRequest.properties.strategy;
    if (prop && prop.$ref) prop = schemas[prop.$ref.split('/').pop()];
    if (prop && prop.allOf && prop.allOf[0] && prop.allOf[0].$ref) prop = schemas[prop.allOf[0].$ref.split('/').pop()];
    const values = prop && Array.isArray(prop.enum) ? prop.enum.filter((v) => typeof v === 'string') : [];
    return values.length ? values : FALLBACK_STRATEGIES;
  } catch {
    return FALLBACK_STRATEGIES;
  }
}
const OBJECTIVES = ['ACCURACY', 'LATENCY', 'SIZE'];
const SCHEMES = ['pattern', 'connectivity', 'block', 'filter', 'unstructured', 'none'];
const QUANT_BITS = [{ value: 0, label: 'float32' }, { value: 8, label: 'int8' }, { value: 4, label: 'int4' }];

// API path -> element id of the control that shows its error.
const FIELD_IDS = {
  modelId: 'f-model',
  deviceIds: 'f-devices',
  latencyTargetMs: 'f-latency',
  maxAccuracyDrop: 'f-drop',
  strategy: 'f-strategy',
  seed: 'f-seed',
  'budget.maxTrials': 'f-max-trials',
  'budget.maxWallSeconds': 'f-max-wall',
  'fidelity.min': 'f-fid-min',
  'fidelity.max': 'f-fid-max',
  objectives: 'f-objectives',
  'searchSpace.schemes': 'f-schemes',
  'searchSpace.rates': 'f-rates',
  'searchSpace.quantizeBits': 'f-bits',
  'searchSpace.layers': 'f-layers',
};
// Whole objects the server may blame: show on their first control.
const GROUP_IDS = { budget: 'f-max-trials', fidelity: 'f-fid-min', searchSpace: 'f-schemes' };

// Map a server field name (maybe 'budget.maxTrials', 'deviceIds[0]', 'jobRequest.seed' or just 'maxTrials') to a control id.
export function controlFor(field) {
  if (!field) return null;
  let f = String(field).replace(/\[\d*\]/g, '').replace(/^(jobRequest|request|body)\./, '');
  if (FIELD_IDS[f]) return FIELD_IDS[f];
  if (GROUP_IDS[f]) return GROUP_IDS[f];
  for (const [path, id] of Object.entries(FIELD_IDS)) if (path.endsWith(`.${f}`)) return id;
  const head = f.split('.')[0];
  return GROUP_IDS[head] || FIELD_IDS[head] || null;
}

export function render(root, _params, ctx) {
  ctx.setTitle('New job');
  const skipClientChecks = /[?&]novalidate\b/.test(location.hash);
  const body = h('div', null, loading());
  replace(root,
    h('div', { class: 'page-head' }, h('h1', null, 'New search job'), h('a', { href: '#/jobs' }, '← All jobs')),
    body);

  const strategies = loadStrategies(ctx.signal); // may be slow the first time: fill the select when it lands
  Promise.all([api.models({ signal: ctx.signal }), api.devices({ signal: ctx.signal })])
    .then(([models, devices]) => {
      if (!ctx.active) return;
      replace(body, form(models || [], devices || [], FALLBACK_STRATEGIES));
      strategies.then((list) => {
        const sel = body.querySelector('#f-strategy');
        if (!ctx.active || !sel || list.join() === FALLBACK_STRATEGIES.join()) return;
        const chosen = sel.value;
        replace(sel, list.map((s) => h('option', { value: s, selected: s === chosen }, STRATEGY_LABELS[s] || s)));
      });
    })
    .catch((e) => { if (ctx.active && e.name !== 'AbortError') replace(body, errorBox(e)); });

  function form(models, devices, strategies) {
    const summary = h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1', id: 'form-errors', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'f-submit' }, 'Start search');
    const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

    const el = h('form', { id: 'job-form', class: 'form', novalidate: true, 'aria-describedby': 'form-errors' },
      summary,
      h('fieldset', null, h('legend', null, 'What to compress and where'),
        field('f-model', 'Model', h('select', { id: 'f-model', name: 'modelId', required: true },
          h('option', { value: '' }, models.length ? 'Choose a model…' : 'No models uploaded yet'),
          models.map((m) => h('option', { value: m.id }, `${m.name}${m.format ? ` (${m.format})` : ''}${m.profiledAt ? '' : ' – not profiled yet'}`))),
        models.length ? null : 'Upload one with POST /api/v1/models first.'),
        deviceGroup(devices)),
      h('fieldset', null, h('legend', null, 'Goal'),
        h('div', { class: 'grid-2' },
          field('f-latency', 'Latency target (ms)', h('input', { id: 'f-latency', name: 'latencyTargetMs', type: 'number', inputmode: 'decimal', step: 'any', min: '0', required: true }),
            'Median latency each recommended model must meet on every target device.'),
          field('f-drop', 'Max accuracy drop (pp)', h('input', { id: 'f-drop', name: 'maxAccuracyDrop', type: 'number', inputmode: 'decimal', step: 'any', min: '0', max: '100', required: true, value: '1' }),
            'Percentage points below the baseline accuracy that are still acceptable.'))),
      h('fieldset', null, h('legend', null, 'Search'),
        h('div', { class: 'grid-2' },
          field('f-strategy', 'Strategy', h('select', { id: 'f-strategy', name: 'strategy' }, strategies.map((s) => h('option', { value: s }, STRATEGY_LABELS[s] || s)))),
          field('f-seed', 'Seed', h('input', { id: 'f-seed', name: 'seed', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'random' }), 'Optional integer; the same seed replays the same proposals.'),
          field('f-max-trials', 'Budget: max trials', h('input', { id: 'f-max-trials', name: 'maxTrials', type: 'number', inputmode: 'numeric', step: '1', min: '1', max: '1000000', value: '50' })),
          field('f-max-wall', 'Budget: max wall time (s)', h('input', { id: 'f-max-wall', name: 'maxWallSeconds', type: 'number', inputmode: 'numeric', step: '1', min: '1', placeholder: 'no limit' })),
          field('f-fid-min', 'Fidelity min (epochs)', h('input', { id: 'f-fid-min', name: 'fidelityMin', type: 'number', inputmode: 'decimal', step: 'any', min: '0', max: '1000', value: '0.25' }), 'Fine-tuning length of the first, cheap trials.'),
          field('f-fid-max', 'Fidelity max (epochs)', h('input', { id: 'f-fid-max', name: 'fidelityMax', type: 'number', inputmode: 'decimal', step: 'any', min: '0', max: '1000', value: '1' }), 'Fine-tuning length for the promising ones.'))),
      h('details', { class: 'advanced' }, h('summary', null, 'Objectives and search space (optional)'),
        checkGroup('f-objectives', 'Objectives', OBJECTIVES.map((o) => ({ value: o, label: o.toLowerCase(), checked: true }))),
        checkGroup('f-schemes', 'Pruning schemes', SCHEMES.map((s) => ({ value: s, label: s })), 'None ticked = every scheme that fits each layer.'),
        checkGroup('f-bits', 'Quantization', QUANT_BITS.map((q) => ({ value: String(q.value), label: q.label })), 'None ticked = all.'),
        field('f-rates', 'Pruning rates', h('input', { id: 'f-rates', name: 'rates', type: 'text', autocomplete: 'off', placeholder: 'e.g. 0.25, 0.5, 0.75' }), 'Comma-separated, each strictly between 0 and 1.'),
        field('f-layers', 'Only these layers', h('input', { id: 'f-layers', name: 'layers', type: 'text', autocomplete: 'off', placeholder: 'e.g. conv2, fc1' }), 'Comma-separated layer names; empty = all prunable layers.')),
      h('div', { class: 'actions' }, submit, h('a', { class: 'btn btn-quiet', href: '#/jobs' }, 'Cancel')),
      status);

    el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(el, summary);
      const { request, errors } = readForm(el);
      if (errors.length && !skipClientChecks) {
        showErrors(el, summary, errors);
        return;
      }
      submit.disabled = true;
      status.textContent = 'Submitting…';
      try {
        const job = await api.createJob(request, { signal: ctx.signal });
        status.textContent = 'Created.';
        ctx.navigate(`#/jobs/${job.id}`);
      } catch (e) {
        if (e.name === 'AbortError') return;
        status.textContent = '';
        if (e instanceof ApiError) {
          const fe = e.fieldErrors();
          showErrors(el, summary, fe.map((x) => ({ id: controlFor(x.field), message: x.message, field: x.field })),
            `The coordinator refused the job (${e.status}): ${e.message}`);
        } else showErrors(el, summary, [], e.message || String(e));
      } finally {
        submit.disabled = false;
      }
    });
    return el;
  }
}

function field(id, label, control, help) {
  const helpId = help ? `${id}-help` : null;
  control.setAttribute('aria-describedby', [helpId, `${id}-error`].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': id },
    h('label', { for: id }, label, control.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    help ? h('p', { class: 'help', id: helpId }, help) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

function deviceGroup(devices) {
  const id = 'f-devices';
  return h('fieldset', { class: 'field checks', id, 'data-field': id, tabindex: '-1', 'aria-describedby': `${id}-help ${id}-error`, 'aria-required': 'true' },
    h('legend', null, 'Target devices', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    devices.length ? h('div', { class: 'check-list' }, devices.map((d, i) => h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `${id}-${i}`, name: 'deviceIds', value: d.id, checked: devices.length === 1 }),
      h('label', { for: `${id}-${i}` }, d.name, ' ',
        h('span', { class: ['badge', d.status === 'ONLINE' ? 'state-online' : 'state-offline'] }, d.status === 'ONLINE' ? 'online' : 'offline')))))
      : h('p', { class: 'muted' }, 'No devices registered yet.'),
    h('p', { class: 'help', id: `${id}-help` }, 'Every trial is measured on each ticked device; an offline device holds its measurements until it comes back.'),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

function checkGroup(id, legend, options, help) {
  return h('fieldset', { class: 'field checks', id, 'data-field': id, tabindex: '-1', 'aria-describedby': [help ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' ') },
    h('legend', null, legend),
    h('div', { class: 'check-list' }, options.map((o, i) => h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `${id}-${i}`, value: o.value, checked: !!o.checked }),
      h('label', { for: `${id}-${i}` }, o.label)))),
    help ? h('p', { class: 'help', id: `${id}-help` }, help) : null,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

// Reads the form into a JobRequest and lists what is wrong with it (id of control + message).
export function readForm(form) {
  const errors = [];
  const val = (id) => form.querySelector(`#${id}`).value.trim();
  const checked = (id) => [...form.querySelectorAll(`#${id} input[type=checkbox]:checked`)].map((c) => c.value);
  const num = (id, { required, min, max, minExclusive, integer, label }) => {
    const raw = val(id);
    if (raw === '') {
      if (required) errors.push({ id, message: `${label} is required.` });
      return undefined;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) { errors.push({ id, message: `${label} must be a number.` }); return undefined; }
    if (integer && !Number.isInteger(n)) { errors.push({ id, message: `${label} must be a whole number.` }); return undefined; }
    if (minExclusive != null && !(n > minExclusive)) errors.push({ id, message: `${label} must be greater than ${minExclusive}.` });
    if (min != null && n < min) errors.push({ id, message: `${label} must be at least ${min}.` });
    if (max != null && n > max) errors.push({ id, message: `${label} must be at most ${max}.` });
    return n;
  };

  const request = {};
  request.modelId = val('f-model') || undefined;
  if (!request.modelId) errors.push({ id: 'f-model', message: 'Choose a model.' });
  request.deviceIds = checked('f-devices');
  if (!request.deviceIds.length) errors.push({ id: 'f-devices', message: 'Tick at least one target device.' });
  if (request.deviceIds.length > 64) errors.push({ id: 'f-devices', message: 'At most 64 devices per job.' });
  request.latencyTargetMs = num('f-latency', { required: true, minExclusive: 0, label: 'Latency target' });
  request.maxAccuracyDrop = num('f-drop', { required: true, min: 0, max: 100, label: 'Max accuracy drop' });
  request.strategy = val('f-strategy') || undefined;

  const seedRaw = val('f-seed');
  if (seedRaw !== '') {
    if (!/^-?\d+$/.test(seedRaw) || !Number.isSafeInteger(Number(seedRaw))) {
      errors.push({ id: 'f-seed', message: /^-?\d+$/.test(seedRaw) ? 'Seed is too large: use at most 15 digits.' : 'Seed must be a whole number, e.g. 42.' });
    } else request.seed = Number(seedRaw);
  }

  const maxTrials = num('f-max-trials', { min: 1, max: 1000000, integer: true, label: 'Max trials' });
  const maxWallSeconds = num('f-max-wall', { min: 1, max: 31536000, integer: true, label: 'Max wall time' });
  if (maxTrials != null || maxWallSeconds != null) request.budget = { maxTrials, maxWallSeconds };

  const fmin = num('f-fid-min', { min: 0, max: 1000, label: 'Fidelity min' });
  const fmax = num('f-fid-max', { min: 0, max: 1000, label: 'Fidelity max' });
  if (fmin != null && fmax != null && fmin > fmax) errors.push({ id: 'f-fid-max', message: 'Fidelity max must not be below fidelity min.' });
  if (fmin != null || fmax != null) request.fidelity = { min: fmin, max: fmax };

  const objectives = checked('f-objectives');
  if (objectives.length && objectives.length < OBJECTIVES.length) request.objectives = objectives;
  if (form.querySelector('#f-objectives') && !objectives.length) errors.push({ id: 'f-objectives', message: 'Keep at least one objective.' });

  const space = {};
  const schemes = checked('f-schemes');
  if (schemes.length) space.schemes = schemes;
  const bits = checked('f-bits').map(Number);
  if (bits.length) space.quantizeBits = bits;
  const ratesRaw = val('f-rates');
  if (ratesRaw) {
    const rates = ratesRaw.split(/[,\s]+/).filter(Boolean).map(Number);
    if (rates.some((r) => !Number.isFinite(r) || r <= 0 || r >= 1)) errors.push({ id: 'f-rates', message: 'Each rate must be a number strictly between 0 and 1.' });
    else space.rates = rates;
  }
  const layersRaw = val('f-layers');
  if (layersRaw) space.layers = layersRaw.split(/[,\s]+/).filter(Boolean);
  if (Object.keys(space).length) request.searchSpace = space;

  return { request: JSON.parse(JSON.stringify(request)), errors };
}

function clearErrors(form, summary) {
  summary.hidden = true;
  replace(summary);
  for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  for (const f of form.querySelectorAll('.field.has-error')) f.classList.remove('has-error');
}

function showErrors(form, summary, errors, headline) {
  const unplaced = [];
  for (const e of errors) {
    const slot = e.id && form.querySelector(`#${e.id}-error`);
    if (!slot) { unplaced.push(e); continue; }
    slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
    slot.hidden = false;
    const control = form.querySelector(`#${e.id}`);
    control.setAttribute('aria-invalid', 'true');
    control.closest('.field')?.classList.add('has-error');
  }
  const n = errors.length;
  replace(summary,
    h('p', null, h('strong', null, headline || `Please fix ${n} problem${n === 1 ? '' : 's'}:`)),
    n ? h('ul', null, errors.map((e) => h('li', null, e.id && form.querySelector(`#${e.id}`)
      ? h('a', { href: `#${e.id}`, onclick: (ev) => { ev.preventDefault(); focusControl(form, e.id); } }, e.message)
      : `${e.field ? e.field + ': ' : ''}${e.message}`))) : null);
  summary.hidden = false;
  const first = errors.find((e) => e.id && form.querySelector(`#${e.id}`));
  if (first && !unplaced.length) focusControl(form, first.id);
  else summary.focus();
}

function focusControl(form, id) {
  const c = form.querySelector(`#${id}`);
  const adv = c.closest('details');
  if (adv) adv.open = true;
  const target = c.tagName === 'FIELDSET' ? (c.querySelector('input') || c) : c;
  target.focus();
}
