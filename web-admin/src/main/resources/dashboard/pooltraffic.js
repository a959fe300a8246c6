// A pool's traffic control on its card: the connection queue now (length, peak, how waits ended), slow start,
// passive health, half-close and source persistence settings, each server's connection limit and ramp; admins edit
// the pool's keys, operators the servers' max_connections.

import { h, fill, badge } from './dom.js';
import { write } from './api.js';
import { clearErrors, writeFailed, field } from './forms.js';

const SETTINGS = [
  ['queue_size', 'Queue size'], ['queue_timeout_ms', 'Queue timeout (ms)'], ['slow_start_s', 'Slow start (s)'],
  ['persistence_timeout_s', 'Persistence timeout (s)'],
];

// an appliance from before half_close always passed a FIN on
const halfClose = (pool) => pool.half_close ?? true;

const path = (pool, ...rest) => ['/api/v1/backends', encodeURIComponent(pool), ...rest.map(encodeURIComponent)].join('/');

/** The "Limit / ramp" cell of a server row. */
export function limitCell(server) {
  const limit = server.max_connections > 0 ? `${server.slots_in_use} / ${server.max_connections}` : `${server.slots_in_use} / no limit`;
  const ramping = server.eligible && server.ramp_percent < 100;
  return h('td', { class: 'limit' },
    h('span', { class: 'slots' }, limit),
    ramping ? h('div', { class: 'ramp' }, badge('config', `slow start ${server.ramp_percent}%`),
      ` effective weight ${server.effective_weight.toFixed(2)} of ${server.weight}`) : null);
}

/** The traffic panel of one pool; update(pool) refreshes it, refresh() re-reads all pools after a change. */
export function trafficPanel(initial, refresh) {
  let pool = initial;
  const summary = h('div', { class: 'traffic-summary' });
  const form = h('form', { class: 'traffic-settings', hidden: true });
  const el = h('div', { class: 'traffic' }, summary,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary small', name: 'traffic-edit', needs: 'operator', onclick: toggle },
        'Limits and queue')),
    form);

  function render() {
    const q = pool.queue;
    fill(summary,
      h('span', { class: 'queue', dataset: { current: String(q.current), peak: String(q.peak) } },
        `Queue ${q.current} waiting (peak ${q.peak}, size ${pool.queue_size}, timeout ${pool.queue_timeout_ms} ms)`),
      h('span', { class: 'muted queue-totals' },
        ` · served ${q.served}, timed out ${q.timed_out}, refused full ${q.full}`),
      h('div', { class: 'muted traffic-keys' },
        pool.slow_start_s > 0 ? `Slow start over ${pool.slow_start_s} s` : 'No slow start',
        ' · ', pool.observe ? 'passive health on (live failures count toward fall)' : 'passive health off',
        ' · ', halfClose(pool) ? 'half-close on' : 'half-close off (first FIN closes both sides)',
        ' · ', pool.persistent_by_construction ? 'Maglev: a client stays on its server by construction'
          : pool.persistence_timeout_s > 0 ? `persistence ${pool.persistence_timeout_s} s` : 'no persistence'));
  }

  function toggle() {
    form.hidden = !form.hidden;
    if (form.hidden) return;
    fill(form,
      h('div', { class: 'row' },
        SETTINGS.map(([key, label]) => field(label, h('input', { type: 'number', min: '0', name: key, value: String(pool[key]),
          needs: 'admin', disabled: key === 'persistence_timeout_s' && pool.persistent_by_construction,
          title: key === 'persistence_timeout_s' && pool.persistent_by_construction ? 'Maglev pools are persistent by construction' : null,
          dataset: { field: key } }))),
        field('Passive health', h('input', { type: 'checkbox', name: 'observe', checked: pool.observe, needs: 'admin', dataset: { field: 'observe' } })),
        field('Half-close', h('input', { type: 'checkbox', name: 'half_close', checked: halfClose(pool), needs: 'admin',
          title: 'On: a FIN is passed on and the other direction stays open. Off: the first FIN from either side closes both '
            + 'connections once what is queued is written. Proxy mode only.',
          dataset: { field: 'half_close' } }))),
      h('div', { class: 'row' }, pool.servers.map((s) => field(`${s.name} max connections`,
        h('input', { type: 'number', min: '0', name: `max-${s.name}`, value: String(s.max_connections), needs: 'operator',
          dataset: { field: `servers.${s.name}.max_connections` } })))),
      h('div', { class: 'actions' }, h('button', { class: 'primary', name: 'traffic-save' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = true; } }, 'Cancel')),
      h('div', { class: 'form-error' }));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    const changes = {};
    for (const [key] of SETTINGS) {
      if (!e[key].disabled && Number(e[key].value) !== pool[key]) changes[key] = Number(e[key].value);
    }
    if (!e.observe.disabled && e.observe.checked !== pool.observe) changes.observe = e.observe.checked;
    if (!e.half_close.disabled && e.half_close.checked !== halfClose(pool)) changes.half_close = e.half_close.checked;
    try {
      if (Object.keys(changes).length) await write('PATCH', path(pool.name), changes);
      for (const s of pool.servers) {
        const input = e[`max-${s.name}`];
        if (!input.disabled && Number(input.value) !== s.max_connections) {
          await write('PATCH', path(pool.name, 'servers', s.name), { max_connections: Number(input.value) });
        }
      }
      form.hidden = true;
      refresh();
    } catch (error) {
      writeFailed(form, error);
    }
  });

  function update(next) {
    pool = next;
    render();
  }

  render();
  return { el, update };
}
