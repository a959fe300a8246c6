// One backend pool: its servers (weight, state, health, connections, bytes, share), what-if edits with
// preview, adding and removing servers, and the pool's own settings.

import { h, fill, bytes, percent, badge, debounce } from './dom.js';
import { get, write, knownVersion, ApiError } from './api.js';
import { clearErrors, showError, writeFailed, confirmAction, field } from './forms.js';
import { limitCell, trafficPanel } from './traffic.js';

const STATES = ['enabled', 'drain', 'disabled'];
const ALGORITHMS = ['round_robin', 'least_connections', 'maglev'];
const SETTINGS = [
  ['health_check_interval_ms', 'Check interval (ms)'], ['health_check_timeout_ms', 'Check timeout (ms)'],
  ['rise', 'Rise'], ['fall', 'Fall'], ['connect_timeout_ms', 'Connect timeout (ms)'], ['idle_timeout_s', 'Idle timeout (s)'],
];

const path = (pool, ...rest) => ['/api/v1/backends', encodeURIComponent(pool), ...rest.map(encodeURIComponent)].join('/');

function healthCell(health) {
  if (!health?.checked) return h('td', { class: 'health' }, badge('unknown', 'NOT CHECKED'));
  return h('td', { class: 'health' },
    health.up ? badge('up', 'UP') : badge('down', 'DOWN'),
    health.up && health.latency_ms !== null && health.latency_ms !== undefined ? h('span', { class: 'latency' }, ` ${health.latency_ms.toFixed(1)} ms`) : null,
    health.last_error ? h('div', { class: 'last-error' }, health.last_error) : null,
    health.flaps_last_hour ? h('div', { class: 'flaps' }, `${health.flaps_last_hour} flaps in the last hour`) : null);
}

function select(options, value, attrs = {}) {
  return h('select', attrs, options.map((o) => h('option', { value: o, selected: o === value }, o.replaceAll('_', ' '))));
}

/** Builds the card of one pool; refresh() re-reads all pools after a change. */
export function poolCard(initial, refresh) {
  let pool = initial;
  const pending = { weights: {}, states: {}, base: null, preview: null };
  const rows = new Map();
  const tbody = h('tbody');
  const pendingBar = h('div', { class: 'pending', hidden: true });
  const cardError = h('div', { class: 'form-error' });
  const header = h('div', { class: 'pool-header' });
  const settings = h('form', { class: 'settings', hidden: true });
  const traffic = trafficPanel(pool, refresh);
  const el = h('section', { class: 'card pool', dataset: { pool: pool.name } }, header, settings, traffic.el,
    h('table', { class: 'grid servers' },
      h('thead', {}, h('tr', {}, ['Server', 'Address', 'Weight', 'State', 'Health', 'Active', 'Bytes in / out', 'Share (expected, seen, → after)', 'Slots / limit, ramp', '']
        .map((c) => h('th', {}, c)))), tbody),
    pendingBar, cardError, addServerForm());

  const isPending = () => Object.keys(pending.weights).length + Object.keys(pending.states).length > 0;

  // the header's texts change with each read; its buttons are built once (a button replaced every second can lose a click)
  const headerText = h('span', { class: 'pool-summary' });
  fill(header, headerText, h('span', { class: 'spacer' }),
    h('button', { type: 'button', class: 'secondary', needs: 'admin', onclick: toggleSettings }, 'Settings'),
    h('button', { type: 'button', class: 'danger', needs: 'admin', onclick: removePool }, 'Remove pool'));

  function renderHeader() {
    fill(headerText, h('h2', {}, pool.name), ' ', badge('config', pool.algorithm.replaceAll('_', ' ')),
      h('span', { class: 'muted' }, ` health check every ${pool.health_check_interval_ms} ms (timeout ${pool.health_check_timeout_ms} ms, rise ${pool.rise}, fall ${pool.fall})`));
  }

  function toggleSettings() {
    settings.hidden = !settings.hidden;
    if (settings.hidden) return;
    fill(settings,
      field('Algorithm', select(ALGORITHMS, pool.algorithm, { name: 'algorithm', dataset: { field: 'algorithm' } })),
      SETTINGS.map(([key, label]) => field(label, h('input', { type: 'number', name: key, value: String(pool[key]), min: '0', dataset: { field: key } }))),
      h('div', { class: 'actions' }, h('button', { class: 'primary' }, 'Save settings'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { settings.hidden = true; } }, 'Cancel')),
      h('div', { class: 'form-error' }));
  }

  settings.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changes = {};
    const algorithm = settings.elements.algorithm.value;
    if (algorithm !== pool.algorithm) changes.algorithm = algorithm;
    for (const [key] of SETTINGS) {
      const value = Number(settings.elements[key].value);
      if (value !== pool[key]) changes[key] = value;
    }
    try {
      if (Object.keys(changes).length) await write('PATCH', path(pool.name), changes);
      settings.hidden = true;
      refresh();
    } catch (error) {
      writeFailed(settings, error);
    }
  });

  async function removePool() {
    if (!await confirmAction(`Remove pool ${pool.name}?`, 'Its servers stop receiving connections; established ones finish.', 'Remove pool')) return;
    try {
      await write('DELETE', path(pool.name));
      refresh();
    } catch (error) {
      writeFailed(el, error);
    }
  }

  function row(server) {
    const weight = h('input', { type: 'number', class: 'weight', min: '0', max: '65535', value: String(server.weight), needs: 'operator',
      'aria-label': `weight of ${server.name}`, dataset: { field: `servers.${server.name}.weight weights.${server.name}` } });
    const state = select(STATES, server.state, { class: `state state-${server.state}`, needs: 'operator', 'aria-label': `state of ${server.name}`,
      dataset: { field: `servers.${server.name}.state states.${server.name}` } });
    weight.addEventListener('input', () => edit('weights', server.name, weight.value === '' ? null : Number(weight.value)));
    state.addEventListener('change', () => edit('states', server.name, state.value));
    const cells = {
      health: h('td'), active: h('td', { class: 'num active' }), bytes: h('td', { class: 'num bytes' }),
      share: h('td', { class: 'share' }), address: h('td', {}, h('code', {}, server.addr)), limit: h('td'),
    };
    const tr = h('tr', { dataset: { server: server.name } }, h('td', { class: 'name' }, server.name), cells.address,
      h('td', {}, weight), h('td', {}, state), cells.health, cells.active, cells.bytes, cells.share, cells.limit,
      h('td', {}, h('button', { type: 'button', class: 'danger small', needs: 'operator', onclick: () => removeServer(server.name) }, 'Remove')));
    return { tr, weight, state, cells };
  }

  function updateRow(r, server, seenTotal) {
    if (!(server.name in pending.weights) && document.activeElement !== r.weight) r.weight.value = String(server.weight);
    if (!(server.name in pending.states)) r.state.value = server.state;
    r.state.className = `state state-${r.state.value}${server.name in pending.states ? ' changed' : ''}`;
    r.weight.classList.toggle('changed', server.name in pending.weights);
    r.cells.health.replaceWith(r.cells.health = healthCell(server.health));
    r.cells.active.textContent = server.active_connections;
    r.cells.limit.replaceWith(r.cells.limit = limitCell(server));
    r.cells.bytes.textContent = `${bytes(server.bytes_tx)} / ${bytes(server.bytes_rx)}`;
    const predicted = pending.preview?.shares?.[server.name];
    fill(r.cells.share,
      h('div', { class: 'bar' }, h('div', { class: 'fill', style: `width:${(server.expected_share ?? 0) * 100}%` })),
      h('span', { class: 'expected' }, percent(server.expected_share)),
      seenTotal > 0 ? h('span', { class: 'muted seen' }, ` seen ${percent(server.total_connections / seenTotal)}`) : null,
      predicted !== undefined && isPending() ? h('span', { class: 'predicted' }, ` → ${percent(predicted)}`) : null);
  }

  function update(next) {
    pool = next;
    el.dataset.pool = pool.name;
    renderHeader();
    traffic.update(pool);
    const names = pool.servers.map((s) => s.name).join('\n');
    if (names !== [...rows.keys()].join('\n') && !isPending()) {
      rows.clear();
      pool.servers.forEach((s) => rows.set(s.name, row(s)));
      fill(tbody, [...rows.values()].map((r) => r.tr));
    }
    const seenTotal = pool.servers.reduce((sum, s) => sum + (s.total_connections ?? 0), 0);
    pool.servers.forEach((s) => rows.has(s.name) && updateRow(rows.get(s.name), s, seenTotal));
  }

  function edit(kind, name, value) {
    const server = pool.servers.find((s) => s.name === name);
    if (pending.base === null) pending.base = knownVersion();
    if (value === null || value === server[kind === 'weights' ? 'weight' : 'state']) delete pending[kind][name];
    else pending[kind][name] = value;
    if (!isPending()) {
      cancel();
      return;
    }
    preview();
  }

  const preview = debounce(async () => {
    if (!isPending()) return;
    clearErrors(el);
    try {
      // a what-if changes nothing: after a re-login it is simply asked again
      pending.preview = await write('POST', path(pool.name, 'preview'), { weights: pending.weights, states: pending.states }, { retryAfterLogin: true });
    } catch (error) {
      pending.preview = null;
      showError(el, error);
    }
    renderPending();
    update(pool);
  }, 250);

  function renderPending() {
    pendingBar.hidden = !isPending();
    const moved = pending.preview?.moved_fraction;
    const changes = describePending();
    fill(pendingBar,
      h('div', {}, h('strong', {}, 'Not applied yet: '), changes.join('; '), '. The Share column shows the predicted split (→).'),
      moved !== null && moved !== undefined ? h('div', { class: 'moved' }, `Maglev: ${percent(moved)} of flows would move to another server.`) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: apply }, 'Apply'),
        h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel')));
  }

  function describePending() {
    return [
      ...Object.entries(pending.weights).map(([n, w]) => `${n}: weight ${pool.servers.find((s) => s.name === n).weight} → ${w}`),
      ...Object.entries(pending.states).map(([n, s]) => `${n}: ${pool.servers.find((x) => x.name === n).state} → ${s}`)];
  }

  async function apply() {
    const names = new Set([...Object.keys(pending.weights), ...Object.keys(pending.states)]);
    const described = describePending();
    let version = pending.base;
    clearErrors(el);
    try {
      for (const name of names) {
        const body = {};
        if (name in pending.weights) body.weight = pending.weights[name];
        if (name in pending.states) body.state = pending.states[name];
        try {
          version = (await write('PATCH', path(pool.name, 'servers', name), body, { ifMatch: version })).config_version;
        } catch (error) {
          // the API names the field without the server ("weight"): place it in this server's row
          if (error instanceof ApiError) error.problems = error.problems.map((p) => (p.path && !p.path.includes('.') ? { ...p, path: `servers.${name}.${p.path}` } : p));
          throw error;
        }
        delete pending.weights[name];
        delete pending.states[name];
      }
      cancel();
    } catch (error) {
      writeFailed(el, error, pending.base);
      if (error instanceof ApiError && error.status === 412) {
        cancel(false);
        fill(cardError, `Not applied: ${described.join('; ')}. The configuration changed meanwhile (see the notice above); edit again from what is running now.`);
      }
    }
    refresh();
  }

  function cancel(clear = true) {
    pending.weights = {};
    pending.states = {};
    pending.base = null;
    pending.preview = null;
    if (clear) clearErrors(el);
    renderPending();
    rows.clear(); // rebuilt from the pool as it is
    update(pool);
  }

  async function removeServer(name) {
    if (!await confirmAction(`Remove server ${name} from ${pool.name}?`, 'New connections stop going to it; established ones finish.', 'Remove server')) return;
    try {
      await write('DELETE', path(pool.name, 'servers', name));
      refresh();
    } catch (error) {
      writeFailed(el, error);
    }
  }

  function addServerForm() {
    const form = h('form', { class: 'add-server', needs: 'operator' },
      h('h3', {}, 'Add a server'),
      h('div', { class: 'row' },
        field('Name', h('input', { name: 'name', required: true, dataset: { field: 'name' } })),
        field('Address', h('input', { name: 'addr', required: true, placeholder: '127.0.0.1:8080', dataset: { field: 'addr' } })),
        field('Weight', h('input', { name: 'weight', type: 'number', min: '0', max: '65535', value: '1', dataset: { field: 'weight' } })),
        field('State', select(STATES, 'enabled', { name: 'state', dataset: { field: 'state' } })),
        h('button', { class: 'primary', name: 'probe-add' }, 'Probe and add')),
      h('div', { class: 'probe-result' }), h('div', { class: 'form-error' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await addServer(form, event.submitter?.name === 'add-anyway');
    });
    return form;
  }

  async function addServer(form, skipProbe) {
    clearErrors(form);
    const result = form.querySelector('.probe-result');
    const server = { name: form.elements.name.value.trim(), addr: form.elements.addr.value.trim(),
      weight: Number(form.elements.weight.value), state: form.elements.state.value };
    try {
      if (!skipProbe) {
        fill(result, 'Probing…');
        const probe = await write('POST', '/api/v1/probe', { addr: server.addr });
        if (!probe.reachable) {
          fill(result, badge('down', 'UNREACHABLE'), ` ${server.addr}: ${probe.error}`,
            h('button', { class: 'secondary', name: 'add-anyway' }, 'Add anyway'));
          showError(form, new ApiError(0, { error: 'The probe failed; the server was not added.',
            problems: [{ path: 'addr', message: `not reachable from the appliance: ${probe.error}` }] }));
          return;
        }
        fill(result, badge('up', 'REACHABLE'), ` ${server.addr} answered in ${probe.latency_ms.toFixed(1)} ms`);
      }
      await write('POST', path(pool.name, 'servers'), server);
      form.reset();
      fill(result, `Added ${server.name}.`);
      refresh();
    } catch (error) {
      writeFailed(form, error);
    }
  }

  update(pool);
  return { el, update, name: () => pool.name };
}
