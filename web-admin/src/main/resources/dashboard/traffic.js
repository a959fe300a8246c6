// Traffic control: each frontend's allow/deny lists, rate limit and access log (with what they refused), and the
// latest access-log entries, filtered by client or server.

import { h, fill, place, bytes } from './dom.js';
import { get, write } from './api.js';
import { clearErrors, writeFailed, field } from './forms.js';
import { view } from './view.js';

let cards;
let entries;
let totals;
let filter;
const forms = new Map();

const lines = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter((s) => s);

function card(frontend) {
  const t = frontend.traffic;
  const input = (name, value, attrs = {}) => h('input', { name, value, needs: 'admin', dataset: { field: name }, ...attrs });
  const form = h('form', { class: 'card traffic', dataset: { frontend: frontend.name } },
    h('h3', {}, frontend.name, ' ', h('span', { class: 'muted' }, `pool ${frontend.backend}`)),
    h('p', { class: 'refusals' },
      'Refused by the lists: ', h('strong', { class: 'refused-acl' }, '0'),
      ' · rate-limited: ', h('strong', { class: 'rate-limited' }, '0')),
    h('div', { class: 'row' },
      field('Allow (one prefix a line; empty: everyone not denied)',
        h('textarea', { name: 'allow', rows: 4, needs: 'admin', dataset: { field: 'allow' } }, t.allow.join('\n'))),
      field('Deny (wins over allow)',
        h('textarea', { name: 'deny', rows: 4, needs: 'admin', dataset: { field: 'deny' } }, t.deny.join('\n')))),
    h('div', { class: 'row' },
      field('New connections/s per source (0: off)', input('rate_limit', t.rate_limit, { type: 'number', min: 0 })),
      field('Burst', input('rate_limit_burst', t.rate_limit_burst || '', { type: 'number', min: 1 })),
      field('Source prefix IPv4', input('rate_limit_prefix_v4', t.rate_limit_prefix_v4, { type: 'number', min: 1, max: 32 })),
      field('Source prefix IPv6', input('rate_limit_prefix_v6', t.rate_limit_prefix_v6, { type: 'number', min: 1, max: 128 }))),
    h('div', { class: 'row' },
      field('Access log ("off", "stdout" or an absolute file)', input('access_log', t.access_log)),
      field('Format', h('select', { name: 'access_log_format', needs: 'admin', dataset: { field: 'access_log_format' } },
        ['json', 'text'].map((f) => h('option', { value: f, selected: f === t.access_log_format }, f)))),
      field('Rotate at', input('access_log_max_size', `${Math.round(t.access_log_max_size / 1048576)}MB`)),
      field('Files kept', input('access_log_max_files', t.access_log_max_files, { type: 'number', min: 1, max: 20 }))),
    h('div', { class: 'actions' }, h('button', { class: 'primary', needs: 'admin' }, 'Save')),
    h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    const number = (el) => (el.value === '' ? undefined : Number(el.value));
    const changes = {
      allow: lines(e.allow.value),
      deny: lines(e.deny.value),
      rate_limit: number(e.rate_limit) ?? 0,
      rate_limit_burst: number(e.rate_limit_burst),
      rate_limit_prefix_v4: number(e.rate_limit_prefix_v4),
      rate_limit_prefix_v6: number(e.rate_limit_prefix_v6),
      access_log: e.access_log.value.trim() || 'off',
      access_log_format: e.access_log_format.value,
      access_log_max_size: e.access_log_max_size.value.trim(),
      access_log_max_files: number(e.access_log_max_files),
    };
    // only what the operator changed: the file keeps the keys it had
    const now = form.traffic;
    const same = (key) => (Array.isArray(changes[key]) ? changes[key].join(' ') === now[key].join(' ')
      : key === 'access_log_max_size' ? changes[key] === `${Math.round(now[key] / 1048576)}MB`
        : changes[key] === undefined || String(changes[key]) === String(now[key] ?? ''));
    Object.keys(changes).forEach((key) => same(key) && delete changes[key]);
    if (Object.keys(changes).length === 0) return;
    try {
      await write('PATCH', `/api/v1/frontends/${encodeURIComponent(frontend.name)}/traffic`, changes);
      form.dataset.saved = String(Date.now());
      trafficView.refresh();
    } catch (error) {
      writeFailed(form, error);
    }
  });
  form.traffic = t;
  form.update = (f) => {
    form.traffic = f.traffic;
    form.querySelector('.refused-acl').textContent = String(f.admission?.refused_by_acl ?? 0);
    form.querySelector('.rate-limited').textContent = String(f.admission?.rate_limited ?? 0);
  };
  return form;
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);

function entryRow(e) {
  return h('tr', { dataset: { ending: e.ending } },
    h('td', {}, new Date(e.time).toLocaleTimeString()), h('td', { class: 'client' }, e.client), h('td', {}, e.frontend),
    h('td', {}, e.pool ?? '–'), h('td', { class: 'server' }, e.server ?? '–'),
    h('td', { class: 'num' }, `${bytes(e.bytes_from_client)} / ${bytes(e.bytes_from_server)}`),
    h('td', { class: 'num' }, ms(e.duration_ms)), h('td', { class: 'num' }, ms(e.connect_ms)),
    h('td', { class: 'num' }, ms(e.queue_ms)), h('td', { class: 'ending' }, e.ending.replaceAll('_', ' ')));
}

async function load() {
  const query = new URLSearchParams();
  const client = filter.elements.client.value.trim();
  const server = filter.elements.server.value.trim();
  if (client) query.set('client', client);
  if (server) query.set('server', server);
  query.set('limit', '200');
  let frontends;
  let page;
  try {
    [frontends, page] = await Promise.all([get('/api/v1/frontends'), get(`/api/v1/access-log?${query}`)]);
  } catch (e) {
    fill(entries, h('tr', {}, h('td', { class: 'notice notice-error' }, `Cannot read the access log: ${e.message}`)));
    return;
  }
  for (const name of [...forms.keys()]) if (!frontends.some((f) => f.name === name)) forms.delete(name);
  frontends.forEach((f) => { if (!forms.has(f.name)) forms.set(f.name, card(f)); forms.get(f.name).update(f); });
  place(cards, frontends.map((f) => forms.get(f.name)));
  fill(entries, page.entries.length ? page.entries.map(entryRow)
    : h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No entries (frontends log only when their access log is on).')));
  totals.textContent = `${page.written} written, ${page.dropped} dropped (writer behind)`;
}

const trafficView = view({
  id: 'traffic',
  title: 'Traffic control',
  every: 2000,
  on: ['config'],
  build(el) {
    cards = h('div', { class: 'traffic-cards' });
    entries = h('tbody');
    totals = h('span', { class: 'muted', id: 'access-log-totals' });
    filter = h('form', { class: 'row access-log-filter' },
      field('Client', h('input', { name: 'client', placeholder: '192.0.2.7', 'aria-label': 'filter by client' })),
      field('Server', h('input', { name: 'server', placeholder: 'name or address', 'aria-label': 'filter by server' })));
    filter.addEventListener('input', () => trafficView.refresh());
    filter.addEventListener('submit', (event) => event.preventDefault());
    fill(el, h('h2', {}, 'Traffic control'), cards,
      h('h2', {}, 'Access log ', totals), filter,
      h('table', { class: 'grid access-log' },
        h('thead', {}, h('tr', {}, ['Start', 'Client', 'Frontend', 'Pool', 'Server', 'Bytes in / out', 'Duration',
          'Connect', 'Queue', 'Ending'].map((c) => h('th', {}, c)))),
        entries));
  },
  refresh: load,
});

export default trafficView;
