// HTTP client for the coordinator API (openapi.yaml). Adds the bearer token when one is stored,
// asks for a token on 401, and turns RFC 7807 problem documents into ApiError.

const TOKEN_KEY = 'frontier.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  // [{field, message}] from the problem's `errors`, plus its top-level `field` when not listed.
  fieldErrors() {
    const out = [];
    const p = this.problem;
    if (Array.isArray(p.errors)) {
      for (const e of p.errors) if (e && e.field) out.push({ field: e.field, message: e.message || 'invalid' });
    }
    if (p.field && !out.some((e) => e.field === p.field)) out.push({ field: p.field, message: p.detail || p.title || 'invalid' });
    return out;
  }
}

export function getToken() {
  try { return localStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage disabled: the token lives for this request only */ }
}

let askToken = async () => false;
let pendingAsk = null;

// app.js installs the dialog that asks the user for a token; it resolves true when one was entered.
export function onUnauthorized(fn) {
  askToken = fn;
}

function authHeaders(extra) {
  const headers = new Headers(extra || {});
  const token = getToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return headers;
}

async function parseProblem(res) {
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    try { return await res.json(); } catch { /* fall through */ }
  }
  let text = '';
  try { text = await res.text(); } catch { /* ignore */ }
  return { status: res.status, title: res.statusText, detail: text.slice(0, 300) || `HTTP ${res.status}` };
}

export async function request(method, path, { json, body, headers, signal, raw } = {}) {
  for (let attempt = 0; ; attempt++) {
    const h = authHeaders(headers);
    let payload = body;
    if (json != null) {
      h.set('Content-Type', 'application/json');
      payload = typeof json === 'string' ? json : JSON.stringify(json);
    }
    h.set('Accept', 'application/json, application/problem+json');
    const res = await fetch(path, { method, headers: h, body: payload, signal, cache: 'no-store' });
    if (res.status === 401 && attempt < 3) {
      // one prompt for all requests that fail together (polls run in parallel)
      pendingAsk = pendingAsk || Promise.resolve(askToken()).finally(() => { pendingAsk = null; });
      if (await pendingAsk) continue;
    }
    if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
    if (raw) return res;
    if (res.status === 204) return null;
    const type = res.headers.get('content-type') || '';
    return type.includes('json') ? res.json() : res.text();
  }
}

export const api = {
  get: (path, opts) => request('GET', path, opts),
  post: (path, json, opts) => request('POST', path, { ...opts, json }),

  me: (opts) => api.get('/api/v1/me', opts),
  devices: (opts) => api.get('/api/v1/devices', opts),
  models: (opts) => api.get('/api/v1/models', opts),
  jobs: ({ page = 0, size = 50, status } = {}, opts) =>
    api.get(`/api/v1/jobs?page=${page}&size=${size}${status ? `&status=${encodeURIComponent(status)}` : ''}`, opts),
  job: (id, opts) => api.get(`/api/v1/jobs/${encodeURIComponent(id)}`, opts),
  createJob: (req, opts) => api.post('/api/v1/jobs', req, opts),
  cancelJob: (id, opts) => api.post(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`, undefined, opts),
  frontier: (id, opts) => api.get(`/api/v1/jobs/${encodeURIComponent(id)}/frontier`, opts),
  trial: (id, opts) => api.get(`/api/v1/trials/${encodeURIComponent(id)}`, opts),

  // Every trial of a job, all pages (the table sorts and filters client-side).
  async allTrials(jobId, opts) {
    const size = 500;
    const items = [];
    for (let page = 0; page < 200; page++) {
      const p = await api.get(`/api/v1/jobs/${encodeURIComponent(jobId)}/trials?page=${page}&size=${size}&sort=seq`, opts);
      const got = (p && p.items) || [];
      items.push(...got);
      if (got.length < size || items.length >= (p.total ?? 0)) break;
    }
    return items;
  },
};

export function artifactUrl(trialId) {
  return `/api/v1/trials/${encodeURIComponent(trialId)}/artifact`;
}

// A plain link cannot carry the Authorization header: with a token, fetch the bytes and hand them
// to the browser as a blob download instead.
export async function downloadWithToken(url, filename) {
  const res = await request('GET', url, { raw: true, headers: { Accept: 'application/octet-stream' } });
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
