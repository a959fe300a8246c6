// The dashboard's entry point: the session (login page until signed in), navigation between views, the event stream.

import { h, fill } from './dom.js';
import { get } from './api.js';
import * as session from './session.js';
import * as events from './events.js';
import * as notices from './notices.js';
import overview from './overview.js';
import charts from './charts.js';
import pools from './pools.js';
import frontends from './frontends.js';
import traffic from './traffic.js';
import health from './health.js';
import history from './history.js';
import fleet from './fleet.js';
import account from './account.js';

const VIEWS = [overview, charts, pools, frontends, traffic, health, history, fleet, account];
const mounted = new Map();
let current = null;

function show(id) {
  const view = VIEWS.find((v) => v.id === id) ?? VIEWS[0];
  if (current === view) return;
  if (current) {
    current.hide();
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
  view.show();
}

/** Re-reads everything the mounted views show (after a conflict or a reload). */
export function refreshAll() {
  VIEWS.forEach((v) => mounted.has(v.id) && v.refresh());
  notices.refresh();
}

function stream() {
  const indicator = document.getElementById('stream');
  events.onConnection((up, closed) => {
    indicator.className = `stream ${up ? 'live' : 'lost'}`;
    indicator.textContent = up ? 'live' : 'reconnecting';
    // refused (the session ended): once signed in again (the read waits for it), open it again
    if (closed) get('/api/v1/session').catch(() => null).then(() => setTimeout(events.start, 1000));
  });
  events.start();
}

async function init() {
  // the views are built for the signed-in role, so nothing is shown before the session is known
  await session.start();
  fill(document.getElementById('nav'), VIEWS.map((v) => h('a', { href: `#${v.id}`, dataset: { view: v.id } }, v.title)));
  notices.init(refreshAll);
  stream();
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  show(location.hash.slice(1));
}

init();
