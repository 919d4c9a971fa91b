// Small DOM helpers: build elements without innerHTML so API strings are never parsed as markup.
import { fmtNum, relTime, fmtDate } from './format.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'open') {
      el[k] = !!v;
      if (v) el.setAttribute(k, '');
    } else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// <time> with the absolute date as its title, refreshed by refreshRelativeTimes().
export function timeEl(iso) {
  return h('time', { datetime: iso || '', title: fmtDate(iso), 'data-rel': iso ? '1' : null }, relTime(iso));
}

export function refreshRelativeTimes(root = document) {
  for (const t of root.querySelectorAll('time[data-rel]')) t.textContent = relTime(t.getAttribute('datetime'));
}

export function stateBadge(state) {
  return h('span', { class: ['badge', `state-${String(state || 'unknown').toLowerCase()}`] }, state || 'UNKNOWN');
}

// A one-line, human summary of a compression configuration (docs/contracts.md).
export function summarizeConfig(config) {
  if (!config || typeof config !== 'object') return 'dense baseline';
  const parts = [];
  const one = (spec) => {
    const bits = [];
    const p = spec && spec.prune;
    if (p && p.scheme && p.scheme !== 'none') {
      const extra = [];
      if (p.patterns != null) extra.push(`${p.patterns} patterns`);
      if (p.connectivity != null) extra.push(`conn ${fmtNum(p.connectivity, 2)}`);
      if (p.rate != null) extra.push(`rate ${fmtNum(p.rate, 2)}`);
      if (Array.isArray(p.block)) extra.push(`block ${p.block.join('×')}`);
      bits.push(extra.length ? `${p.scheme} (${extra.join(', ')})` : p.scheme);
    }
    const q = spec && spec.quantize;
    if (q && q.bits) bits.push(`int${q.bits}${q.scheme ? ' ' + q.scheme : ''}`);
    return bits.join(' + ');
  };
  if (config.default) {
    const d = one(config.default);
    if (d) parts.push(`default: ${d}`);
  }
  if (config.layers && typeof config.layers === 'object') {
    for (const [name, spec] of Object.entries(config.layers)) {
      const t = one(spec);
      if (t) parts.push(`${name}: ${t}`);
    }
  }
  return parts.length ? parts.join('; ') : 'dense baseline';
}
