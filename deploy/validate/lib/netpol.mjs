// A small NetworkPolicy evaluator (the semantics of networking.k8s.io/v1 for pod and namespace
// selectors and ports; ipBlock peers stand for "outside the cluster"), so the intended traffic
// matrix can be asserted on the rendered manifests instead of eyeballed.

export function selectorMatches(selector, labels = {}) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * endpoint: { namespace, labels, ports: {name: number} } for a pod, or { external: true } for an
 * address outside the cluster.
 */
function peerMatches(peer, policyNs, endpoint) {
  if (endpoint.external) return Boolean(peer.ipBlock);
  if (peer.ipBlock) return false;
  const nsLabels = { 'kubernetes.io/metadata.name': endpoint.namespace, ...(endpoint.namespaceLabels || {}) };
  const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, nsLabels) : endpoint.namespace === policyNs;
  const podOk = peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels) : true;
  return nsOk && podOk;
}

function portMatches(rulePorts, port, protocol, podPorts = {}) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => (p.protocol || 'TCP') === protocol
    && (p.port === undefined || p.port === port || podPorts[p.port] === port
      || (p.endPort !== undefined && typeof p.port === 'number' && port >= p.port && port <= p.endPort)));
}

function direction(policies, self, other, port, protocol, type, portsOf) {
  if (self.external) return true;
  const selecting = policies.filter((p) => (p.metadata.namespace || '') === self.namespace
    && selectorMatches(p.spec.podSelector, self.labels)
    && (p.spec.policyTypes || (type === 'Ingress' ? ['Ingress'] : p.spec.egress ? ['Egress'] : [])).includes(type));
  if (selecting.length === 0) return true; // not isolated in this direction
  const key = type === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = type === 'Ingress' ? 'from' : 'to';
  return selecting.some((p) => (p.spec[key] || []).some((rule) => {
    const peers = rule[peersKey];
    const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, p.metadata.namespace || '', other));
    return peerOk && portMatches(rule.ports, port, protocol, portsOf);
  }));
}

/** Is a connection from src to dst:port allowed by both sides' policies? */
export function allowed(policies, src, dst, port, protocol = 'TCP') {
  return direction(policies, src, dst, port, protocol, 'Egress', dst.ports)
    && direction(policies, dst, src, port, protocol, 'Ingress', dst.ports);
}
