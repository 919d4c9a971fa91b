// #/devices: registered devices, online or not, last heartbeat, hardware, measurement queue.
import { api } from '../api.js';
import { h, replace, timeEl } from '../dom.js';
import { fmtBytes, shortId } from '../format.js';
import { dl, loading, errorBox } from './shared.js';

export function render(root, _params, ctx) {
  ctx.setTitle('Devices');
  const body = h('div', { 'data-testid': 'devices' }, loading());
  replace(root, h('div', { class: 'page-head' }, h('h1', null, 'Devices'), h('span', { class: 'muted live-note' }, 'updates every 5 s')), body);
  let sig = '';

  ctx.every(5000, async () => {
    let devices;
    let jobs = [];
    try {
      devices = await api.devices({ signal: ctx.signal });
    } catch (e) {
      if (ctx.active && e.name !== 'AbortError') replace(body, errorBox(e));
      return true;
    }
    // jobs whose measurements wait on a device (JobProgress.waitingForDevices)
    try { jobs = ((await api.jobs({ page: 0, size: 100, status: 'RUNNING' }, { signal: ctx.signal })).items) || []; } catch { /* optional */ }
    if (!ctx.active) return false;
    const next = JSON.stringify([devices, jobs.map((j) => [j.id, j.progress && j.progress.waitingForDevices])]);
    if (next === sig) return true;
    sig = next;
    draw(devices || [], jobs);
    return true;
  });

  function draw(devices, jobs) {
    if (!devices.length) {
      replace(body, h('p', { class: 'empty' }, 'No devices registered. A worker registers its device with POST /api/v1/devices.'));
      return;
    }
    const sorted = [...devices].sort((a, b) => (a.status === b.status ? a.name.localeCompare(b.name) : a.status === 'ONLINE' ? -1 : 1));
    const online = devices.filter((d) => d.status === 'ONLINE').length;
    replace(body,
      h('p', { class: 'muted' }, `${online} of ${devices.length} online`),
      h('ul', { class: 'device-list' }, sorted.map((d) => {
        const hw = d.hardware || {};
        const waiting = jobs.filter((j) => ((j.progress && j.progress.waitingForDevices) || []).includes(d.id));
        const queue = d.queuedMeasurements ?? d.measurementQueue ?? d.queue; // not in the contract yet
        const headId = `dev-${d.id}`;
        return h('li', { class: 'card device', 'data-device-id': d.id, 'data-status': d.status, 'aria-labelledby': headId },
          h('div', { class: 'device-head' },
            h('h2', { id: headId }, d.name),
            h('span', { class: ['badge', d.status === 'ONLINE' ? 'state-online' : 'state-offline'], 'data-testid': 'device-status' },
              d.status === 'ONLINE' ? 'online' : 'offline')),
          dl([
            ['Last heartbeat', timeEl(d.lastHeartbeatAt)],
            ['CPU', hw.cpuModel], ['Cores', hw.cores], ['SIMD', hw.simdBits != null ? `${hw.simdBits} bit` : null],
            ['Memory', hw.memoryMb != null ? fmtBytes(hw.memoryMb * 2 ** 20) : null],
            ['OS / arch', [hw.os, hw.arch].filter(Boolean).join(' / ') || null], ['Runtime', hw.runtime],
            ['Labels', d.labels && Object.keys(d.labels).length ? Object.entries(d.labels).map(([k, v]) => `${k}=${v}`).join(', ') : null],
            ['Measurement queue', typeof queue === 'number' ? `${queue} waiting` : Array.isArray(queue) ? `${queue.length} waiting` : null],
            ['Jobs waiting on it', waiting.length ? waiting.map((j, i) => [i ? ', ' : '', h('a', { href: `#/jobs/${j.id}` }, shortId(j.id))]) : null],
            ['Registered', timeEl(d.createdAt)],
          ]));
      })));
  }
}
