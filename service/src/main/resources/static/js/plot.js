// The frontier plot: an SVG scatter of accuracy (%) against latency (ms), marker area proportional to
// artifact size. Every measured trial is drawn faint, the frontier highlighted and connected, the
// latency target and accuracy floor drawn as lines, the recommended point ringed. Points are
// keyboard-reachable (one tab stop, arrow keys between points) and show a tooltip on hover or focus.
import { h, s, replace, summarizeConfig } from './dom.js';
import { fmtPct, fmtMs, fmtBytes, fmtNum, fmtTick, fmtEpochs } from './format.js';

let tooltipSeq = 0;

// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten.
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function tickStep(ticks) {
  return ticks.length > 1 ? ticks[1] - ticks[0] : 1;
}

function domain(values, { pad = 0.08, floor = -Infinity, ceil = Infinity } = {}) {
  const vs = values.filter((v) => Number.isFinite(v));
  if (!vs.length) return [0, 1];
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  lo = Math.max(floor, lo - span * pad);
  hi = Math.min(ceil, hi + span * pad);
  if (hi <= lo) hi = lo + 1;
  return [lo, hi];
}

/**
 * data: { deviceName, points: [{trialId, seq, accuracy, latencyMs, sizeBytes, config, fidelity, estimated}],
 *         frontierIds: Set, recommendedId, latencyTargetMs, accuracyFloor, onOpen(trialId) }
 * Returns { update(data), destroy() }.
 */
export function frontierPlot(container, initial) {
  let data = initial;
  let lastWidth = 0;
  let focusedId = null;
  const tipId = `plot-tip-${++tooltipSeq}`;
  const wrap = h('div', { class: 'plot-wrap' });
  const tip = h('div', { class: 'plot-tip', id: tipId, role: 'tooltip', hidden: true });
  replace(container, wrap);

  function draw() {
    const width = Math.max(280, Math.floor(container.clientWidth || 640));
    lastWidth = width;
    const height = Math.round(Math.min(440, Math.max(240, width * 0.58)));
    const m = { l: 54, r: 14, t: 14, b: 44 };
    const pw = width - m.l - m.r;
    const ph = height - m.t - m.b;
    const pts = data.points.filter((p) => Number.isFinite(p.latencyMs) && Number.isFinite(p.accuracy));
    const target = Number.isFinite(data.latencyTargetMs) ? data.latencyTargetMs : null;
    const floor = Number.isFinite(data.accuracyFloor) ? data.accuracyFloor : null;

    const [x0, x1] = domain([...pts.map((p) => p.latencyMs), ...(target !== null ? [target] : [])], { floor: 0 });
    const [y0, y1] = domain([...pts.map((p) => p.accuracy), ...(floor !== null ? [floor] : [])], { floor: 0, ceil: 100 });
    const X = (v) => m.l + ((v - x0) / (x1 - x0)) * pw;
    const Y = (v) => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
    const maxSize = Math.max(1, ...pts.map((p) => p.sizeBytes || 0));
    const rMax = Math.max(7, Math.min(16, width / 45));
    const R = (size) => Math.max(3, rMax * Math.sqrt((size || 0) / maxSize));

    const svg = s('svg', { class: 'plot', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
      'aria-label': `Accuracy against latency on ${data.deviceName}: ${pts.length} measured trials, ${data.frontierIds.size} on the frontier`,
      'data-testid': 'frontier-plot' });
    svg.append(s('title', null, `Frontier on ${data.deviceName}`));

    // grid and axes
    const grid = s('g', { class: 'grid', 'aria-hidden': 'true' });
    const xTicks = niceTicks(x0, x1, Math.max(3, Math.floor(pw / 90)));
    for (const t of xTicks) {
      grid.append(s('line', { x1: X(t), x2: X(t), y1: m.t, y2: m.t + ph }),
        s('text', { x: X(t), y: m.t + ph + 16, 'text-anchor': 'middle', class: 'tick' }, fmtTick(t, tickStep(xTicks))));
    }
    const yTicks = niceTicks(y0, y1, Math.max(3, Math.floor(ph / 50)));
    for (const t of yTicks) {
      grid.append(s('line', { x1: m.l, x2: m.l + pw, y1: Y(t), y2: Y(t) }),
        s('text', { x: m.l - 6, y: Y(t) + 4, 'text-anchor': 'end', class: 'tick' }, fmtTick(t, tickStep(yTicks))));
    }
    grid.append(
      s('rect', { x: m.l, y: m.t, width: pw, height: ph, class: 'frame' }),
      s('text', { x: m.l + pw / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis-label' }, 'latency (ms, median)'),
      s('text', { x: 12, y: m.t + ph / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${m.t + ph / 2})` }, 'validation accuracy (%)'));
    svg.append(grid);

    // constraint lines
    if (target !== null) {
      svg.append(s('g', { class: 'target', 'data-testid': 'latency-target-line' },
        s('line', { x1: X(target), x2: X(target), y1: m.t, y2: m.t + ph }),
        s('text', { x: X(target) + 4, y: m.t + ph - 6, class: 'line-label' }, `target ${fmtMs(target)}`)));
    }
    if (floor !== null) {
      svg.append(s('g', { class: 'floor', 'data-testid': 'accuracy-floor-line' },
        s('line', { x1: m.l, x2: m.l + pw, y1: Y(floor), y2: Y(floor) }),
        s('text', { x: m.l + pw - 4, y: Y(floor) - 5, 'text-anchor': 'end', class: 'line-label' }, `floor ${fmtPct(floor)}`)));
    }

    // The frontier is over (accuracy, latency, size): some of its points only win on size and would
    // zig-zag if joined. The line is the staircase of the frontier points that are also best in
    // (accuracy, latency): the best accuracy reachable at each latency.
    const front = pts.filter((p) => data.frontierIds.has(p.trialId)).sort((a, b) => a.latencyMs - b.latencyMs || b.accuracy - a.accuracy);
    const stairs = [];
    for (const p of front) if (!stairs.length || p.accuracy > stairs[stairs.length - 1].accuracy) stairs.push(p);
    if (stairs.length > 1) {
      const coords = [];
      stairs.forEach((p, i) => {
        if (i > 0) coords.push(`${X(p.latencyMs)},${Y(stairs[i - 1].accuracy)}`);
        coords.push(`${X(p.latencyMs)},${Y(p.accuracy)}`);
      });
      svg.append(s('polyline', { class: 'frontier-line', 'aria-hidden': 'true', 'data-testid': 'frontier-line', points: coords.join(' ') }));
    }

    // points: faint trials first, frontier on top, recommended last; keyboard order by latency
    const order = [...pts].sort((a, b) => a.latencyMs - b.latencyMs || b.accuracy - a.accuracy);
    const rank = (p) => (p.trialId === data.recommendedId ? 2 : data.frontierIds.has(p.trialId) ? 1 : 0);
    const drawOrder = [...pts].sort((a, b) => rank(a) - rank(b) || (b.sizeBytes || 0) - (a.sizeBytes || 0));
    const initialStop = (focusedId && pts.find((p) => p.trialId === focusedId)) || pts.find((p) => p.trialId === data.recommendedId) || front[0] || order[0];
    const layer = s('g', { class: 'points' });
    const byId = new Map();
    for (const p of drawOrder) {
      const isFront = data.frontierIds.has(p.trialId);
      const isRec = p.trialId === data.recommendedId;
      const label = `Trial ${p.seq ?? ''}: accuracy ${fmtPct(p.accuracy)}${Number.isFinite(p.testAccuracy) && p.testAccuracy !== p.accuracy ? ` validation, ${fmtPct(p.testAccuracy)} test` : ''}${p.polish ? ', polished' : ''}${p.collapsed ? ', collapsed' : ''}, latency ${fmtMs(p.latencyMs)}${p.estimated ? ' (estimated)' : ''}, size ${fmtBytes(p.sizeBytes)}${isFront ? ', on the frontier' : ''}${isRec ? ', recommended' : ''}`;
      const c = s('circle', {
        cx: X(p.latencyMs), cy: Y(p.accuracy), r: R(p.sizeBytes),
        class: ['pt', isFront ? 'pt-frontier' : 'pt-trial', isRec ? 'pt-recommended' : null, p.estimated ? 'pt-estimated' : null, p.collapsed ? 'pt-collapsed' : null].filter(Boolean).join(' '),
        tabindex: p === initialStop ? '0' : '-1', role: 'button', 'aria-label': label,
        'data-testid': 'plot-point', 'data-trial-id': p.trialId, 'data-frontier': isFront ? 'true' : 'false',
      });
      byId.set(p.trialId, c);
      layer.append(c);
    }
    svg.append(layer);
    const rec = pts.find((p) => p.trialId === data.recommendedId);
    if (rec) {
      const r = R(rec.sizeBytes) + 5;
      svg.append(s('g', { class: 'recommended', 'aria-hidden': 'true', 'data-testid': 'recommended-marker' },
        s('circle', { cx: X(rec.latencyMs), cy: Y(rec.accuracy), r }),
        s('text', { x: X(rec.latencyMs) + r + 3, y: Y(rec.accuracy) - r + 2, class: 'line-label' }, 'recommended')));
    }
    if (!pts.length) {
      svg.append(s('text', { x: m.l + pw / 2, y: m.t + ph / 2, 'text-anchor': 'middle', class: 'empty-label' }, 'no measured trials yet'));
    }

    // interaction
    const byEl = (el) => pts.find((p) => p.trialId === el.getAttribute('data-trial-id'));
    const showTip = (el) => {
      const p = byEl(el);
      if (!p) return;
      fillTip(p);
      tip.hidden = false;
      el.setAttribute('aria-describedby', tipId);
      const cx = Number(el.getAttribute('cx'));
      const cy = Number(el.getAttribute('cy'));
      const tw = tip.offsetWidth;
      const th = tip.offsetHeight;
      let left = cx + 12;
      if (left + tw > width - 4) left = Math.max(4, cx - tw - 12);
      let top = cy - th - 10;
      if (top < 4) top = Math.min(height - th - 4, cy + 12);
      tip.style.left = `${left}px`;
      tip.style.top = `${Math.max(4, top)}px`;
    };
    const hideTip = (el) => {
      tip.hidden = true;
      if (el) el.removeAttribute('aria-describedby');
    };
    const moveFocus = (from, to) => {
      if (!to) return;
      from.setAttribute('tabindex', '-1');
      to.setAttribute('tabindex', '0');
      to.focus();
    };
    layer.addEventListener('mouseover', (ev) => { if (ev.target.matches('.pt')) showTip(ev.target); });
    layer.addEventListener('mouseout', (ev) => { if (ev.target.matches('.pt') && document.activeElement !== ev.target) hideTip(ev.target); });
    layer.addEventListener('focusin', (ev) => {
      if (!ev.target.matches('.pt')) return;
      focusedId = ev.target.getAttribute('data-trial-id');
      for (const el of layer.querySelectorAll('.pt[tabindex="0"]')) if (el !== ev.target) el.setAttribute('tabindex', '-1');
      ev.target.setAttribute('tabindex', '0');
      showTip(ev.target);
    });
    layer.addEventListener('focusout', (ev) => { if (ev.target.matches('.pt')) hideTip(ev.target); });
    layer.addEventListener('click', (ev) => { if (ev.target.matches('.pt')) data.onOpen(ev.target.getAttribute('data-trial-id')); });
    layer.addEventListener('keydown', (ev) => {
      const el = ev.target;
      if (!el.matches('.pt')) return;
      const i = order.findIndex((p) => p.trialId === el.getAttribute('data-trial-id'));
      const go = (j) => { ev.preventDefault(); moveFocus(el, byId.get(order[Math.max(0, Math.min(order.length - 1, j))].trialId)); };
      switch (ev.key) {
        case 'ArrowRight': case 'ArrowDown': go(i + 1); break;
        case 'ArrowLeft': case 'ArrowUp': go(i - 1); break;
        case 'Home': go(0); break;
        case 'End': go(order.length - 1); break;
        case 'Enter': case ' ': ev.preventDefault(); data.onOpen(el.getAttribute('data-trial-id')); break;
        case 'Escape': hideTip(el); break;
        default:
      }
    });

    const hadFocus = wrap.contains(document.activeElement) && focusedId;
    replace(wrap, svg, tip);
    tip.hidden = true;
    if (hadFocus && byId.get(focusedId)) byId.get(focusedId).focus({ preventScroll: true });
  }

  function fillTip(p) {
    const isFront = data.frontierIds.has(p.trialId);
    const isRec = p.trialId === data.recommendedId;
    replace(tip,
      h('div', { class: 'tip-head' }, `Trial #${p.seq ?? '?'}`,
        isRec ? h('span', { class: 'badge state-recommended' }, 'recommended') : isFront ? h('span', { class: 'badge state-frontier' }, 'frontier') : null),
      h('div', null, `Accuracy ${fmtPct(p.accuracy)} `, h('span', { class: 'tag' }, 'measured')),
      h('div', null, `Latency ${fmtMs(p.latencyMs)} `, h('span', { class: ['tag', p.estimated ? 'tag-warn' : null] }, p.estimated ? 'estimated' : 'measured')),
      h('div', null, `Size ${fmtBytes(p.sizeBytes)}`, p.fidelity != null ? ` · fidelity ${fmtEpochs(p.fidelity)}` : ''),
      h('div', { class: 'tip-config' }, summarizeConfig(p.config)),
      h('div', { class: 'muted tip-hint' }, 'Click or press Enter for details'));
  }

  const ro = typeof ResizeObserver === 'function'
    ? new ResizeObserver(() => { if (Math.abs((container.clientWidth || 0) - lastWidth) > 4) draw(); })
    : null;
  if (ro) ro.observe(container);
  draw();

  return {
    update(next) { data = next; draw(); },
    destroy() { if (ro) ro.disconnect(); },
  };
}

// A small line chart of values over time (hypervolume history), or null when there is nothing to draw.
export function sparkline(series, { width = 240, height = 56, label = 'hypervolume over time' } = {}) {
  const vs = (series || []).filter((p) => Number.isFinite(p.y));
  if (vs.length < 2) return null;
  const xs = vs.map((p) => p.x);
  const ys = vs.map((p) => p.y);
  const [xa, xb] = [Math.min(...xs), Math.max(...xs)];
  const [ya, yb] = [Math.min(...ys, 0), Math.max(...ys)];
  const X = (v) => 2 + ((v - xa) / (xb - xa || 1)) * (width - 4);
  const Y = (v) => height - 2 - ((v - ya) / (yb - ya || 1)) * (height - 4);
  return s('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${label}: from ${fmtNum(ys[0], 4)} to ${fmtNum(ys[ys.length - 1], 4)}` },
    s('polyline', { points: vs.map((p) => `${X(p.x)},${Y(p.y)}`).join(' ') }));
}
