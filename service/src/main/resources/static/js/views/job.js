// #/jobs/{id}: live progress (polled), the frontier per target device, the trial table, cancel.
import { api } from '../api.js';
import { h, replace, timeEl, stateBadge } from '../dom.js';
import { shortId, fmtPct, fmtPp, fmtMs, fmtNum, fmtDuration, fmtEpochs } from '../format.js';
import { frontierPlot, sparkline } from '../plot.js';
import { trialTable, measurementFor, latencyOf, isEstimated } from '../trial-table.js';
import { TERMINAL_JOB_STATES, progressCell, pointSummary, dl, loading, errorBox, nameMap, isBaselineJob, baselineTag } from './shared.js';

export function render(root, { jobId }, ctx) {
  ctx.setTitle(`Job ${shortId(jobId)}`);
  const title = h('h1', null, 'Job ', h('span', { class: 'mono' }, shortId(jobId)));
  const stateSlot = h('span', { class: 'head-state', 'data-testid': 'job-state' });
  const cancelBtn = h('button', { type: 'button', class: 'btn btn-danger', id: 'cancel-job', hidden: true }, 'Cancel job');
  const liveNote = h('span', { class: 'muted live-note', 'aria-live': 'off' });
  const progressSec = h('section', { class: 'card', 'aria-labelledby': 'progress-h' }, h('h2', { id: 'progress-h' }, 'Progress'), loading());
  const settingsSec = h('section', { class: 'card', 'aria-labelledby': 'settings-h' }, h('h2', { id: 'settings-h' }, 'Settings'));
  const plotsSec = h('div', { class: 'plots' });
  const tableHost = h('div');
  const tableSec = h('section', { class: 'card', 'aria-labelledby': 'trials-h' }, h('h2', { id: 'trials-h' }, 'Trials'), tableHost);

  replace(root,
    h('div', { class: 'page-head' }, h('div', { class: 'title-row' }, title, stateSlot), h('div', { class: 'head-actions' }, liveNote, cancelBtn)),
    h('p', null, h('a', { href: '#/jobs' }, '← All jobs')),
    h('div', { class: 'grid-top' }, progressSec, settingsSec),
    plotsSec, tableSec);

  const table = trialTable(tableHost, { idPrefix: 'trials', onOpen: (id) => ctx.navigate(`#/trials/${id}`) });
  const plots = new Map(); // deviceId -> { section, plot, info, spark }
  const hvHistory = new Map(); // deviceId -> [{x, y}] from the API when it has it
  let devices = new Map();
  let models = new Map();
  let job = null;
  let namesAt = 0;

  cancelBtn.addEventListener('click', async () => {
    const ok = await ctx.confirm({
      title: 'Cancel this job?',
      text: 'Queued trials are dropped and running ones are abandoned. Results measured so far are kept.',
      confirmLabel: 'Cancel job', cancelLabel: 'Keep running',
    });
    if (!ok) return;
    cancelBtn.disabled = true;
    try {
      job = await api.cancelJob(jobId, { signal: ctx.signal });
      drawJob();
    } catch (e) {
      ctx.error(e);
    } finally {
      cancelBtn.disabled = false;
    }
  });

  async function loadNames() {
    const [d, m] = await Promise.allSettled([api.devices({ signal: ctx.signal }), api.models({ signal: ctx.signal })]);
    if (d.status === 'fulfilled') devices = nameMap(d.value);
    if (m.status === 'fulfilled') models = nameMap(m.value);
  }

  let finalRound = false;
  ctx.every(ctx.pollMs, async () => {
    if (Date.now() - namesAt > 30_000) { namesAt = Date.now(); await loadNames(); }
    let frontier = null;
    let trials = [];
    try {
      job = await api.job(jobId, { signal: ctx.signal });
    } catch (e) {
      if (e.name !== 'AbortError' && ctx.active) replace(progressSec, h('h2', { id: 'progress-h' }, 'Progress'), errorBox(e));
      return e.status !== 404; // a missing job will not appear later
    }
    const [f, t] = await Promise.allSettled([api.frontier(jobId, { signal: ctx.signal }), api.allTrials(jobId, { signal: ctx.signal })]);
    if (!ctx.active) return false;
    if (f.status === 'fulfilled') frontier = f.value;
    if (t.status === 'fulfilled') trials = t.value;
    drawJob();
    drawPlots(frontier, trials);
    const devList = slots(frontier).map(({ deviceId, runtime }) => ({ id: deviceId, runtime, name: devices.get(deviceId) || shortId(deviceId) }));
    table.update(trials, devList);
    liveNote.textContent = TERMINAL_JOB_STATES.has(job.state) ? '' : 'live · updates every 2 s';
    // keep polling while the job can still change; one more round after it ends catches late writes
    if (TERMINAL_JOB_STATES.has(job.state)) {
      if (finalRound) return false;
      finalRound = true;
    }
    return true;
  });

  function drawJob() {
    if (!job) return;
    replace(stateSlot, stateBadge(job.state), isBaselineJob(job) ? [' ', baselineTag()] : null);
    cancelBtn.hidden = TERMINAL_JOB_STATES.has(job.state);
    const p = job.progress || {};
    const waiting = (p.waitingForDevices || []).map((id) => devices.get(id) || shortId(id));
    replace(progressSec, h('h2', { id: 'progress-h' }, 'Progress'),
      h('div', { class: 'progress-big', 'data-testid': 'job-progress' }, progressCell(p)),
      dl([
        ['Done', p.done ?? 0], ['Running', p.running ?? 0], ['Queued', p.queued ?? 0], ['Failed', p.failed ?? 0],
        ['Cancelled', p.cancelled || null],
        ['Baseline accuracy', p.baselineAccuracy != null ? fmtPct(p.baselineAccuracy) : null],
        ['Best so far', p.bestSoFar ? pointSummary(p.bestSoFar) : null],
        ['ETA', !TERMINAL_JOB_STATES.has(job.state) && p.etaSeconds != null ? fmtDuration(p.etaSeconds) : null],
      ]),
      waiting.length ? h('p', { class: 'alert alert-warn' }, `Waiting for offline device${waiting.length > 1 ? 's' : ''}: ${waiting.join(', ')}. Their measurements start when they heartbeat again.`) : null,
      job.state === 'PROFILING' ? h('p', { class: 'muted' }, 'Waiting for a worker to profile the model.') : null,
      job.error ? h('p', { class: 'alert alert-error' }, job.error) : null);
    const b = job.budget || {};
    const f = job.fidelity || {};
    const baseline = isBaselineJob(job);
    replace(settingsSec, h('h2', { id: 'settings-h' }, 'Settings'), dl([
      ['Purpose', baseline ? 'baseline: one measurement of the dense model, no search' : null],
      ['Model', models.get(job.modelId) || shortId(job.modelId)],
      ['Devices', (job.deviceIds || []).map((id) => devices.get(id) || shortId(id)).join(', ')],
      ['Runtimes', (job.runtimes || []).length ? `${job.runtimes.join(', ')} (the first steers the search)` : null],
      ['Latency target', !baseline && job.latencyTargetMs != null ? h('span', { 'data-testid': 'latency-target' }, fmtMs(job.latencyTargetMs)) : null],
      ['Max accuracy drop', !baseline && job.maxAccuracyDrop != null ? fmtPp(job.maxAccuracyDrop) : null],
      ['Strategy', job.strategy], ['Seed', job.seed],
      ['Objectives', (job.objectives || []).join(', ') || null],
      ['Budget', [b.maxTrials ? `${b.maxTrials} trials` : null, b.maxWallSeconds ? fmtDuration(b.maxWallSeconds) : null].filter(Boolean).join(', ') || null],
      ['Fidelity', f.min != null || f.max != null ? `${fmtNum(f.min, 3)} – ${fmtEpochs(f.max)}` : null],
      ['Created', timeEl(job.createdAt)], ['Finished', job.finishedAt ? timeEl(job.finishedAt) : null],
    ]));
  }

  // The (device, runtime) pairs the job measures on, as the frontier lists them (the first steers the
  // search); before the frontier has loaded, one per target device.
  function slots(frontier) {
    const listed = (frontier && frontier.devices) || [];
    if (listed.length) return listed.map((d) => ({ deviceId: d.deviceId, runtime: d.runtime, steering: d.steering }));
    return (job.deviceIds || []).map((id) => ({ deviceId: id, runtime: (job.runtimes || [])[0], steering: true }));
  }

  function drawPlots(frontier, trials) {
    const listed = (frontier && frontier.devices) || [];
    const manyRuntimes = new Set(listed.map((d) => d.runtime)).size > 1;
    for (const slot of slots(frontier)) {
      const id = slot.deviceId;
      const key = `${id}|${slot.runtime || ''}`;
      const df = listed.find((d) => d.deviceId === id && d.runtime === slot.runtime) || { deviceId: id, runtime: slot.runtime, points: [] };
      const name = devices.get(id) || shortId(id);
      let entry = plots.get(key);
      if (!entry) {
        const host = h('div', { class: 'plot-host' });
        const info = h('div', { class: 'plot-info' });
        const headId = `plot-h-${id}-${slot.runtime || 'default'}`;
        const section = h('section', { class: 'card plot-card', 'aria-labelledby': headId, 'data-device-id': id, 'data-runtime': slot.runtime || '', 'data-testid': 'device-frontier' },
          h('h2', { id: headId }, 'Frontier on ', h('span', { class: 'device-name' }, name),
            slot.runtime ? h('span', { class: 'runtime-name' }, ` · ${slot.runtime}`) : null,
            manyRuntimes && slot.steering ? h('span', { class: 'tag', title: 'the search optimised for this runtime; the others are the same builds measured with their runtime' }, 'steers the search') : null),
          h('div', { class: 'plot-layout' }, host, info),
          legend());
        plotsSec.append(section);
        entry = { section, host, info, plot: null, sig: '' };
        plots.set(key, entry);
      }
      entry.section.querySelector('.device-name').textContent = name;
      const points = [];
      for (const t of trials) {
        const m = measurementFor(t, id, slot.runtime);
        const lat = latencyOf(m);
        if (lat === null || !Number.isFinite(t.accuracy)) continue;
        // plotted by the validation accuracy the search selects by (the floors are on it too); test in the label
        const sel = Number.isFinite(t.validationAccuracy) ? t.validationAccuracy : t.accuracy;
        const useful = !(frontier && Number.isFinite(frontier.usefulnessFloor)) || sel >= frontier.usefulnessFloor;
        points.push({ trialId: t.id, seq: t.seq, accuracy: sel, testAccuracy: t.accuracy, latencyMs: lat, sizeBytes: t.sizeBytes, config: t.config, fidelity: t.fidelity, estimated: isEstimated(m), collapsed: !useful, polish: t.stage === 'POLISH' });
      }
      // a frontier point whose trial is not in the list (paging race) is still drawn
      for (const fp of df.points || []) {
        if (!points.some((p) => p.trialId === fp.trialId) && Number.isFinite(fp.latencyMs) && Number.isFinite(fp.accuracy)) {
          points.push({ trialId: fp.trialId, seq: fp.seq, accuracy: fp.validationAccuracy ?? fp.accuracy, testAccuracy: fp.accuracy, latencyMs: fp.latencyMs, sizeBytes: fp.sizeBytes, config: fp.config, collapsed: fp.useful === false, polish: fp.stage === 'POLISH' });
        }
      }
      const data = {
        deviceName: slot.runtime ? `${name} (${slot.runtime})` : name, points,
        frontierIds: new Set((df.points || []).map((p) => p.trialId)),
        recommendedId: df.recommended ? df.recommended.trialId : null,
        // a baseline job's target is a placeholder (10^9 ms): drawn, it would squash every point to the left
        latencyTargetMs: isBaselineJob(job) ? null : (frontier && frontier.latencyTargetMs) ?? job.latencyTargetMs,
        accuracyFloor: frontier ? frontier.accuracyFloor : undefined,
        onOpen: (tid) => ctx.navigate(`#/trials/${tid}`),
      };
      const sig = JSON.stringify([data.deviceName, points.map((p) => [p.trialId, p.accuracy, p.latencyMs, p.sizeBytes, p.estimated, p.collapsed]), [...data.frontierIds], data.recommendedId, data.latencyTargetMs, data.accuracyFloor]);
      if (!entry.plot) entry.plot = frontierPlot(entry.host, data);
      else if (sig !== entry.sig) entry.plot.update(data);
      entry.sig = sig;
      drawInfo(entry.info, df, points.length, frontier);
    }
  }

  function drawInfo(info, df, nPoints, frontier) {
    const rec = df.recommended;
    const hvKey = `${df.deviceId}|${df.runtime || ''}`;
    const history = df.hypervolumeHistory || df.hypervolumeOverTime; // not in the contract yet: drawn when present
    if (Array.isArray(history)) hvHistory.set(hvKey, history.map((p, i) => ({ x: Number.isFinite(p.seq) ? p.seq : Date.parse(p.at || p.time) || i, y: p.hypervolume ?? p.value })));
    const spark = sparkline(hvHistory.get(hvKey));
    replace(info, dl([
      ['Runtime', df.runtime ? h('span', { 'data-testid': 'runtime' }, df.runtime) : null],
      ['Dense baseline', Number.isFinite(df.baselineLatencyMs) ? fmtMs(df.baselineLatencyMs) : null],
      ['Measured trials', h('span', { 'data-testid': 'measured-count' }, df.measured ?? nPoints)],
      ['On the frontier', (df.points || []).length],
      ['Hypervolume', Number.isFinite(df.hypervolume) ? h('span', { 'data-testid': 'hypervolume', title: 'share of the reference box dominated (0..1)' }, fmtNum(df.hypervolume, 3)) : null],
      ['Accuracy floor', frontier && Number.isFinite(frontier.accuracyFloor) ? `${fmtPct(frontier.accuracyFloor)} (validation)` : null],
      ['Usefulness floor', frontier && Number.isFinite(frontier.usefulnessFloor) ? `${fmtPct(frontier.usefulnessFloor)} (below: collapsed, never recommended)` : null],
      ['Recommended', rec ? h('a', { href: `#/trials/${rec.trialId}` }, pointSummary(rec)) : h('span', { class: 'muted' }, 'none yet')],
    ]),
    spark ? h('figure', { class: 'spark' }, spark, h('figcaption', null, 'hypervolume over time')) : null,
    df.bestEffort ? h('p', { class: 'alert alert-warn' }, 'No trial meets both the latency target and the accuracy floor yet: the recommendation is the best effort.') : null,
    df.noUsefulTrial ? h('p', { class: 'alert alert-warn', 'data-testid': 'no-useful-trial' }, 'No useful trial yet: every measured configuration is below the usefulness floor, so nothing is recommended.') : null);
  }
}

function legend() {
  const items = [
    ['pt-trial', 'measured trial'], ['pt-frontier', 'frontier (line: best accuracy per latency)'], ['recommended', 'recommended'],
    ['target', 'latency target'], ['floor', 'accuracy floor'], ['pt-estimated', 'latency estimated'], ['pt-collapsed', 'collapsed (below the usefulness floor)'],
  ];
  return h('ul', { class: 'legend', 'aria-label': 'Legend' }, items.map(([cls, text]) => h('li', null, h('span', { class: `swatch sw-${cls}`, 'aria-hidden': 'true' }), text)),
    h('li', { class: 'muted' }, 'marker area ∝ artifact size · arrow keys move between points'));
}
