// The dashboard's entry point: navigation between views, the token prompt and the event stream.

import { h, fill } from './dom.js';
import { onTokenNeeded } from './api.js';
import * as events from './events.js';
import * as notices from './notices.js';
import overview from './overview.js';
import charts from './charts.js';
import pools from './pools.js';
import frontends from './frontends.js';
import health from './health.js';
import history from './history.js';

const VIEWS = [overview, charts, pools, frontends, health, history];
const mounted = new Map();
let current = null;

function show(id) {
  const view = VIEWS.find((v) => v.id === id) ?? VIEWS[0];
  if (current === view) return;
  if (current) {
    current.hide?.();
    mounted.get(current.id).hidden = true;
  }
  if (!mounted.has(view.id)) {
    const section = h('section', { class: 'view', id: `view-${view.id}` });
    document.getElementById('views').append(section);
    mounted.set(view.id, section);
    view.mount(section);
  }
  mounted.get(view.id).hidden = false;
  document.querySelectorAll('#nav a').forEach((a) => a.setAttribute('aria-current', a.dataset.view === view.id ? 'page' : 'false'));
  current = view;
  view.show?.();
}

/** Re-reads everything the visible view shows (after a conflict or a reload). */
export function refreshAll() {
  VIEWS.forEach((v) => mounted.has(v.id) && v.refresh?.());
  notices.refresh();
}

function tokenPrompt(status, message) {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  document.getElementById('token-reason').textContent = status === 401
    ? 'The token was not accepted. Enter the content of the appliance\'s [admin] token_file.'
    : (message ?? 'Changes from this address need the appliance\'s admin token.');
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value.trim() || null : null), { once: true });
    dialog.showModal();
  });
}

function init() {
  fill(document.getElementById('nav'), VIEWS.map((v) => h('a', { href: `#${v.id}`, dataset: { view: v.id } }, v.title)));
  onTokenNeeded(tokenPrompt);
  notices.init(refreshAll);
  const stream = document.getElementById('stream');
  events.onConnection((up) => {
    stream.className = `stream ${up ? 'live' : 'lost'}`;
    stream.textContent = up ? 'live' : 'reconnecting';
  });
  events.start();
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  show(location.hash.slice(1));
}

init();
