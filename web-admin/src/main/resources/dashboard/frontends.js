// Frontends (listeners): address, pool, counters; change, add and remove them.

import { h, fill, place, bytes } from './dom.js';
import { get, write, unreachable } from './api.js';
import { clearErrors, writeFailed, confirmAction, field } from './forms.js';
import { view } from './view.js';
import { protocolSelect, udpSummary } from './udp.js';
import { preambleRow, preambleSummary } from './preamble.js';

let root;
let table;
let pools = [];
const rows = new Map();

const path = (name) => `/api/v1/frontends/${encodeURIComponent(name)}`;

function poolSelect(value, attrs) {
  return h('select', attrs, pools.map((p) => h('option', { value: p, selected: p === value }, p)));
}

function row(frontend) {
  const listen = h('input', { value: frontend.listen_addr, needs: 'admin', 'aria-label': `listen address of ${frontend.name}`, dataset: { field: 'listen_addr' } });
  const backend = poolSelect(frontend.backend, { needs: 'admin', 'aria-label': `pool of ${frontend.name}`, dataset: { field: 'backend' } });
  const protocol = protocolSelect(frontend.protocol, { needs: 'admin', 'aria-label': `protocol of ${frontend.name}`, dataset: { field: 'protocol' } });
  const limit = h('input', { type: 'number', min: '0', class: 'max-connections', value: String(frontend.max_connections ?? 0), needs: 'admin',
    'aria-label': `max connections of ${frontend.name}`, title: '0 = no limit; at the limit the listener stops accepting', dataset: { field: 'max_connections' } });
  const refused = h('div', { class: 'muted refused-full' });
  const save = h('button', { type: 'button', class: 'primary small', hidden: true, needs: 'admin' }, 'Save');
  // like a pool's pending edit: Cancel puts back what runs
  const cancel = h('button', { type: 'button', class: 'secondary small cancel', hidden: true, needs: 'admin' }, 'Cancel');
  const counters = h('td', { class: 'num' });
  const bound = h('td');
  const error = h('div', { class: 'form-error' });
  const preamble = h('span', { class: 'preamble-summary' });
  const details = preambleRow(frontend, 9, () => frontendsView.refresh());
  const tr = h('tr', { dataset: { frontend: frontend.name } },
    h('td', { class: 'name' }, frontend.name), h('td', {}, protocol), h('td', {}, listen), bound, h('td', {}, backend), counters,
    h('td', {}, limit, refused),
    h('td', {}, preamble, ' ', h('button', { type: 'button', class: 'secondary small', needs: 'admin', onclick: () => details.open(tr.frontend) }, 'Edit')),
    h('td', {}, save, ' ', cancel, ' ', h('button', { type: 'button', class: 'danger small', needs: 'admin', onclick: () => remove(frontend.name, tr) }, 'Remove'), error));
  const dirty = () => {
    save.hidden = listen.value === tr.frontend.listen_addr && backend.value === tr.frontend.backend
      && protocol.value === tr.frontend.protocol && Number(limit.value) === tr.frontend.max_connections;
    cancel.hidden = save.hidden;
  };
  cancel.addEventListener('click', () => {
    listen.value = tr.frontend.listen_addr;
    fill(backend, pools.map((p) => h('option', { value: p, selected: p === tr.frontend.backend }, p)));
    protocol.value = tr.frontend.protocol;
    limit.value = String(tr.frontend.max_connections);
    clearErrors(tr);
    dirty();
  });
  listen.addEventListener('input', dirty);
  limit.addEventListener('input', dirty);
  backend.addEventListener('change', dirty);
  protocol.addEventListener('change', dirty);
  save.addEventListener('click', async () => {
    clearErrors(tr);
    const changes = {};
    if (listen.value !== tr.frontend.listen_addr) changes.listen_addr = listen.value.trim();
    if (backend.value !== tr.frontend.backend) changes.backend = backend.value;
    if (protocol.value !== tr.frontend.protocol) changes.protocol = protocol.value;
    if (Number(limit.value) !== tr.frontend.max_connections) changes.max_connections = Number(limit.value);
    try {
      await write('PATCH', path(frontend.name), changes);
      save.hidden = true;
      cancel.hidden = true;
      frontendsView.refresh();
    } catch (e) {
      writeFailed(tr, e);
    }
  });
  tr.frontend = frontend;
  tr.details = details;
  tr.update = (f) => {
    tr.frontend = f;
    if (save.hidden) {
      listen.value = f.listen_addr;
      limit.value = String(f.max_connections);
      fill(backend, pools.map((p) => h('option', { value: p, selected: p === f.backend }, p)));
      protocol.value = f.protocol;
    }
    fill(bound, h('code', {}, f.bound_addr ?? '–'));
    preamble.textContent = preambleSummary(f);
    const c = f.counters ?? {};
    // a UDP frontend's sessions are capped by udp_max_sessions, not max_connections
    limit.hidden = f.protocol === 'udp';
    refused.textContent = f.refused_full ? `${f.refused_full} refused at the limit` : '';
    counters.textContent = f.udp ? udpSummary(f.udp)
      : `${c.current_connections ?? 0} now, ${c.total_connections ?? 0} total, tx ${bytes(c.bytes_tx)} / rx ${bytes(c.bytes_rx)}`;
  };
  tr.update(frontend);
  return tr;
}

async function remove(name, tr) {
  if (!await confirmAction(`Remove frontend ${name}?`, 'It stops listening; established connections finish.', 'Remove frontend')) return;
  try {
    await write('DELETE', path(name));
    frontendsView.refresh();
  } catch (e) {
    writeFailed(tr, e);
  }
}

async function load() {
  let frontends;
  try {
    [frontends, pools] = await Promise.all([get('/api/v1/frontends'), get('/api/v1/backends').then((b) => b.map((p) => p.name))]);
  } catch (e) {
    if (unreachable(e) && rows.size) return; // the last data stays, marked stale by the page-wide notice
    fill(table, h('tr', {}, h('td', { class: 'notice notice-error' }, `Cannot read the frontends: ${e.message}`)));
    return;
  }
  for (const name of [...rows.keys()]) if (!frontends.some((f) => f.name === name)) rows.delete(name);
  frontends.forEach((f) => (rows.has(f.name) ? rows.get(f.name).update(f) : rows.set(f.name, row(f))));
  place(table, frontends.flatMap((f) => [rows.get(f.name), rows.get(f.name).details]));
  const select = root.querySelector('form.add-frontend select[name=backend]');
  if (select.options.length !== pools.length) fill(select, pools.map((p) => h('option', { value: p }, p)));
}

function addForm() {
  const form = h('form', { class: 'card add-frontend', needs: 'admin' },
    h('h3', {}, 'Add a frontend'),
    h('div', { class: 'row' },
      field('Name', h('input', { name: 'name', required: true, dataset: { field: 'name' } })),
      field('Protocol', protocolSelect('tcp', { name: 'protocol', dataset: { field: 'protocol' } })),
      field('Listen address', h('input', { name: 'listen_addr', required: true, placeholder: '0.0.0.0:8080', dataset: { field: 'listen_addr' } })),
      field('Pool', h('select', { name: 'backend', dataset: { field: 'backend' } })),
      h('button', { class: 'primary' }, 'Add frontend')),
    h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    try {
      const body = { name: e.name.value.trim(), listen_addr: e.listen_addr.value.trim(), backend: e.backend.value };
      if (e.protocol.value !== 'tcp') body.protocol = e.protocol.value;
      await write('POST', '/api/v1/frontends', body);
      form.reset();
      frontendsView.refresh();
    } catch (error) {
      writeFailed(form, error);
    }
  });
  return form;
}

const frontendsView = view({
  id: 'frontends',
  title: 'Frontends',
  every: 2000,
  on: ['config'],
  build(el) {
    root = el;
    table = h('tbody');
    fill(root, h('h2', {}, 'Frontends'),
      h('table', { class: 'grid frontends' },
        h('thead', {}, h('tr', {}, ['Frontend', 'Protocol', 'Listen address', 'Bound to', 'Pool', 'Connections (UDP: sessions, datagrams), bytes tx (client → server) / rx (server → client)', 'Max connections', 'PROXY header, SNI', ''].map((c) => h('th', {}, c)))),
        table),
      addForm());
  },
  refresh: load,
});

export default frontendsView;
