// The columns a busy pool needs beside traffic, as on HAProxy's stats page: the most connections open at once, connect
// errors and retries, time in the current health state and total downtime (the server's "stats" in the API).

import { h } from './dom.js';

/** From this many servers a pool's table is drawn dense (smaller type, tighter cells) so that it stays readable. */
export const DENSE_FROM = 20;

/** A duration in its two largest units: "42 s", "12 min 5 s", "3 h 12 min", "2 d 3 h". */
export function span(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor(s / 60) % 60 ? ` ${Math.floor(s / 60) % 60} min` : ''}`;
  return `${Math.floor(s / 86400)} d${Math.floor(s / 3600) % 24 ? ` ${Math.floor(s / 3600) % 24} h` : ''}`;
}

/** The four cells of one server row, and update(server) to show a new reading. */
export function serverStatsCells() {
  const cells = {
    peak: h('td', { class: 'num peak' }),
    errors: h('td', { class: 'num errors' }),
    inState: h('td', { class: 'num in-state' }),
    downtime: h('td', { class: 'num downtime' }),
  };
  cells.update = (server) => {
    const stats = server.stats ?? {};
    cells.peak.textContent = stats.peak_connections ?? 0;
    const errors = stats.connect_errors ?? 0;
    const timeouts = stats.connect_timeouts ?? 0;
    cells.errors.textContent = `${errors + timeouts}${timeouts ? ` (${timeouts} t/o)` : ''} / ${stats.retries ?? 0}`;
    cells.errors.classList.toggle('has-errors', errors + timeouts > 0);
    cells.errors.title = `${errors} connect errors, ${timeouts} connect timeouts, ${stats.retries ?? 0} connections retried on another server`;
    cells.inState.textContent = span(stats.in_state_s);
    cells.inState.title = stats.state_since ? `since ${new Date(stats.state_since).toLocaleString()}` : 'not checked yet';
    cells.downtime.textContent = span(stats.downtime_s ?? 0);
  };
  return cells;
}
