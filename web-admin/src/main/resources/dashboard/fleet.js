// The fleet ([cluster]): every member with the revision it runs against the fleet's revision in etcd, the revision a
// member refused and why, and the servers members disagree about. Read from GET /api/v1/fleet.

import { h, fill, duration, badge } from './dom.js';
import { get } from './api.js';
import { view } from './view.js';

let summary;
let tbody;
let disagreements;

function memberRow(m, fleet) {
  const state = m.drift ? badge('drain', `DRIFT: runs ${m.revision}`) : badge('up', 'IN STEP');
  const refused = m.rejected_revision > 0
    ? `refused revision ${m.rejected_revision}: ${m.rejected_problems.join('; ')}` : '';
  return h('tr', { dataset: { member: m.member }, class: m.drift ? 'drift' : '' },
    h('td', {}, m.member, m.member === fleet.member ? h('span', { class: 'muted' }, ' (this appliance)') : ''),
    h('td', { class: 'num revision' }, m.revision),
    h('td', { class: 'state' }, state),
    h('td', { class: 'source' }, m.source),
    h('td', {}, m.mode),
    h('td', { class: 'num' }, duration(m.uptime_s)),
    h('td', { class: 'num' }, m.totals.connections),
    h('td', { class: 'refused' }, refused));
}

function disagreementRow(d) {
  return h('tr', { dataset: { server: d.server } }, h('td', {}, d.server),
    h('td', {}, Object.entries(d.health).map(([member, health]) =>
      h('span', { class: 'member-health' }, `${member} `,
        badge(health === 'up' || health === 'down' ? health : 'unknown', health.toUpperCase()), ' '))));
}

async function load() {
  let fleet;
  try {
    fleet = await get('/api/v1/fleet');
  } catch (error) {
    fill(summary, h('p', { class: error.status === 404 ? 'muted' : 'field-error' }, error.status === 404
      ? 'This appliance is not in a fleet: its config file is the source of truth (a [cluster] section makes it follow a fleet in etcd).'
      : error.message));
    fill(tbody);
    fill(disagreements);
    return;
  }
  const drifting = fleet.members.filter((m) => m.drift).length;
  fill(summary,
    h('p', {}, `Fleet ${fleet.name}: revision `, h('strong', { id: 'fleet-revision' }, fleet.revision),
      ` in etcd, ${fleet.members.length} member(s)`, drifting ? `, ${drifting} drifting` : ', all in step',
      h('span', { class: 'muted' }, ` (etcd ${fleet.etcd_endpoints.join(', ')})`)),
    fleet.reachable ? '' : h('p', { class: 'field-error', id: 'fleet-unreachable' },
      `etcd is unreachable: this appliance serves revision ${fleet.revision}; changes cannot be saved until it answers. ${fleet.problem ?? ''}`));
  fill(tbody, fleet.members.map((m) => memberRow(m, fleet)));
  fill(disagreements, fleet.disagreements.length === 0
    ? h('p', { class: 'muted' }, 'The members agree about the health of every server.')
    : h('table', { class: 'grid disagreements' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Server'), h('th', {}, 'Health seen by each member'))),
      h('tbody', {}, fleet.disagreements.map(disagreementRow))));
}

export default view({
  id: 'fleet',
  title: 'Fleet',
  every: 2000,
  on: ['config', 'health', 'config_rejected'],
  build(el) {
    summary = h('div', { id: 'fleet-summary' });
    tbody = h('tbody');
    disagreements = h('div', { id: 'fleet-disagreements' });
    fill(el, h('h2', {}, 'Fleet'), summary,
      h('table', { class: 'grid fleet' },
        h('thead', {}, h('tr', {}, ['Member', 'Revision', 'State', 'Source', 'Mode', 'Uptime', 'Connections', 'Refused']
          .map((c) => h('th', {}, c)))), tbody),
      h('h3', {}, 'Where members disagree about a server'), disagreements);
  },
  refresh: load,
});
