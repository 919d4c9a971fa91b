// Minimal client of the coordinator's public HTTP API (openapi.yaml), used to seed UI fixtures.
import { createHash } from 'node:crypto';

export class Api {
  constructor(base, token = '') {
    this.base = base.replace(/\/$/, '');
    this.token = token;
  }

  async call(method, path, { json, body, headers = {}, expect } = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload = body;
    if (json !== undefined) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(json);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (expect ? !expect.includes(res.status) : !res.ok) {
      const err = new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
      err.status = res.status;
      err.body = data;
      throw err;
    }
    return { status: res.status, data };
  }

  get(path) { return this.call('GET', path).then((r) => r.data); }
  post(path, json) { return this.call('POST', path, { json }).then((r) => r.data); }

  async uploadModel({ name, bytes, format = 'frontier-ir', inputShape = '1,28,28', dataset }) {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), `${name}.frir`);
    form.append('name', name);
    form.append('format', format);
    form.append('inputShape', inputShape);
    if (dataset) form.append('dataset', dataset);
    return (await this.call('POST', '/api/v1/models', { body: form })).data;
  }

  async uploadArtifact(bytes) {
    const sha = createHash('sha256').update(bytes).digest('hex');
    await this.call('PUT', `/api/v1/artifacts/${sha}`, { body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    return sha;
  }
}
