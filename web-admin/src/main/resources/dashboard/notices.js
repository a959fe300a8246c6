// Page-wide notices: a broken config file (last reload failed), write conflicts (412), the version a change was
// applied as, servers that went DOWN, and an appliance that stopped answering (the views then keep what it said last).

import { h, fill, clock } from './dom.js';
import { get, knownVersion, setKnownVersion, onApplied, onReachable } from './api.js';
import * as events from './events.js';
import { appliedNotice, downNotices, staleNotice } from './alerts.js';

let area;
let reloadAll = () => {};
let status = null;

export function init(refreshAll) {
  area = document.getElementById('notices');
  reloadAll = refreshAll;
  // The views re-read on every applied change, so what they show is that version.
  events.on('config', (change) => {
    setKnownVersion(change.config_version);
    refresh();
  });
  events.on('config_rejected', () => refresh());
  onApplied((result) => appliedNotice(area, result));
  onReachable((up) => staleNotice(area, up));
  downNotices(area);
  refresh();
}

/** The last /status answer (or null before the first). */
export function lastStatus() {
  return status;
}

export async function refresh() {
  try {
    status = await get('/api/v1/status');
  } catch {
    return;
  }
  if (knownVersion() === null) setKnownVersion(status.config_version);
  document.getElementById('appliance-mode').textContent = status.mode;
  render();
}

function render() {
  const banners = [...area.querySelectorAll('.notice-conflict, .notice-kept')];
  const reload = status?.last_reload;
  fill(area, banners);
  if (reload && !reload.ok) area.prepend(reloadProblems(reload, status.config_file));
}

/** The problems of a rejected config file, plainly: file:line, key path, message. */
export function reloadProblems(reload, file) {
  return h('div', { class: 'notice notice-error', role: 'alert', id: 'reload-problems' },
    h('strong', {}, `The config file was rejected at ${clock(reload.at)} (${reload.source}); the appliance keeps running version ${status?.config_version ?? '?'}.`),
    h('ul', { class: 'problems' }, (reload.problems ?? []).map((p) => h('li', {},
      h('code', {}, `${p.file ?? file ?? ''}${p.line ? `:${p.line}` : ''}`), ' ',
      p.path ? h('code', { class: 'path' }, p.path) : null, ' ', p.message))));
}

/** Shows a write conflict: what changed since the version the page had, and a reload button. */
export async function conflict(error, since = knownVersion()) {
  let changes = [];
  try {
    const history = await get('/api/v1/config/history');
    changes = history.filter((entry) => since === null || entry.config_version > since);
  } catch {
    // the banner still offers a reload
  }
  const banner = h('div', { class: 'notice notice-warning notice-conflict', role: 'alert' },
    h('strong', {}, `Not applied: the configuration changed since this page loaded it (version ${since ?? '?'}). `),
    error?.message ? h('span', {}, error.message) : null,
    changes.length ? h('ul', {}, changes.map((c) => h('li', {}, `version ${c.config_version} (${c.source}, ${clock(c.at)}): ${c.summary}`))) : null,
    h('div', { class: 'actions' },
      h('button', { class: 'primary', type: 'button', onclick: async () => {
        banner.remove();
        setKnownVersion((await get('/api/v1/status')).config_version);
        reloadAll();
      } }, 'Reload the current configuration'),
      h('button', { class: 'secondary', type: 'button', onclick: () => banner.remove() }, 'Dismiss')));
  area.append(banner);
}
