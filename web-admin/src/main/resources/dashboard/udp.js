// UDP frontends: the protocol choice and the datagram and session counters (frontends and pools).

import { h, bytes } from './dom.js';

export const PROTOCOLS = ['tcp', 'udp'];

export function protocolSelect(value, attrs) {
  return h('select', attrs, PROTOCOLS.map((p) => h('option', { value: p, selected: p === value }, p.toUpperCase())));
}

// "3 sessions now, 120 total, 4 dropped; datagrams tx 900 / rx 880, bytes tx 61 KB / rx 88 KB"
export function udpSummary(u) {
  if (!u) return '';
  const dropped = u.sessions_dropped ? `, ${u.sessions_dropped} dropped` : '';
  return `${u.sessions_current} sessions now, ${u.sessions_total} total${dropped}; `
    + `datagrams tx ${u.datagrams_tx} / rx ${u.datagrams_rx}, bytes tx ${bytes(u.bytes_tx)} / rx ${bytes(u.bytes_rx)}`;
}

// A pool's line under its header when a UDP frontend uses it, with the passive health check kind.
export function udpPoolLine(pool) {
  if (!pool.udp) return null;
  const check = pool.health_check === 'none' ? 'no probes: ICMP unreachable and unanswered requests count toward fall'
    : `TCP probes${pool.health_check_port ? ` to port ${pool.health_check_port}` : ''}`;
  return h('div', { class: 'muted udp-pool' }, h('strong', {}, 'UDP '), udpSummary(pool.udp), ` (${check})`);
}
