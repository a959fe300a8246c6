// Live charts (uPlot): bytes per second and connections for a chosen scope, with config, health and availability
// (maintenance, VIP announcements, VRRP state) markers.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h, fill, rate, clock, epochSeconds, badge } from './dom.js';
import { get } from './api.js';
import * as events from './events.js';
import { view } from './view.js';
import { layoutLabels, LABEL_ROWS } from './markerlabels.js';

const WINDOW_S = 900;
const MIN_SPAN_S = 120;
const series = new Map(); // scope -> {t: [], bytesIn: [], bytesOut: [], active: [], fresh: []}
const markers = []; // {t, kind: 'config' | 'up' | 'down' | 'announce', pool, server, label, text}
const AVAILABILITY = ['maintenance', 'announce', 'vrrp']; // event types drawn as 'announce' markers
let root;
let scope = 'appliance';
let traffic = null;
let connections = null;
let scopeSelect;
let markerList;
let trafficSummary;
let connectionsSummary;
let exportLinks;
let loaded = false;

function store(name) {
  if (!series.has(name)) series.set(name, { t: [], bytesIn: [], bytesOut: [], active: [], fresh: [] });
  return series.get(name);
}

function push(name, sample) {
  const s = store(name);
  const t = epochSeconds(sample.t);
  if (s.t.length && t <= s.t[s.t.length - 1]) return;
  s.t.push(t);
  s.bytesIn.push(sample.bytes_in);
  s.bytesOut.push(sample.bytes_out);
  s.active.push(sample.active);
  s.fresh.push(sample.new);
  if (s.t.length > WINDOW_S) Object.values(s).forEach((column) => column.shift());
}

function relevant(marker) {
  if (marker.kind === 'config' || marker.kind === 'announce' || scope === 'appliance' || scope.startsWith('frontend/')) return true;
  return scope === `pool/${marker.pool}` || scope === `server/${marker.pool}/${marker.server}`;
}

const MARKER_COLOURS = { config: '#6d28d9', up: '#15803d', down: '#b91c1c', announce: '#0e7490' };

// A maintenance, announce or vrrp event (stream or /api/v1/events/recent) as an appliance-wide marker.
function availabilityMarker(type, d) {
  const t = epochSeconds(d.at);
  if (type === 'maintenance') {
    return { t, kind: 'announce', label: d.on ? 'maintenance' : 'maintenance off', text: `maintenance ${d.on ? 'on' : 'off'} (by ${d.by})` };
  }
  if (type === 'vrrp') return { t, kind: 'announce', label: `VRRP ${d.state}`, text: `VRRP ${d.instance}: ${d.state} (priority ${d.priority})` };
  return { t, kind: 'announce', label: `${d.vip} ${d.state}`, text: `VIP ${d.vip} ${d.state} (${d.reason})` };
}

const LABEL_LENGTH = 18;

function shortLabel(m) {
  const text = m.kind === 'config' ? `v${m.version}` : m.kind === 'announce' ? m.label : `${m.server} ${m.kind.toUpperCase()}`;
  return text.length <= LABEL_LENGTH ? text : `${text.slice(0, LABEL_LENGTH - 1)}…`;
}

// Draws each marker as a dashed vertical line and its short label where it overlaps no other (markerlabels.js); labels
// that find no room are counted into "+N". The chart's tooltip names every marker under the cursor in full. The layout
// (in CSS pixels) is kept on the chart's element as markerLabels. uPlot's draw hook draws in canvas pixels.
function markerPlugin() {
  let shown = [];
  return {
    hooks: {
      draw: [(u) => {
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const px = devicePixelRatio;
        ctx.save();
        ctx.font = `${11 * px}px system-ui, sans-serif`;
        shown = markers.filter(relevant).map((m) => ({ m, x: Math.round(u.valToPos(m.t, 'x', true)) }))
          .filter(({ x }) => x >= left && x <= left + width).sort((a, b) => a.x - b.x);
        for (const { m, x } of shown) {
          ctx.strokeStyle = MARKER_COLOURS[m.kind];
          ctx.lineWidth = px;
          ctx.setLineDash([4 * px, 3 * px]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        const measure = (text) => ctx.measureText(text).width;
        const placed = layoutLabels(shown.map(({ m, x }) => ({ x, width: measure(shortLabel(m)), text: shortLabel(m), kind: m.kind })),
          measure, left + width);
        const kinds = new Map(shown.map(({ m }) => [shortLabel(m), m.kind]));
        for (const label of placed) {
          ctx.fillStyle = label.hidden ? '#374151' : MARKER_COLOURS[kinds.get(label.text)] ?? '#374151';
          ctx.fillText(label.text, label.x, top + (12 + 13 * label.row) * px);
        }
        ctx.restore();
        u.root.parentElement.markerLabels = placed.map((l) => ({ text: l.text, hidden: l.hidden, left: l.x / px,
          right: (l.x + l.width) / px, top: (top / px) + 2 + 13 * l.row, bottom: (top / px) + 14 + 13 * l.row }));
        u.root.parentElement.dataset.labelRows = String(LABEL_ROWS + 1);
      }],
      // the tooltip: every marker within a few pixels of the cursor, in full
      setCursor: [(u) => {
        const x = u.cursor.left * devicePixelRatio + u.bbox.left;
        const near = u.cursor.left < 0 ? [] : shown.filter((s) => Math.abs(s.x - x) <= 6 * devicePixelRatio);
        u.over.title = near.map(({ m }) => `${clock(m.t * 1000)} ${m.text}`).join('\n');
      }],
    },
  };
}

function chart(el, title, labels, format) {
  const colours = [['#2563eb', 'rgba(37,99,235,0.12)'], ['#ea580c', 'rgba(234,88,12,0.10)']];
  return new uPlot({
    title,
    width: Math.max(el.clientWidth, 320),
    height: 220,
    plugins: [markerPlugin()],
    // at least two minutes wide (a fresh appliance's few points stay readable), at most the 15-minute window
    scales: { x: { time: true, range: (u, min, max) => [max - Math.min(WINDOW_S, Math.max(MIN_SPAN_S, max - min)), max] }, y: { range: (u, min, max) => [0, Math.max(max, 1) * 1.1] } },
    axes: [{}, { size: 96, values: (u, ticks) => ticks.map(format) }],
    series: [{}, ...labels.map((label, i) => ({
      label, stroke: colours[i][0], fill: colours[i][1], width: 2, value: (u, v) => (v === null ? '–' : format(v)),
    }))],
  }, [[], [], []], el);
}

function redraw() {
  if (!traffic) return;
  const s = store(scope);
  traffic.setData([s.t, s.bytesIn, s.bytesOut]);
  connections.setData([s.t, s.active, s.fresh]);
  const last = s.t.length - 1;
  const peak = (column) => column.reduce((max, v) => Math.max(max, v ?? 0), 0);
  fill(trafficSummary, last < 0 ? 'no samples yet' : `now tx ${rate(s.bytesIn[last])} (client → server), rx ${rate(s.bytesOut[last])} (server → client); `
    + `peak tx ${rate(peak(s.bytesIn))} / rx ${rate(peak(s.bytesOut))}`);
  fill(connectionsSummary, last < 0 ? 'no samples yet' : `now ${s.active[last]} active; `
    + `${s.fresh.reduce((sum, v) => sum + (v ?? 0), 0)} new connections in the window`);
  renderMarkers();
}

function scopeLabel(name) {
  const [kind, a, b] = name.split('/');
  if (kind === 'server') return `server ${b} (pool ${a})`;
  return kind === 'appliance' ? 'whole appliance' : `${kind} ${a}`;
}

function renderScopes() {
  const names = [...series.keys()];
  const groups = ['appliance', 'frontend', 'pool', 'server'];
  fill(scopeSelect, groups.map((g) => {
    const options = names.filter((n) => n.split('/')[0] === g)
      .map((n) => h('option', { value: n, selected: n === scope }, scopeLabel(n)));
    return options.length ? h('optgroup', { label: g === 'appliance' ? 'appliance' : `${g}s` }, options) : null;
  }));
}

function renderExports() {
  const q = `scope=${encodeURIComponent(scope)}&seconds=${WINDOW_S}`;
  fill(exportLinks, 'Export: ',
    ['traffic', 'connections'].flatMap((c) => ['png', 'svg'].map((f) =>
      h('a', { href: `/api/v1/charts/${c}.${f}?${q}`, download: `convey-${c}-${scope.replaceAll('/', '-')}.${f}`, class: 'export' },
        `${c} ${f.toUpperCase()}`))));
}

function renderMarkers() {
  const shown = markers.filter(relevant).slice(-12).reverse();
  fill(markerList, shown.length === 0 ? h('li', { class: 'muted' }, 'No config, health or availability changes in this window.')
    : shown.map((m) => h('li', {}, h('span', { class: 'time' }, clock(m.t * 1000)), ' ',
      m.kind === 'config' ? badge('config', 'CONFIG') : badge(m.kind), ' ', m.text)));
}

function addMarker(marker) {
  markers.push(marker);
  markers.sort((a, b) => a.t - b.t);
  const oldest = Date.now() / 1000 - WINDOW_S;
  while (markers.length && markers[0].t < oldest) markers.shift();
}

async function load() {
  const [initial, history, pools, recent] = await Promise.all([
    get(`/api/v1/stats/series?seconds=${WINDOW_S}`), get('/api/v1/config/history'), get('/api/v1/backends'),
    get(`/api/v1/events/recent?seconds=${WINDOW_S}`)]);
  (recent.events ?? []).filter((e) => AVAILABILITY.includes(e.type)).forEach((e) => addMarker(availabilityMarker(e.type, e.data)));
  for (const [name, samples] of Object.entries(initial.scopes)) samples.forEach((s) => push(name, s));
  history.forEach((c) => addMarker({ t: epochSeconds(c.at), kind: 'config', version: c.config_version, text: `version ${c.config_version} (${c.source}): ${c.summary}` }));
  pools.forEach((p) => p.servers.forEach((s) => (s.health?.history ?? []).forEach((e) => addMarker({
    t: epochSeconds(e.at), kind: e.up ? 'up' : 'down', pool: p.name, server: s.name, text: `${s.name} (pool ${p.name}): ${e.reason}`,
  }))));
  loaded = true;
}

function build() {
  scopeSelect = h('select', { id: 'chart-scope', onchange: () => { scope = scopeSelect.value; renderExports(); redraw(); } });
  exportLinks = h('div', { class: 'exports', id: 'chart-exports' });
  markerList = h('ul', { class: 'markers', id: 'chart-markers' });
  const trafficEl = h('div', { class: 'chart', id: 'chart-traffic' });
  const connectionsEl = h('div', { class: 'chart', id: 'chart-connections' });
  trafficSummary = h('div', { class: 'chart-summary', id: 'traffic-summary' });
  connectionsSummary = h('div', { class: 'chart-summary', id: 'connections-summary' });
  fill(root,
    h('div', { class: 'toolbar' }, h('label', { class: 'field inline' }, h('span', { class: 'label' }, 'Scope'), scopeSelect),
      h('span', { class: 'muted' }, 'last 15 minutes, one point a second'), exportLinks),
    trafficEl, trafficSummary, connectionsEl, connectionsSummary,
    h('h3', {}, 'Changes (markers on the charts)'), markerList);
  traffic = chart(trafficEl, 'Bytes per second', ['tx (client → server)', 'rx (server → client)'], (v) => rate(v));
  connections = chart(connectionsEl, 'Connections', ['active', 'new per second'], (v) => String(Math.round(v * 10) / 10));
  new ResizeObserver(() => {
    const width = Math.max(trafficEl.clientWidth, 320);
    traffic.setSize({ width, height: 220 });
    connections.setSize({ width, height: 220 });
  }).observe(trafficEl);
}

export default view({
  id: 'charts',
  title: 'Traffic',
  build(el) {
    root = el;
    events.on('stats', (update) => {
      if (!loaded) return;
      for (const [name, sample] of Object.entries(update.scopes)) push(name, { ...sample, t: sample.t ?? update.t });
      if (!root.hidden) {
        if (scopeSelect.options.length !== series.size) renderScopes();
        redraw();
      }
    });
    events.on('config', (c) => addMarker({ t: epochSeconds(c.at), kind: 'config', version: c.config_version, text: `version ${c.config_version} (${c.source}): ${c.summary}` }));
    AVAILABILITY.forEach((type) => events.on(type, (d) => addMarker(availabilityMarker(type, d))));
    events.on('health', (e) => addMarker({ t: epochSeconds(e.at), kind: e.up ? 'up' : 'down', pool: e.pool, server: e.server, text: `${e.server} (pool ${e.pool}): ${e.reason}` }));
  },
  async shown() {
    if (!traffic) {
      build();
      try {
        await load();
      } catch (error) {
        root.prepend(h('div', { class: 'notice notice-error' }, `Cannot read the recent samples: ${error.message}`));
      }
      renderScopes();
      renderExports();
    }
  },
  refresh: async () => redraw(),
});
