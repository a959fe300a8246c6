// Notices that stay until they no longer apply: the version a change was applied as, each server that went DOWN (until
// it is UP again or dismissed), and an appliance that stopped answering (the views keep its last data, marked stale).

import { h, fill, clock } from './dom.js';
import * as events from './events.js';

function dismiss(el) {
  return h('button', { type: 'button', class: 'secondary small', onclick: () => el.remove() }, 'Dismiss');
}

/** "Applied as version 7: a weight 1 → 3", replacing the previous one. */
export function appliedNotice(area, result) {
  area.querySelector('#applied')?.remove();
  const el = h('div', { class: 'notice notice-ok notice-kept', id: 'applied', role: 'status' });
  fill(el, h('strong', {}, `Applied as version ${result.config_version}`), result.summary ? `: ${result.summary}` : '', ' ', dismiss(el));
  area.prepend(el);
}

/** A notice per server that goes DOWN, with its reason; removed when the server is UP again. */
export function downNotices(area) {
  events.on('health', (e) => {
    const key = `${e.pool}/${e.server}`;
    const existing = [...area.querySelectorAll('.notice-down')].find((n) => n.dataset.server === key);
    if (e.up) {
      existing?.remove();
      return;
    }
    existing?.remove();
    const el = h('div', { class: 'notice notice-error notice-down notice-kept', role: 'alert', dataset: { server: key } });
    fill(el, h('strong', {}, `Server ${e.server} (pool ${e.pool}${e.addr ? `, ${e.addr}` : ''}) is DOWN`),
      ` since ${clock(e.at)}: ${e.reason ?? 'no reason given'} `, h('a', { href: '#pools' }, 'Pools'), ' ', dismiss(el));
    area.append(el);
  });
}

/**
 * While the appliance does not answer, says since when and marks the page stale (the views keep what it said last);
 * removed when it answers again.
 */
export function staleNotice(area, up) {
  document.body.toggleAttribute('data-stale', !up);
  area.querySelector('#stale')?.remove();
  if (up) return;
  area.prepend(h('div', { class: 'notice notice-warning notice-kept', id: 'stale', role: 'alert' },
    h('strong', {}, `The appliance is not answering since ${clock(Date.now())}.`),
    ' The figures below are the last it sent (stale); they are read again as soon as it answers.'));
}
