// Overview: mode, uptime, config version and file, the last reload (its problems when the file is broken), totals,
// the data plane: the proxy's transport, or the packet modes' capture, flows, drops by reason and workers; and
// availability: maintenance (with its switch for operators), each VIP's announcement, BGP sessions, VRRP state.

import { h, fill, bytes, duration, dateTime, badge } from './dom.js';
import { get, write, unreachable } from './api.js';
import { allows } from './access.js';
import { view } from './view.js';

let root;
let status = null;
let loadedAt = 0;

function card(title, ...body) {
  return h('div', { class: 'card' }, h('h3', {}, title), ...body);
}

function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('span', { class: 'value', id }, value), h('span', { class: 'label' }, label));
}

/** Drop reasons that mean the appliance is losing traffic it should carry (the others are traffic it refuses). */
const LOSSES = new Set(['capture_overflow', 'too_big', 'send_failed', 'table_full', 'no_neighbour']);

/**
 * The data plane's card from /api/v1/status's data_plane: the proxy's transport and connections, or the packet
 * data plane's capture, flows, how packets leave, drops by reason (losses marked) and each worker's share.
 */
export function dataPlaneCard(details) {
  const packet = details?.packet;
  if (!packet) {
    return card('Data plane',
      stat('transport', details?.transport ?? '-', 'ov-transport'),
      stat('connections now', details?.active_connections ?? 0, 'ov-dp-connections'));
  }
  if (packet.interface === 'none') {
    return card('Data plane', h('p', { class: 'muted', id: 'ov-dp-idle' }, 'No frontend captured yet.'));
  }
  const drops = Object.entries(packet.dropped ?? {}).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
  const workers = packet.workers ?? [];
  return h('div', { class: 'card', id: 'ov-data-plane' },
    h('h3', {}, 'Data plane'),
    h('div', { class: 'stats-row' },
      stat('capture', `${packet.capture} on ${packet.interface}`, 'ov-capture'),
      stat('active flows', packet.active_flows, 'ov-flows'),
      stat('sent as frames', packet.sent_as_frames ?? 0, 'ov-frames'),
      stat('sent routed', packet.sent_routed ?? 0, 'ov-routed'),
      stat('resets sent', packet.resets_sent ?? 0, 'ov-resets')),
    h('p', { id: 'ov-drops' }, drops.length === 0 ? 'No frames dropped.'
      : ['Dropped: ', ...drops.map(([reason, n]) => h('span', { class: 'drop', 'data-reason': reason },
          LOSSES.has(reason) ? badge('failed', `${reason} ${n}`) : `${reason} ${n}`, ' '))]),
    workers.length > 1 ? h('table', { class: 'grid', id: 'ov-workers' },
      h('thead', {}, h('tr', {}, ['Worker', 'Active flows', 'Connections', 'Packets to servers', 'Packets to clients']
        .map((c) => h('th', {}, c)))),
      h('tbody', {}, workers.map((w, i) => h('tr', {},
        h('td', {}, String(i)), h('td', { class: 'num' }, w.active_flows), h('td', { class: 'num' }, w.connections_opened),
        h('td', { class: 'num' }, w.packets_to_servers), h('td', { class: 'num' }, w.packets_to_clients))))) : '');
}

const VIP_BADGE = { announced: 'up', draining: 'drain', withdrawn: 'down' };
const VRRP_BADGE = { MASTER: 'up', BACKUP: 'drain', FAULT: 'down' };

let maintenanceError = '';
let maintenanceOn = false;
// Built once and moved into each render: a button replaced every refresh could lose the operator's click.
const maintenanceToggle = h('button', { type: 'button', id: 'ov-maintenance-toggle',
  onclick: () => setMaintenance(!maintenanceOn) });

async function setMaintenance(on) {
  try {
    await write('POST', '/api/v1/maintenance', { on }, { unversioned: true });
    maintenanceError = '';
  } catch (error) {
    maintenanceError = `Maintenance not changed: ${error.message}`;
  }
  await overview.refresh();
}

/**
 * The availability card from /api/v1/status's announce section: maintenance (a switch for operators and admins),
 * each VIP's announcement state and why, the BGP sessions as BIRD reports them, the VRRP state keepalived notified.
 */
export function availabilityCard(announce) {
  const maintenance = announce?.maintenance === true;
  const operator = allows('operator');
  const vips = announce?.vips ?? [];
  const sessions = announce?.bgp?.sessions ?? [];
  const vrrp = announce?.vrrp;
  maintenanceOn = maintenance;
  maintenanceToggle.className = maintenance ? 'primary' : 'danger';
  maintenanceToggle.textContent = maintenance ? 'End maintenance' : 'Start maintenance';
  return h('div', { class: 'card', id: 'ov-availability' },
    h('h3', {}, 'Availability'),
    h('div', { class: 'stats-row' },
      h('div', { class: 'stat' },
        h('span', { class: 'value', id: 'ov-maintenance' }, maintenance ? badge('drain', 'MAINTENANCE') : badge('ok', 'IN SERVICE')),
        h('span', { class: 'label' }, 'maintenance')),
      h('div', { class: 'stat' },
        h('span', { class: 'value', id: 'ov-vrrp' },
          vrrp ? badge(VRRP_BADGE[vrrp.state] ?? 'unknown', String(vrrp.state).toUpperCase()) : 'not configured'),
        h('span', { class: 'label' }, 'VRRP'))),
    operator ? h('p', {},
      maintenanceToggle,
      maintenanceError ? h('span', { class: 'error', id: 'ov-maintenance-error' }, ' ', maintenanceError) : '') : '',
    announce?.method === undefined ? h('p', { class: 'muted', id: 'ov-announce-none' }, 'No [bgp] or [vrrp]: the VIPs are not announced.')
      : h('table', { class: 'grid', id: 'ov-vips' },
        h('thead', {}, h('tr', {}, ['VIP', 'State', 'Reason'].map((c) => h('th', {}, c)))),
        h('tbody', {}, vips.length === 0
          ? h('tr', {}, h('td', { colspan: 3, class: 'muted', id: 'ov-no-vip' }, 'No VIP: frontends on loopback or any-address are not announced.'))
          : vips.map((v) => h('tr', { 'data-vip': v.vip },
          h('td', {}, v.vip),
          h('td', { class: 'state' }, badge(VIP_BADGE[v.state] ?? 'unknown', v.state.toUpperCase())),
          h('td', { class: 'reason', 'data-reason': v.reason }, v.reason_text ?? v.reason))))),
    announce?.bgp ? h('table', { class: 'grid', id: 'ov-bgp' },
      h('thead', {}, h('tr', {}, ['BGP session', 'State', 'Info'].map((c) => h('th', {}, c)))),
      h('tbody', {}, sessions.length === 0 ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, announce.bgp.state ?? 'no session'))
        : sessions.map((s) => h('tr', { 'data-session': s.name },
          h('td', {}, s.name), h('td', { class: 'state' }, s.state), h('td', {}, s.info ?? ''))))) : '');
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
          stat('bytes tx (client → server)', bytes(totals.bytes_tx), 'ov-tx'),
          stat('bytes rx (server → client)', bytes(totals.bytes_rx), 'ov-rx'))),
      dataPlaneCard(status.data_plane),
      availabilityCard(status.announce)),
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
    if (unreachable(error) && status) return; // the last data stays, marked stale by the page-wide notice
    fill(root, h('div', { class: 'notice notice-error' }, `Cannot read the appliance's status: ${error.message}`));
  }
}

const overview = view({
  id: 'overview',
  title: 'Overview',
  every: 2000,
  on: ['config', 'config_rejected', 'health', 'announce', 'vrrp', 'maintenance'],
  build: (el) => { root = el; },
  refresh,
});

export default overview;
