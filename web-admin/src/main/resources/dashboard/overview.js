// Overview: mode, uptime, config version and file, the last reload (its problems when the file is broken), totals.

import { h, fill, bytes, duration, dateTime, badge } from './dom.js';
import { get } from './api.js';
import * as events from './events.js';

let root;
let timer = null;
let status = null;
let loadedAt = 0;

function card(title, ...body) {
  return h('div', { class: 'card' }, h('h3', {}, title), ...body);
}

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('span', { class: 'value', id }, value), h('span', { class: 'label' }, label));
}

function render(pools) {
  const uptime = status.uptime_s + (Date.now() - loadedAt) / 1000;
  const reload = status.last_reload;
  const totals = status.totals ?? {};
  fill(root,
    h('div', { class: 'cards' },
      card('Appliance', stat('mode', status.mode, 'ov-mode'), stat('uptime', duration(uptime), 'ov-uptime'),
        h('p', { class: 'muted' }, `Convey ${status.version ?? ''}, started ${dateTime(status.started_at)}`)),
      card('Configuration', stat('version', status.config_version, 'ov-version'),
        h('p', { class: 'file' }, h('code', { id: 'ov-file' }, status.config_file))),
      card('Last reload',
        h('div', { id: 'ov-reload' }, reload
          ? [reload.ok ? badge('ok', 'OK') : badge('failed', 'REJECTED'),
             ` ${dateTime(reload.at)} from ${reload.source}`, reload.ok && reload.version ? ` (version ${reload.version})` : '']
          : 'none since start')),
      card('Totals',
        h('div', { class: 'stats-row' },
          stat('connections now', totals.current_connections ?? 0, 'ov-current'),
          stat('connections total', totals.total_connections ?? 0, 'ov-total'),
          stat('client → server', bytes(totals.bytes_tx), 'ov-tx'),
          stat('server → client', bytes(totals.bytes_rx), 'ov-rx')))),
    h('h2', {}, 'Pools'),
    h('table', { class: 'grid', id: 'ov-pools' },
      h('thead', {}, h('tr', {}, ['Pool', 'Algorithm', 'Servers up', 'Active connections'].map((c) => h('th', {}, c)))),
      h('tbody', {}, pools.map((p) => {
        const up = p.servers.filter((s) => s.health?.up).length;
        return h('tr', {},
          h('td', {}, h('a', { href: '#pools' }, p.name)),
          h('td', {}, p.algorithm),
          h('td', {}, up === p.servers.length ? badge('up', `${up} / ${p.servers.length} UP`)
            : badge(up === 0 ? 'down' : 'drain', `${up} / ${p.servers.length} UP`)),
          h('td', { class: 'num' }, p.counters?.current_connections ?? 0));
      }))));
}

async function refresh() {
  try {
    const [s, pools] = await Promise.all([get('/api/v1/status'), get('/api/v1/backends')]);
    status = s;
    loadedAt = Date.now();
    render(pools);
  } catch (error) {
    fill(root, h('div', { class: 'notice notice-error' }, `Cannot read the appliance's status: ${error.message}`));
  }
}

export default {
  id: 'overview',
  title: 'Overview',
  mount(el) {
    root = el;
    events.on('config', () => !root.hidden && refresh());
    events.on('config_rejected', () => !root.hidden && refresh());
    events.on('health', () => !root.hidden && refresh());
  },
  show() {
    refresh();
    timer = setInterval(refresh, 2000);
  },
  hide() {
    clearInterval(timer);
  },
  refresh,
};
