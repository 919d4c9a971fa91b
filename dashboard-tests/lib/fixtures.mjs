// UI FIXTURES, not a real worker: seeds a coordinator through its public API with a device, a
// model, a job, and then plays a simulated worker on the lease API (PROFILE, BUILD, MEASURE) with
// made-up but plausible metrics, so the dashboard has trials with accuracy and latency to show.
// One build fails on purpose (failed trials must show their reason) and one latency is reported as
// estimated (the table must label it).
import { Api } from './api.mjs';

export const FIXTURE_BASELINE_ACCURACY = 91.4;

// deterministic pseudo-random numbers (mulberry32) so the fixtures are the same every run
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LAYERS = [
  { name: 'conv1', op: 'conv2d', inputShape: [1, 28, 28], outputShape: [16, 28, 28], kernel: [3, 3], params: 160, macs: 112896, prunable: ['pattern', 'connectivity', 'filter', 'unstructured'] },
  { name: 'conv2', op: 'conv2d', inputShape: [16, 14, 14], outputShape: [32, 14, 14], kernel: [3, 3], params: 4640, macs: 903168, prunable: ['pattern', 'connectivity', 'filter', 'unstructured', 'block'] },
  { name: 'fc1', op: 'linear', inputShape: [1568], outputShape: [128], params: 200832, macs: 200704, prunable: ['block', 'filter', 'unstructured'] },
  { name: 'fc2', op: 'linear', inputShape: [128], outputShape: [10], params: 1290, macs: 1280, prunable: ['block', 'unstructured'] },
];
const DENSE_BYTES = LAYERS.reduce((s, l) => s + l.params * 4, 0);

export function profileResult() {
  return {
    layers: LAYERS,
    params: LAYERS.reduce((s, l) => s + l.params, 0),
    macs: LAYERS.reduce((s, l) => s + l.macs, 0),
    inputShape: [1, 28, 28],
  };
}

// How much a config removes, per layer weight share; drives the fake accuracy/latency/size.
function keptFraction(config, layer) {
  const spec = (config.layers && config.layers[layer.name]) || config.default || {};
  const p = spec.prune || {};
  let kept = 1;
  if (p.scheme === 'pattern') kept = (4 / 9) * (1 - (p.connectivity || 0));
  else if (p.scheme && p.scheme !== 'none' && Number.isFinite(p.rate)) kept = 1 - p.rate;
  const bits = (spec.quantize && spec.quantize.bits) || (config.default && config.default.quantize && config.default.quantize.bits) || 32;
  return { kept, bits, scheme: p.scheme || 'none' };
}

export function buildMetrics(trial) {
  const config = trial.config || {};
  const r = rng(1000 + (trial.seq || 0));
  let params = 0; let macs = 0; let bytes = 0; let removed = 0; let total = 0;
  const layers = [];
  for (const l of LAYERS) {
    const { kept, bits, scheme } = keptFraction(config, l);
    params += l.params * kept;
    macs += l.macs * kept;
    bytes += l.params * kept * (bits / 8);
    removed += l.params * (1 - kept);
    total += l.params;
    // the shape of the real agent's per-layer report (worker LayerReport.toMap)
    layers.push({
      name: l.name, op: l.op, scheme, pruning: scheme, quantization: bits < 32 ? `int${bits} symmetric` : 'float32',
      params: l.params, keptParams: Math.round(l.params * kept), macs: l.macs, keptMacs: Math.round(l.macs * kept),
      sparsity: Number((1 - kept).toFixed(4)),
    });
  }
  const sparsity = removed / total;
  const fid = Number.isFinite(trial.fidelity) ? trial.fidelity : 0.5;
  const loss = 9 * sparsity ** 2.2 + (1 - Math.min(1, fid)) * 1.2 * sparsity + r() * 0.6;
  const accuracy = Math.max(10, Math.min(99, FIXTURE_BASELINE_ACCURACY - loss));
  return {
    accuracy: Number(accuracy.toFixed(3)),
    accuracyBeforeFineTune: Number((accuracy - 2 - r() * 3).toFixed(3)),
    sizeBytes: Math.round(bytes + 2048),
    params: Math.round(params),
    macs: Math.round(macs),
    sparsity: Number(sparsity.toFixed(4)),
    timings: { compress: 12 + r() * 5, fineTune: 800 * fid, compile: 40 + r() * 20, evaluate: 150 + r() * 30 },
    compression: { layers },
  };
}

/** The share of a config's removed weights that structured schemes remove (what the fake runtime rewards). */
export function structuredShare(config) {
  let total = 0; let structured = 0;
  for (const l of LAYERS) {
    const { kept, scheme } = keptFraction(config || {}, l);
    total += l.params;
    if (scheme === 'pattern' || scheme === 'block' || scheme === 'filter' || scheme === 'connectivity') structured += l.params * (1 - kept);
  }
  return structured / total;
}

export function latencyMetrics(build, seq, { estimated = false, speed = 1, structured = 0 } = {}) {
  const r = rng(5000 + seq + Math.round(speed * 100));
  const denseMs = 3.2 * speed;
  // only structured pruning and int8 pay: unstructured sparsity barely helps the runtime
  const ms = denseMs * (0.18 + 0.82 * (build.macs / LAYERS.reduce((s, l) => s + l.macs, 0))) * (1 - 0.5 * structured) * (0.9 + r() * 0.2);
  const median = Number(ms.toFixed(4));
  return {
    medianMs: median, p10Ms: Number((median * 0.95).toFixed(4)), p90Ms: Number((median * 1.07).toFixed(4)),
    stdevMs: Number((median * 0.03).toFixed(4)), repeat: 10, number: 50, threads: 1,
    perLayerMs: Object.fromEntries(LAYERS.map((l, i) => [l.name, Number((median * [0.2, 0.45, 0.3, 0.05][i]).toFixed(4))])),
    estimated,
  };
}

/**
 * A simulated worker on the lease API (UI fixture): leases whatever is queued for its device and
 * completes it with the made-up metrics above. failSeq: a trial seq whose BUILD fails for good;
 * estimatedSeq: a trial seq whose latency is reported as estimated.
 */
export class FixtureWorker {
  constructor(api, { workerId, deviceId, failSeq = -1, estimatedSeq = -1, speed = 1 }) {
    Object.assign(this, { api, workerId, deviceId, failSeq, estimatedSeq, speed });
    this.builds = new Map(); // trialId -> build metrics
  }

  static async register(api, deviceId, opts = {}) {
    const worker = await api.post('/api/v1/workers', { name: opts.name || 'fixture-worker', deviceId, roles: opts.roles || ['build', 'measure'] });
    return new FixtureWorker(api, { ...opts, workerId: worker.id, deviceId });
  }

  // One lease round; returns how many leases were handled.
  async step({ max = 8, waitSeconds = 1 } = {}) {
    await this.api.post(`/api/v1/devices/${this.deviceId}/heartbeat`);
    const batch = await this.api.post('/api/v1/leases', { workerId: this.workerId, max, waitSeconds });
    const leases = (batch && batch.leases) || [];
    for (const lease of leases) await this.handle(lease);
    return leases.length;
  }

  async handle(lease) {
    const { api, workerId } = this;
    const done = (result, artifactSha256) => api.post(`/api/v1/leases/${lease.id}/complete`, { workerId, result, artifactSha256 });
    if (lease.kind === 'PROFILE') return done(profileResult());
    const trial = await api.get(`/api/v1/trials/${lease.trialId}`);
    if (lease.kind === 'BUILD') {
      if (trial.seq === this.failSeq) {
        return api.post(`/api/v1/leases/${lease.id}/fail`, {
          workerId, retryable: false, errorKind: 'COMPILE_ERROR',
          reason: 'fixture: pattern kernel for conv2 needs 3x3 weights after filter pruning; compile aborted',
        });
      }
      const config = lease.config || trial.config;
      const m = buildMetrics({ ...trial, config, fidelity: lease.fidelity ?? trial.fidelity });
      this.builds.set(trial.id, { metrics: m, structured: structuredShare(config) });
      const sha = await api.uploadArtifact(Buffer.from(`FRART fixture artifact of trial ${trial.id} seq ${trial.seq}\n`));
      // a second variant so devices offering ONNX Runtime measure it too (one frontier per runtime)
      const onnx = await api.uploadArtifact(Buffer.from(`ONNX fixture export of trial ${trial.id} seq ${trial.seq}\n`));
      return done({ ...m, runtimeArtifacts: { 'frontier-jvm': sha, onnxruntime: onnx } }, sha);
    }
    if (lease.kind === 'MEASURE') {
      const { metrics: m, structured } = this.builds.get(trial.id) || { metrics: buildMetrics(trial), structured: structuredShare(trial.config) };
      const speed = this.speed * (lease.runtime === 'onnxruntime' ? 1.35 : 1);
      return done({ ...latencyMetrics(m, trial.seq, { estimated: trial.seq === this.estimatedSeq, speed, structured }), runtime: lease.runtime });
    }
    throw new Error(`fixture worker: unknown lease kind ${lease.kind}`);
  }

  // Works until the job ends (or the deadline passes), together with helpers (e.g. measure-only workers of other devices).
  async finish(jobId, { timeoutMs = 120_000, log = () => {}, helpers = [] } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (let round = 1; ; round++) {
      if (Date.now() > deadline) throw new Error(`fixture worker: job ${jobId} did not finish within ${timeoutMs / 1000} s`);
      let n = await this.step();
      for (const w of helpers) n += await w.step({ waitSeconds: 0 });
      const j = await this.api.get(`/api/v1/jobs/${jobId}`);
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.state)) return j;
      if (!n && round % 10 === 0) log(`waiting for work: ${j.state} ${JSON.stringify(j.progress)}`);
    }
  }
}

/** Seeds devices, a model and one job, and works the job to the end. Returns ids for the tests. */
export async function seed(base, { token = '', maxTrials = 10, failSeq = 3, estimatedSeq = 5, log = () => {} } = {}) {
  const api = new Api(base, token);
  const device = await api.post('/api/v1/devices', {
    name: 'fixture-laptop-x86', labels: { fixture: 'dashboard-tests', site: 'lab' },
    hardware: { cpuModel: 'Fixture CPU 8-core @ 3.0GHz', cores: 8, simdBits: 256, memoryMb: 16384, os: 'Linux', arch: 'amd64', runtime: 'frontier-java' },
  });
  const phone = await api.post('/api/v1/devices', {
    name: 'fixture-phone-arm', labels: { fixture: 'dashboard-tests' },
    hardware: { cpuModel: 'Fixture Kryo big.LITTLE', cores: 8, simdBits: 128, memoryMb: 8192, os: 'Android', arch: 'arm64', runtime: 'tflite-agent' },
    runtimes: [{ name: 'frontier-jvm' }, { name: 'onnxruntime', version: 'fixture' }],
  });
  const offline = await api.post('/api/v1/devices', {
    name: 'fixture-board-arm', labels: { fixture: 'dashboard-tests' },
    hardware: { cpuModel: 'Fixture Cortex-A76', cores: 4, simdBits: 128, memoryMb: 4096, os: 'Linux', arch: 'arm64', runtime: 'tflite-agent' },
  });
  await api.post(`/api/v1/devices/${device.id}/heartbeat`);
  const model = await api.uploadModel({ name: 'fixture-mnist-cnn', bytes: Buffer.from('FRIR fixture model for dashboard tests; any bytes are accepted on upload\n') });
  const worker = await FixtureWorker.register(api, device.id, { failSeq, estimatedSeq });
  // a second target device, measured by its own measure-only agent, about twice as slow
  const phoneAgent = await FixtureWorker.register(api, phone.id, { name: 'fixture-phone-agent', roles: ['measure'], speed: 2.1 });
  await api.post(`/api/v1/devices/${phone.id}/heartbeat`);
  const job = await api.post('/api/v1/jobs', {
    modelId: model.id, deviceIds: [device.id, phone.id], latencyTargetMs: 1.6, maxAccuracyDrop: 2.5,
    strategy: 'random', seed: 7, budget: { maxTrials }, fidelity: { min: 0.25, max: 1 },
  });
  log(`seeded device ${device.id}, model ${model.id}, job ${job.id}`);
  const end = await worker.finish(job.id, { log, helpers: [phoneAgent] });
  log(`job ${end.state}: ${JSON.stringify(end.progress)}`);
  if (end.state !== 'COMPLETED') throw new Error(`fixture job ended ${end.state}: ${end.error || ''}`);
  // the demo's dense-baseline measurement: one trial and a placeholder target nobody asked for
  const baseline = await api.post('/api/v1/jobs', {
    modelId: model.id, deviceIds: [device.id], latencyTargetMs: 1e9, maxAccuracyDrop: 2.5, purpose: 'BASELINE',
    strategy: 'random', seed: 7, budget: { maxTrials: 1 }, fidelity: { min: 0, max: 0 },
  });
  const baselineEnd = await worker.finish(baseline.id, { log });
  log(`baseline job ${baselineEnd.state}: ${JSON.stringify(baselineEnd.progress)}`);
  return { api, worker, deviceId: device.id, phoneDeviceId: phone.id, offlineDeviceId: offline.id, modelId: model.id, jobId: job.id, baselineJobId: baseline.id };
}
