// New connections per server over the last minute, from the stream's one-second samples (and the series route for
// the minute before the page opened): the "seen" share of a pool card is over this window, so that a new split can be
// confirmed on the screen instead of being averaged with everything since the appliance started.

import { get } from './api.js';
import { epochSeconds } from './dom.js';
import * as events from './events.js';

export const WINDOW_S = 60;
const perScope = new Map(); // 'server/<pool>/<name>' -> Map(second -> new connections)
let newest = 0;
let started = false;

function add(scope, t, count) {
  if (!scope.startsWith('server/')) return;
  const second = Math.round(epochSeconds(t));
  if (!perScope.has(scope)) perScope.set(scope, new Map());
  perScope.get(scope).set(second, count ?? 0);
  newest = Math.max(newest, second);
}

function prune() {
  for (const seconds of perScope.values()) for (const t of seconds.keys()) if (t <= newest - WINDOW_S) seconds.delete(t);
}

/** Starts following the stream (once); answers when the last minute before now has been read. */
export function start() {
  if (started) return Promise.resolve();
  started = true;
  events.on('stats', (update) => {
    for (const [scope, sample] of Object.entries(update.scopes)) add(scope, sample.t ?? update.t, sample.new);
    prune();
  });
  return get(`/api/v1/stats/series?seconds=${WINDOW_S}`).then((series) => {
    for (const [scope, samples] of Object.entries(series.scopes)) samples.forEach((s) => add(scope, s.t, s.new));
    prune();
  }).catch(() => { started = false; });
}

/** New connections to a server within the window (by the appliance's clock: the newest sample's second). */
export function seen(pool, server) {
  const seconds = perScope.get(`server/${pool}/${server}`);
  if (!seconds) return 0;
  let sum = 0;
  for (const [t, n] of seconds) if (t > newest - WINDOW_S) sum += n;
  return sum;
}
