// One backend pool: its servers (weight, state, health, connections, bytes, share), what-if edits with
// preview, adding and removing servers, and the pool's own settings.

import { h, fill, bytes, percent, badge, debounce } from './dom.js';
import { write, knownVersion, ApiError } from './api.js';
import { clearErrors, showError, writeFailed, confirmAction, field } from './forms.js';
import { udpPoolLine } from './udp.js';
import * as recent from './recent.js';
import { serverStatsCells, DENSE_FROM } from './serverstats.js';
import { limitCell, trafficPanel } from './pooltraffic.js';

const STATES = ['enabled', 'drain', 'disabled'];
const ALGORITHMS = ['round_robin', 'least_connections', 'maglev'];
const SEND_PROXY = ['none', 'v1', 'v2'];
const SETTINGS = [
  ['health_check_interval_ms', 'Check interval (ms)'], ['health_check_timeout_ms', 'Check timeout (ms)'],
  ['rise', 'Rise'], ['fall', 'Fall'], ['connect_timeout_ms', 'Connect timeout (ms)'], ['idle_timeout_s', 'Idle timeout (s)'],
];

const MAX_WEIGHT = 65535;
const validWeight = (w) => Number.isInteger(w) && w >= 0 && w <= MAX_WEIGHT;

/** What of a pool a pending edit's preview depends on: algorithm and each server's weight and state. */
const signature = (pool) => JSON.stringify([pool.algorithm, pool.servers.map((s) => [s.name, s.weight, s.state])]);

const path = (pool, ...rest) => ['/api/v1/backends', encodeURIComponent(pool), ...rest.map(encodeURIComponent)].join('/');

function healthCell(health) {
  if (!health?.checked) return h('td', { class: 'health' }, badge('unknown', 'NOT CHECKED'));
  return h('td', { class: 'health' },
    health.up ? badge('up', 'UP') : badge('down', 'DOWN'),
    health.up && health.latency_ms !== null && health.latency_ms !== undefined ? h('span', { class: 'latency' }, ` ${health.latency_ms.toFixed(1)} ms`) : null,
    health.last_error ? h('div', { class: 'last-error', title: health.last_error }, health.last_error) : null,
    health.flaps_last_hour ? h('div', { class: 'flaps' }, `${health.flaps_last_hour} flaps in the last hour`) : null);
}

function select(options, value, attrs = {}) {
  return h('select', attrs, options.map((o) => h('option', { value: o, selected: o === value }, o.replaceAll('_', ' '))));
}

/** Builds the card of one pool; refresh() re-reads all pools after a change. */
export function poolCard(initial, refresh) {
  let pool = initial;
  const pending = { weights: {}, states: {}, base: null, preview: null, previewFailed: false, signature: null };
  const rows = new Map();
  const tbody = h('tbody');
  const pendingBar = h('div', { class: 'pending', hidden: true });
  const cardError = h('div', { class: 'form-error' });
  const header = h('div', { class: 'pool-header' });
  const settings = h('form', { class: 'settings', hidden: true });
  const traffic = trafficPanel(pool, refresh);
  const el = h('section', { class: 'card pool', dataset: { pool: pool.name } }, header, settings, traffic.el,
    h('table', { class: 'grid servers' },
      h('thead', {}, h('tr', {}, [['Server'], ['Address'], ['Weight'], ['State'], ['Health'], ['Active'], ['Peak', 'most connections open at once'],
        ['Bytes tx / rx', 'tx: client → server, rx: server → client (docs/api.md)'],
        ['Errors / retries', 'connect errors (of which timeouts) / connections retried on another server'],
        ['In state', 'time since the last UP/DOWN change'], ['Downtime', 'total time DOWN since the first check'],
        [`Share (expected, seen in the last ${recent.WINDOW_S} s, → after)`],
        ['Slots / limit, ramp', 'connections held of max_connections; the slow-start ramp while it lasts'], ['']]
        .map(([c, title]) => h('th', { title }, c)))), tbody),
    pendingBar, cardError, addServerForm());

  const isPending = () => Object.keys(pending.weights).length + Object.keys(pending.states).length > 0;

  // the header's texts change with each read; its buttons are built once (a button replaced every second can lose a click)
  const headerText = h('span', { class: 'pool-summary' });
  fill(header, headerText, h('span', { class: 'spacer' }),
    h('button', { type: 'button', class: 'secondary', needs: 'admin', onclick: toggleSettings }, 'Settings'),
    h('button', { type: 'button', class: 'danger', needs: 'admin', onclick: removePool }, 'Remove pool'));

  function renderHeader() {
    fill(headerText, h('h2', {}, pool.name), ' ', badge('config', pool.algorithm.replaceAll('_', ' ')),
      pool.send_proxy && pool.send_proxy !== 'none' ? [' ', badge('config', `PROXY ${pool.send_proxy}`)] : null,
      h('span', { class: 'muted' }, ` health check every ${pool.health_check_interval_ms} ms (timeout ${pool.health_check_timeout_ms} ms, rise ${pool.rise}, fall ${pool.fall})`),
      udpPoolLine(pool));
  }

  function toggleSettings() {
    settings.hidden = !settings.hidden;
    if (settings.hidden) return;
    fill(settings,
      field('Algorithm', select(ALGORITHMS, pool.algorithm, { name: 'algorithm', dataset: { field: 'algorithm' } })),
      field('PROXY header to servers', select(SEND_PROXY, pool.send_proxy ?? 'none', { name: 'send_proxy', dataset: { field: 'send_proxy' } })),
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
    if (settings.elements.send_proxy.value !== (pool.send_proxy ?? 'none')) changes.send_proxy = settings.elements.send_proxy.value;
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
    // an empty field means "as it is"; text the browser cannot read as a number is an invalid weight (NaN)
    weight.addEventListener('input', () => edit('weights', server.name,
      weight.validity.badInput ? NaN : weight.value === '' ? null : Number(weight.value)));
    state.addEventListener('change', () => edit('states', server.name, state.value));
    const cells = {
      health: h('td'), active: h('td', { class: 'num active' }), bytes: h('td', { class: 'num bytes' }),
      share: h('td', { class: 'share' }), address: h('td', {}, h('code', {}, server.addr)), stats: serverStatsCells(),
      limit: h('td'),
    };
    const tr = h('tr', { dataset: { server: server.name } }, h('td', { class: 'name' }, server.name), cells.address,
      h('td', {}, weight), h('td', {}, state), cells.health, cells.active, cells.stats.peak, cells.bytes,
      cells.stats.errors, cells.stats.inState, cells.stats.downtime, cells.share, cells.limit,
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
    r.cells.bytes.textContent = `${bytes(server.bytes_tx)} / ${bytes(server.bytes_rx)}`
      + (server.udp ? ` (${server.udp.datagrams_tx} / ${server.udp.datagrams_rx} datagrams)` : '');
    r.cells.stats.update(server);
    const predicted = pending.preview?.shares?.[server.name];
    fill(r.cells.share,
      h('div', { class: 'bar' }, h('div', { class: 'fill', style: `width:${(server.expected_share ?? 0) * 100}%` })),
      h('span', { class: 'expected' }, percent(server.expected_share)),
      h('span', { class: 'muted seen', title: `share of the new connections of the last ${recent.WINDOW_S} s` },
        seenTotal > 0 ? ` seen ${percent(recent.seen(pool.name, server.name) / seenTotal)}` : ' seen –'),
      predicted !== undefined && isPending() ? h('span', { class: 'predicted' }, ` → ${percent(predicted)}`) : null);
  }

  function update(next) {
    pool = next;
    el.dataset.pool = pool.name;
    tbody.parentElement.classList.toggle('dense', pool.servers.length >= DENSE_FROM);
    renderHeader();
    if (isPending() && signature(pool) !== pending.signature) liveChanged();
    traffic.update(pool);
    const names = pool.servers.map((s) => s.name).join('\n');
    if (names !== [...rows.keys()].join('\n') && !isPending()) {
      rows.clear();
      pool.servers.forEach((s) => rows.set(s.name, row(s)));
      fill(tbody, [...rows.values()].map((r) => r.tr));
    }
    const seenTotal = pool.servers.reduce((sum, s) => sum + recent.seen(pool.name, s.name), 0);
    pool.servers.forEach((s) => rows.has(s.name) && updateRow(rows.get(s.name), s, seenTotal));
  }

  function edit(kind, name, value) {
    const server = pool.servers.find((s) => s.name === name);
    if (pending.base === null) pending.base = knownVersion();
    if (value === null || value === server[kind === 'weights' ? 'weight' : 'state']) delete pending[kind][name];
    else pending[kind][name] = value;
    if (!isPending()) {
      // the field being typed in stays: emptied or typed back to the running value on the way to a new one
      forget();
      return;
    }
    pending.signature = signature(pool);
    renderPending();
    preview();
  }

  /**
   * The running pool changed under a pending edit (another operator, a file edit): edits that now match what runs are
   * dropped, edits of servers that are gone too, and the preview is asked again against what runs now.
   */
  function liveChanged() {
    for (const kind of ['weights', 'states']) {
      for (const name of Object.keys(pending[kind])) {
        const server = pool.servers.find((s) => s.name === name);
        if (!server || server[kind === 'weights' ? 'weight' : 'state'] === pending[kind][name]) delete pending[kind][name];
      }
    }
    pending.signature = signature(pool);
    if (!isPending()) {
      forget();
      return;
    }
    renderPending();
    preview({ keepErrors: true });
  }

  /** The pending weights outside 0-65535 (or not whole numbers), as field problems. */
  function invalidWeights() {
    return Object.entries(pending.weights).filter(([, w]) => !validWeight(w)).map(([n]) => ({
      path: `servers.${n}.weight`,
      message: `${rows.get(n)?.weight.value || 'not a number'} (expected: a whole number 0-${MAX_WEIGHT})`,
    }));
  }

  // keepErrors: a refused apply's message stays while the edit is previewed again
  const preview = debounce(async ({ keepErrors = false } = {}) => {
    if (!isPending()) return;
    if (!keepErrors) clearErrors(el);
    const invalid = invalidWeights();
    if (invalid.length) {
      pending.preview = null;
      showError(el, new ApiError(0, { error: 'Not a valid weight: fix it to preview and apply.', problems: invalid }));
      renderPending();
      return;
    }
    try {
      // a what-if changes nothing: after a re-login it is simply asked again
      pending.preview = await write('POST', path(pool.name, 'preview'), { weights: pending.weights, states: pending.states }, { retryAfterLogin: true });
      pending.previewFailed = false;
    } catch (error) {
      pending.preview = null;
      pending.previewFailed = true;
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
        // an edit the appliance would refuse cannot be applied: the problem is shown beside its field
        h('button', { type: 'button', class: 'primary', onclick: apply, disabled: invalidWeights().length > 0 || pending.previewFailed,
          title: invalidWeights().length > 0 ? 'a weight is not valid' : null }, 'Apply'),
        h('button', { type: 'button', class: 'secondary', onclick: () => cancel() }, 'Cancel')));
  }

  function describePending() {
    const server = (n) => pool.servers.find((s) => s.name === n) ?? {};
    return [
      ...Object.entries(pending.weights).map(([n, w]) => `${n}: weight ${server(n).weight} → ${Number.isNaN(w) ? rows.get(n)?.weight.value || '?' : w}`),
      ...Object.entries(pending.states).map(([n, s]) => `${n}: ${server(n).state} → ${s}`)];
  }

  async function apply() {
    const names = new Set([...Object.keys(pending.weights), ...Object.keys(pending.states)]);
    const described = describePending();
    let version = pending.base ?? knownVersion();
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
        // the operator's edit stays: previewed again against what runs now, applied on top of it with the next Apply
        pending.base = null;
        pending.signature = signature(pool);
        fill(cardError, `Not applied: ${described.join('; ')}. The configuration changed meanwhile (see the notice above); `
          + 'your edit is kept and previewed against what runs now: apply it again or cancel.');
        preview({ keepErrors: true });
      }
    }
    refresh();
  }

  /**
   * Drops the pending edit; the rows show the pool as it runs, except a focused weight field, which keeps what is typed
   * in it. Its row is not rebuilt: a rebuilt row takes the focus, and with it the rest of what the operator types.
   */
  function forget() {
    pending.weights = {};
    pending.states = {};
    pending.base = null;
    pending.preview = null;
    pending.previewFailed = false;
    pending.signature = null;
    clearErrors(el);
    renderPending();
    update(pool);
  }

  /** The Cancel button and an applied edit: forgets it and rebuilds the rows from the pool as it is. */
  function cancel() {
    rows.clear();
    forget();
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
      // the probe ended (a refused address, a lost session): "Probing…" must not stay
      if (result.textContent === 'Probing…') fill(result);
      writeFailed(form, error);
    }
  }

  recent.start().then(() => update(pool));
  update(pool);
  return { el, update, name: () => pool.name };
}
