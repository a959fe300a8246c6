// Health timeline: per server, the last hour of UP/DOWN changes with their reasons.

import { h, fill, badge, clock, epochSeconds } from './dom.js';
import { get, unreachable } from './api.js';
import { view } from './view.js';

const HOUR_S = 3600;
let root;

function segments(history, now) {
  const start = now - HOUR_S;
  const changes = [...history].map((e) => ({ ...e, t: epochSeconds(e.at) })).sort((a, b) => a.t - b.t);
  const before = changes.filter((e) => e.t <= start).pop();
  const inside = changes.filter((e) => e.t > start);
  const parts = [];
  let from = start;
  let state = before ? (before.up ? 'up' : 'down') : 'none';
  let reason = before?.reason ?? 'no checks yet (not running or not configured then)';
  for (const e of inside) {
    parts.push({ from, to: e.t, state, reason });
    from = e.t;
    state = e.up ? 'up' : 'down';
    reason = e.reason;
  }
  parts.push({ from, to: now, state, reason });
  return parts.filter((p) => p.to > p.from);
}

function timeline(server, now) {
  const parts = segments(server.health?.history ?? [], now);
  return h('div', { class: 'timeline', role: 'img', 'aria-label': `health of ${server.name} over the last hour` },
    parts.map((p) => {
      const left = ((p.from - (now - HOUR_S)) / HOUR_S) * 100;
      const width = ((p.to - p.from) / HOUR_S) * 100;
      return h('div', { class: `segment segment-${p.state}`, style: `left:${left}%;width:${width}%`,
        title: `${p.state.toUpperCase()} from ${clock(p.from)} to ${clock(p.to)}: ${p.reason}` },
        width > 8 ? (p.state === 'none' ? 'no data' : p.state.toUpperCase()) : '');
    }));
}

function serverBlock(pool, server, now) {
  const recent = (server.health?.history ?? []).filter((e) => epochSeconds(e.at) > now - HOUR_S)
    .sort((a, b) => epochSeconds(b.at) - epochSeconds(a.at));
  const current = !server.health?.checked ? badge('unknown', 'NOT CHECKED') : server.health.up ? badge('up', 'UP') : badge('down', 'DOWN');
  return h('div', { class: 'health-server', dataset: { pool: pool.name, server: server.name } },
    h('div', { class: 'health-title' }, h('strong', {}, server.name), ' ', h('code', {}, server.addr), ' ', current,
      server.health?.flaps_last_hour ? h('span', { class: 'muted' }, ` ${server.health.flaps_last_hour} flaps in the last hour`) : null),
    timeline(server, now),
    h('div', { class: 'axis' }, h('span', {}, '60 min ago'), h('span', {}, '30 min ago'), h('span', {}, 'now')),
    h('ul', { class: 'changes' }, recent.length === 0 ? h('li', { class: 'muted' }, 'No changes in the last hour.')
      : recent.map((e) => h('li', {}, h('span', { class: 'time' }, clock(e.at)), ' ', e.up ? badge('up', 'UP') : badge('down', 'DOWN'), ' ', e.reason))));
}

async function refresh() {
  let pools;
  try {
    pools = await get('/api/v1/backends');
  } catch (error) {
    if (unreachable(error) && root.querySelector('.health-server')) return; // the last data stays, marked stale
    fill(root, h('div', { class: 'notice notice-error' }, `Cannot read the pools: ${error.message}`));
    return;
  }
  const now = Date.now() / 1000;
  fill(root, h('h2', {}, 'Health over the last hour'),
    pools.map((pool) => h('section', { class: 'card' }, h('h3', {}, `Pool ${pool.name}`),
      pool.servers.map((s) => serverBlock(pool, s, now)))));
}

export default view({
  id: 'health',
  title: 'Health',
  every: 5000,
  on: ['health', 'config'],
  build: (el) => { root = el; },
  refresh,
});
