// Numbers, sizes, times and dates as people read them; the one place every view formats with.
// Measured values carry noise well below their third digit, so three significant digits are shown
// (0.217 ms, not 0.21700000000000003 ms); tables sort on the raw values, never on these strings.
// No DOM here: the browser tests import this module in node too.

const MISSING = '–';

function missing(v) {
  return v === null || v === undefined || v === '' || !Number.isFinite(Number(v));
}

// 3 significant digits, trailing zeros kept (3.00 says what 3 does not), thousands grouped:
// 0.0976, 0.152, 3.00, 15.2, 152, 1,520
export function sig3(v) {
  const n = Number(v);
  if (n === 0) return '0';
  const rounded = Number(n.toPrecision(3));
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

// Plain numbers with a bounded number of decimals (fidelity in epochs, hypervolume, pp).
export function fmtNum(v, digits = 2) {
  if (missing(v)) return MISSING;
  return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// An axis tick: as many decimals as the step between ticks needs (0.05, 0.1, 0.15; never 0.15000000000000002).
export function fmtTick(v, step) {
  if (missing(v)) return MISSING;
  const decimals = step > 0 ? Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 2;
  return Number(v).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

// Percentages (accuracy, sparsity in %): 91.4 %, 9.87 %, 100 %.
export function fmtPct(v) {
  return missing(v) ? MISSING : `${sig3(v)} %`;
}

// A fraction 0..1 as a percentage (sparsity): 0.5559 -> 55.6 %.
export function fmtFraction(v) {
  return missing(v) ? MISSING : fmtPct(100 * Number(v));
}

// Percentage points, as a user enters them (an allowed accuracy drop): 2.5 pp.
export function fmtPp(v) {
  return missing(v) ? MISSING : `${fmtNum(v, 2)} pp`;
}

// Milliseconds in the unit that keeps them short: 97.6 µs, 0.217 ms, 15.2 ms, 1.25 s.
export function fmtMs(v) {
  if (missing(v)) return MISSING;
  const n = Number(v);
  const a = Math.abs(Number(n.toPrecision(3))); // 999.96 ms reads "1 s", not "1000 ms"
  if (a >= 1000) return `${sig3(n / 1000)} s`;
  if (a > 0 && a < 0.1) return `${sig3(n * 1000)} µs`;
  return `${sig3(n)} ms`;
}

// The standard deviation of latency samples; "–" where it was not measured. Absent is not measured,
// and so is 0 next to a p10..p90 spread: samples that differ cannot have a zero stdev (the
// frontier-native harness reports no stdev, and the worker sends that as 0).
export function fmtStdevMs(stdev, p10, p90) {
  if (missing(stdev)) return MISSING;
  if (Number(stdev) === 0 && !missing(p10) && !missing(p90) && Number(p90) > Number(p10)) return MISSING;
  return fmtMs(stdev);
}

// Byte counts in binary units: 512 B, 1.52 KiB, 152 KiB, 1.5 MiB.
export function fmtBytes(v) {
  if (missing(v)) return MISSING;
  const n = Number(v);
  if (Math.abs(n) < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let x = n / 1024;
  let i = 0;
  // 1023.9 KiB would print as "1,020 KiB": move up a unit once rounding reaches 1000
  while (Math.abs(Number(x.toPrecision(3))) >= 1000 && i < units.length - 1) { x /= 1024; i++; }
  return `${sig3(x)} ${units[i]}`;
}

// Counts (parameters, MACs): exact while short, then 3 significant digits: 4,640, 201 k, 1.11 M.
export function fmtCount(v) {
  if (missing(v)) return MISSING;
  const n = Number(v);
  const a = Math.abs(n);
  if (a < 10_000) return Math.round(n).toLocaleString('en-US');
  if (a < 999_500) return `${sig3(n / 1e3)} k`;
  if (a < 999_500_000) return `${sig3(n / 1e6)} M`;
  return `${sig3(n / 1e9)} G`;
}

// Durations in seconds, to the second: 42 s, 3 min 5 s, 2 h 10 min.
export function fmtDuration(seconds) {
  if (missing(seconds)) return MISSING;
  const s = Math.max(0, Math.round(Number(seconds)));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// Fine-tuning length: 0.25 epochs, 1 epoch.
export function fmtEpochs(v) {
  return missing(v) ? MISSING : `${fmtNum(v, 3)} epoch${Number(v) === 1 ? '' : 's'}`;
}

export function relTime(iso, now = Date.now()) {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = Math.round((now - t) / 1000);
  if (Math.abs(d) < 5) return 'just now';
  const future = d < 0;
  const a = Math.abs(d);
  const txt = a < 60 ? `${a} s` : a < 3600 ? `${Math.floor(a / 60)} min` : a < 86400 ? `${Math.floor(a / 3600)} h` : `${Math.floor(a / 86400)} d`;
  return future ? `in ${txt}` : `${txt} ago`;
}

export function fmtDate(iso) {
  if (!iso) return MISSING;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : MISSING;
}
