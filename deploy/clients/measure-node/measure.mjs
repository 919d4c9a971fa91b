#!/usr/bin/env node
// Frontier's reference measuring client outside the JVM: it speaks the open lease protocol over plain
// HTTP, leases MEASURE tasks for the ONNX Runtime on the device it runs on, times each trial's ONNX
// export with the same latency protocol as the Java worker and reports the result. Everything it
// needs from the coordinator is in README.md beside it; nothing here is specific to this machine.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';

const CLIENT = 'frontier-measure-node';
const RUNTIME = 'onnxruntime';
const HEARTBEAT_MS = 10_000;
const LEASE_WAIT_SECONDS = 20;
// the Java worker's LatencyProtocol.Options.defaults()
const PROTOCOL = { warmupRuns: 300, warmupMs: 1000, repeat: 30, minRepeatMs: 20 };
const ORT_VERSION = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';

const USAGE = `usage: node measure.mjs --coordinator URL --token TOKEN --device NAME [--max-tasks N] [--input-shape C,H,W]
  --coordinator  the coordinator's base URL (env FRONTIER_URL)
  --token        an admin, enrollment or worker token (env FRONTIER_TOKEN)
  --device       the name of the device this runs on; registered on first use
  --max-tasks    exit after this many MEASURE tasks (default: run until SIGINT/SIGTERM)
  --input-shape  C,H,W of the model input when the ONNX file does not state it`;

function usage(message) {
  console.error(`measure-node: ${message}\n${USAGE}`);
  process.exit(2);
}

function log(message) {
  console.log(`${new Date().toISOString()} ${message}`);
}

function parseCli(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        coordinator: { type: 'string' },
        token: { type: 'string' },
        device: { type: 'string' },
        'max-tasks': { type: 'string' },
        'input-shape': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    usage(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const url = values.coordinator ?? process.env.FRONTIER_URL;
  const token = values.token ?? process.env.FRONTIER_TOKEN;
  if (!url) usage('--coordinator (or FRONTIER_URL) is required');
  if (!token) usage('--token (or FRONTIER_TOKEN) is required');
  if (!values.device) usage('--device is required');
  let maxTasks = 0;
  if (values['max-tasks'] !== undefined) {
    maxTasks = Number(values['max-tasks']);
    if (!Number.isInteger(maxTasks) || maxTasks < 1) usage('--max-tasks must be a positive integer');
  }
  let inputShape = null;
  if (values['input-shape'] !== undefined) {
    inputShape = values['input-shape'].split(',').map(Number);
    if (inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      usage('--input-shape must be three positive integers C,H,W');
    }
  }
  return { url: url.replace(/\/+$/, ''), token, device: values.device, maxTasks, inputShape };
}

// --- HTTP ---------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, detail) {
    super(`HTTP ${status}: ${detail}`);
    this.status = status;
  }
}

/** JSON (or, with binary, bytes) over the coordinator's API; problem documents become ApiError(detail). */
class Api {
  constructor(url, token) {
    this.base = `${url}/api/v1/`;
    this.token = token;
  }

  async call(method, path, body, { binary = false, timeoutMs = 30_000, signal } = {}) {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (signal) signals.push(signal);
    const res = await fetch(this.base + path, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any(signals),
    });
    if (!res.ok) {
      const text = await res.text();
      let detail = text || res.statusText;
      try {
        const problem = JSON.parse(text);
        detail = problem.detail ?? problem.title ?? detail;
      } catch {
        // not a problem document: keep the body as it is
      }
      const error = new ApiError(res.status, detail);
      error.retryAfterMs = 1000 * (Number(res.headers.get('retry-after')) || 0);
      throw error;
    }
    if (binary) return Buffer.from(await res.arrayBuffer());
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }

  get(path, options) {
    return this.call('GET', path, undefined, options);
  }

  post(path, body, options) {
    return this.call('POST', path, body ?? {}, options);
  }
}

/** Network errors, 5xx and 503-with-Retry-After pass (a coordinator restart); 4xx are real answers. */
function transient(e) {
  return !(e instanceof ApiError) || e.status >= 500;
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Retries transient failures with a growing pause: a coordinator restart must not end the client. */
async function retrying(what, fn, stop) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!transient(e) || stop?.aborted) throw e;
      const pause = Math.max(e.retryAfterMs ?? 0, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
      log(`${what}: ${e.message}; retrying in ${Math.round(pause / 1000)} s`);
      await sleep(pause, stop);
    }
  }
}

// --- device and worker registration -------------------------------------------------------------

function hardware() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() || os.arch(),
    cores: Math.max(1, cpus.length),
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
  };
}

function runtimes() {
  return [{ name: RUNTIME, version: ORT_VERSION, target: `${os.arch()}-${os.platform()}` }];
}

/** The device of that name, registered on first use; an existing one learns our runtime from the heartbeat. */
async function attachDevice(api, name) {
  const existing = (await api.get('devices')).find((d) => d.name === name);
  if (existing) {
    await api.post(`devices/${existing.id}/heartbeat`, { runtimes: runtimes() });
    return existing.id;
  }
  const device = await api.post('devices', {
    name,
    labels: { agent: CLIENT },
    hardware: hardware(),
    runtimes: runtimes(),
  });
  return device.id;
}

async function registerWorker(api, deviceId, deviceName) {
  const worker = await api.post('workers', {
    name: `${CLIENT}@${os.hostname()}/${deviceName}`,
    deviceId,
    roles: ['measure'],
    // only onnxruntime MEASURE tasks are leased to this worker, whatever else the device offers
    runtimes: [RUNTIME],
  });
  // an admin or enrollment token gets a token bound to this worker: from now on we act only as it
  if (worker.token) api.token = worker.token;
  return worker.id;
}

// --- measuring ----------------------------------------------------------------------------------

/** Deterministic standard normal floats (mulberry32 + Box-Muller): the same input on every run. */
function gaussianInput(size, seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = 1 - uniform(); // (0, 1]: log(0) is not a number
    data[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  }
  return data;
}

/** C,H,W of the single NCHW input: the flag wins, else the session's input metadata. */
function inputDims(session, override) {
  if (session.inputNames.length !== 1) {
    throw new Error(`expected one model input, got ${session.inputNames.length}: ${session.inputNames.join(', ')}`);
  }
  if (override) return override;
  const meta = session.inputMetadata?.[0];
  const shape = meta?.shape;
  if (meta && meta.type !== 'float32') throw new Error(`input ${meta.name} is ${meta.type}, not float32`);
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`input shape ${JSON.stringify(shape)} is not N x C x H x W with known C, H, W; pass --input-shape C,H,W`);
  }
  return shape.slice(1);
}

/** Linear-interpolated percentile (as the Java worker's LatencyProtocol.percentile) of sorted values. */
function percentile(sorted, p) {
  if (sorted.length === 1) return sorted[0];
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The latency protocol: warm-up runs discarded (at least 300 runs and 1 s: ORT allocates and
 * caches on the first runs), then `number` doubled until `number` runs last >= 20 ms, then 30
 * samples each the mean of `number` runs. session.run is asynchronous in Node (the work runs off the
 * main thread), so each run is awaited and the awaits are what is timed: no run overlaps another.
 * `task` carries progress for the lease heartbeat and says when the lease was lost.
 */
async function timeModel(session, feeds, task) {
  const runs = async (n) => {
    for (let k = 0; k < n; k++) {
      if (task.lost) throw new LeaseLost();
      await session.run(feeds);
    }
  };
  const elapsedMs = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

  task.progress = 0.05;
  task.message = 'warming up';
  const warm = process.hrtime.bigint();
  for (let k = 0; k < PROTOCOL.warmupRuns || elapsedMs(warm) < PROTOCOL.warmupMs; k++) await runs(1);

  task.progress = 0.3;
  task.message = 'calibrating number';
  let number = 1;
  while (number < 1 << 20) {
    const t0 = process.hrtime.bigint();
    await runs(number);
    if (elapsedMs(t0) >= PROTOCOL.minRepeatMs) break;
    number *= 2;
  }

  const samples = [];
  for (let s = 0; s < PROTOCOL.repeat; s++) {
    task.progress = 0.4 + (0.6 * s) / PROTOCOL.repeat;
    task.message = `sample ${s + 1}/${PROTOCOL.repeat} of ${number} runs`;
    const t0 = process.hrtime.bigint();
    await runs(number);
    samples.push(elapsedMs(t0) / number);
  }

  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, samples.length - 1);
  return {
    medianMs: percentile(sorted, 50),
    p10Ms: percentile(sorted, 10),
    p90Ms: percentile(sorted, 90),
    stdevMs: Math.sqrt(variance),
    repeat: PROTOCOL.repeat,
    number,
  };
}

class LeaseLost extends Error {
  constructor() {
    super('the lease was lost (expired or taken over); the result is no longer ours to report');
  }
}

/** Downloads, checks and times one MEASURE lease; returns the latency metrics to report. */
async function measure(api, lease, task, inputShape) {
  if (lease.kind !== 'MEASURE') throw new Error(`cannot run a ${lease.kind} task, only MEASURE`);
  if (lease.runtime && lease.runtime !== RUNTIME) throw new Error(`lease runtime ${lease.runtime} is not ${RUNTIME}`);
  if (!/^[0-9a-f]{64}$/.test(lease.artifactSha256 ?? '')) throw new Error('the lease names no artifact');
  task.message = 'downloading the ONNX export';
  const bytes = await retrying('download', () => api.get(`artifacts/${lease.artifactSha256}`, { binary: true, timeoutMs: 300_000 }));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== lease.artifactSha256) throw new Error(`downloaded bytes hash to ${sha}, not ${lease.artifactSha256}`);

  task.message = 'creating the ONNX Runtime session';
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  try {
    const [c, h, w] = inputDims(session, inputShape);
    const input = new ort.Tensor('float32', gaussianInput(c * h * w, 7), [1, c, h, w]);
    const timing = await timeModel(session, { [session.inputNames[0]]: input }, task);
    return {
      ...timing,
      threads: 1,
      perLayerMs: {},
      estimated: false,
      runtime: RUNTIME,
      // openapi.yaml RuntimeDetails: how the runtime ran the model
      runtimeDetails: {
        onnxruntimeVersion: ORT_VERSION,
        description: `onnxruntime-node ${ORT_VERSION}, CPU execution provider, 1 intra-op thread, sequential, all graph optimisations; p10/p90 linear-interpolated`,
      },
      device: hardware().cpuModel,
      client: CLIENT,
      onnxruntimeVersion: ORT_VERSION,
      inputShape: [1, c, h, w],
    };
  } finally {
    await session.release();
  }
}

/** Runs one lease with heartbeats, then completes or fails it. */
async function runLease(api, workerId, lease, inputShape) {
  const task = { progress: 0, message: 'starting', lost: false };
  const beat = setInterval(async () => {
    try {
      await api.post(`leases/${lease.id}/heartbeat`, { workerId, progress: task.progress, message: task.message });
    } catch (e) {
      log(`lease ${lease.id} heartbeat: ${e.message}`);
      // 409: expired or reassigned; 404: gone. Either way stop spending the device on it.
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) task.lost = true;
    }
  }, HEARTBEAT_MS);
  const started = Date.now();
  try {
    const result = await measure(api, lease, task, inputShape);
    await retrying('complete', () => api.post(`leases/${lease.id}/complete`, { workerId, result }));
    log(`lease ${lease.id} trial ${lease.trialId}: median ${result.medianMs.toFixed(4)} ms ` +
        `(p10 ${result.p10Ms.toFixed(4)}, p90 ${result.p90Ms.toFixed(4)}, number ${result.number}) in ${Date.now() - started} ms`);
  } catch (e) {
    if (e instanceof LeaseLost || task.lost) {
      log(`lease ${lease.id}: ${e.message}`);
      return;
    }
    log(`lease ${lease.id} failed: ${e.message}`);
    try {
      await retrying('fail', () => api.post(`leases/${lease.id}/fail`, {
        workerId,
        reason: `${CLIENT}: ${e.message}`.slice(0, 4000),
        retryable: false,
        errorKind: 'MEASURE_ERROR',
      }));
    } catch (e2) {
      log(`lease ${lease.id}: could not report the failure: ${e2.message}`);
    }
  } finally {
    clearInterval(beat);
  }
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  const cli = parseCli(process.argv.slice(2));
  const api = new Api(cli.url, cli.token);

  // first signal: finish the lease in hand, then exit 0; a second one exits at once
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      if (stop.signal.aborted) process.exit(130);
      log(`${sig}: finishing the current lease, then exiting`);
      stop.abort();
    });
  }

  const deviceId = await retrying('device registration', () => attachDevice(api, cli.device), stop.signal);
  const workerId = await retrying('worker registration', () => registerWorker(api, deviceId, cli.device), stop.signal);
  log(`${CLIENT} on device ${cli.device} (${deviceId}) as worker ${workerId}: onnxruntime-node ${ORT_VERSION}, ${hardware().cpuModel}`);

  // the device stays ONLINE (and keeps declaring onnxruntime) while this client runs
  const deviceBeat = setInterval(() => {
    api.post(`devices/${deviceId}/heartbeat`, { runtimes: runtimes() })
      .catch((e) => log(`device heartbeat: ${e.message}`));
  }, HEARTBEAT_MS);

  let done = 0;
  try {
    while (!stop.signal.aborted && (cli.maxTasks === 0 || done < cli.maxTasks)) {
      let batch;
      try {
        // Aborting the long poll on a signal may, in a rare race, orphan a lease granted at that
        // instant: the coordinator re-queues it when it expires, so nothing is lost but time.
        batch = await retrying('lease', () => api.post('leases', {
          workerId, deviceId, roles: ['measure'], max: 1, waitSeconds: LEASE_WAIT_SECONDS,
        }, { timeoutMs: (LEASE_WAIT_SECONDS + 40) * 1000, signal: stop.signal }), stop.signal);
      } catch (e) {
        if (stop.signal.aborted) break;
        throw e;
      }
      for (const lease of batch?.leases ?? []) {
        log(`leased ${lease.kind} ${lease.id}: trial ${lease.trialId} of job ${lease.jobId}, attempt ${lease.attempt}`);
        await runLease(api, workerId, lease, cli.inputShape);
        done++;
      }
    }
  } finally {
    clearInterval(deviceBeat);
  }
  log(`exiting after ${done} task(s)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`measure-node: ${e.message}`);
    process.exit(1);
  },
);
