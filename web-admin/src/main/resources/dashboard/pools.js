// Backend pools: one card per pool (servers, what-if edits, settings) and a form to add a pool.

import { h, fill, place } from './dom.js';
import { get, write, unreachable } from './api.js';
import { clearErrors, writeFailed, field } from './forms.js';
import { poolCard } from './poolcard.js';
import { view } from './view.js';

let list;
const cards = new Map();

async function load() {
  let pools;
  try {
    pools = await get('/api/v1/backends');
  } catch (error) {
    if (unreachable(error) && cards.size) return; // the last data stays, marked stale by the page-wide notice
    fill(list, h('div', { class: 'notice notice-error' }, `Cannot read the pools: ${error.message}`));
    return;
  }
  for (const [name, card] of cards) {
    if (!pools.some((p) => p.name === name)) {
      card.el.remove();
      cards.delete(name);
    }
  }
  pools.forEach((pool) => {
    if (cards.has(pool.name)) cards.get(pool.name).update(pool);
    else cards.set(pool.name, poolCard(pool, () => poolsView.refresh()));
  });
  place(list, pools.map((p) => cards.get(p.name).el));
}

function addPoolForm() {
  const form = h('form', { class: 'card add-pool', hidden: true, needs: 'admin' },
    h('h3', {}, 'New pool'),
    h('div', { class: 'row' },
      field('Pool name', h('input', { name: 'name', required: true, dataset: { field: 'name' } })),
      field('Algorithm', h('select', { name: 'algorithm', dataset: { field: 'algorithm' } },
        ['round_robin', 'least_connections', 'maglev'].map((a) => h('option', { value: a }, a.replaceAll('_', ' '))))),
      field('First server', h('input', { name: 'server', required: true, placeholder: 'name', dataset: { field: 'servers' } })),
      field('Its address', h('input', { name: 'addr', required: true, placeholder: '127.0.0.1:8080', dataset: { field: 'addr' } })),
      field('Weight', h('input', { name: 'weight', type: 'number', min: '0', max: '65535', value: '1', dataset: { field: 'weight' } }))),
    h('div', { class: 'actions' }, h('button', { class: 'primary' }, 'Create pool'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = true; } }, 'Cancel')),
    h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    try {
      await write('POST', '/api/v1/backends', { name: e.name.value.trim(), algorithm: e.algorithm.value,
        servers: { [e.server.value.trim()]: { addr: e.addr.value.trim(), weight: Number(e.weight.value) } } });
      form.reset();
      form.hidden = true;
      poolsView.refresh();
    } catch (error) {
      writeFailed(form, error);
    }
  });
  return form;
}

const poolsView = view({
  id: 'pools',
  title: 'Pools',
  every: 1000,
  on: ['config', 'health'],
  build(el) {
    list = h('div', { class: 'pools' });
    const form = addPoolForm();
    fill(el, h('div', { class: 'toolbar' }, h('h2', {}, 'Backend pools'), h('span', { class: 'spacer' }),
      h('a', { href: '/api/v1/stats/servers.csv', download: 'convey-servers.csv', class: 'export', id: 'export-csv',
        title: 'every server with its counters, health and downtime, one line each' }, 'Export CSV'),
      h('button', { type: 'button', class: 'primary', id: 'add-pool', needs: 'admin', onclick: () => { form.hidden = false; } }, 'Add pool')),
    form, list);
  },
  refresh: load,
});

export default poolsView;
