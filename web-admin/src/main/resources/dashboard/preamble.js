// What a frontend reads before it picks a pool: the PROXY protocol header of an upstream balancer (accept_proxy)
// and the TLS server name (the SNI map); shown as a summary in the frontends table and edited in a row below it.

import { h, fill } from './dom.js';
import { write } from './api.js';
import { clearErrors, writeFailed, field } from './forms.js';

const MISMATCH = ['default', 'reject'];

/** One line: "PROXY header required · SNI: 2 names · refused: 3 not_tls". */
export function preambleSummary(f) {
  const parts = [];
  if (f.accept_proxy) parts.push(`PROXY header required (${f.accept_proxy_timeout_ms} ms)`);
  const names = Object.keys(f.sni ?? {});
  if (names.length) parts.push(`SNI: ${names.map((n) => `${n} → ${f.sni[n]}`).join(', ')}; others → ${f.backend}${f.sni_mismatch === 'reject' ? ', non-TLS refused' : ''}`);
  const refused = Object.entries(f.refused ?? {}).filter(([, n]) => n > 0);
  if (refused.length) parts.push(`refused: ${refused.map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`).join(', ')}`);
  return parts.length ? parts.join(' · ') : 'plain TCP';
}

/** The SNI map as the text the operator edits: one "name = pool" per line. */
function sniText(sni) {
  return Object.entries(sni ?? {}).map(([name, pool]) => `${name} = ${pool}`).join('\n');
}

/** Parses "name = pool" lines; a line without "=" is reported on the field. */
function parseSni(text) {
  const map = {};
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const at = line.indexOf('=');
    if (at < 1) throw new Error(`"${line}" (expected: name = pool)`);
    map[line.slice(0, at).trim().replace(/^"|"$/g, '')] = line.slice(at + 1).trim().replace(/^"|"$/g, '');
  }
  return map;
}

/** The edit row of one frontend's preamble (hidden until opened); onSaved re-reads the table. */
export function preambleRow(frontend, columns, onSaved) {
  const form = h('form', { class: 'preamble', needs: 'admin', dataset: { preamble: frontend.name } });
  const tr = h('tr', { class: 'preamble-row', hidden: true, dataset: { preambleOf: frontend.name } },
    h('td', { colspan: String(columns) }, form));
  tr.open = (f) => {
    tr.hidden = false;
    fill(form,
      h('h3', {}, `PROXY protocol and SNI routing of ${f.name}`),
      h('div', { class: 'row' },
        field('Require a PROXY header', h('input', { type: 'checkbox', name: 'accept_proxy', checked: f.accept_proxy, dataset: { field: 'accept_proxy' } })),
        field('Header timeout (ms)', h('input', { type: 'number', min: '1', name: 'accept_proxy_timeout_ms', value: String(f.accept_proxy_timeout_ms), dataset: { field: 'accept_proxy_timeout_ms' } }))),
      h('div', { class: 'row' },
        field('SNI map (name = pool, one per line; *.suffix for a whole domain; empty: no SNI routing)',
          h('textarea', { name: 'sni', rows: '4', cols: '48', placeholder: 'a.example = pool_a\n*.example = pool_b', dataset: { field: 'sni' } }, sniText(f.sni))),
        field('Not TLS', h('select', { name: 'sni_mismatch', dataset: { field: 'sni_mismatch' } },
          MISMATCH.map((m) => h('option', { value: m, selected: m === f.sni_mismatch }, m === 'default' ? `to ${f.backend}` : 'refuse')))),
        field('ClientHello timeout (ms)', h('input', { type: 'number', min: '1', name: 'sni_timeout_ms', value: String(f.sni_timeout_ms), dataset: { field: 'sni_timeout_ms' } }))),
      h('div', { class: 'actions' }, h('button', { class: 'primary' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { tr.hidden = true; } }, 'Cancel')),
      h('div', { class: 'form-error' }));
    tr.frontend = f;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const f = tr.frontend;
    const e = form.elements;
    const changes = {};
    if (e.accept_proxy.checked !== f.accept_proxy) changes.accept_proxy = e.accept_proxy.checked;
    for (const key of ['accept_proxy_timeout_ms', 'sni_timeout_ms']) {
      if (Number(e[key].value) !== f[key]) changes[key] = Number(e[key].value);
    }
    if (e.sni_mismatch.value !== f.sni_mismatch) changes.sni_mismatch = e.sni_mismatch.value;
    try {
      const sni = parseSni(e.sni.value);
      if (JSON.stringify(sni) !== JSON.stringify(f.sni ?? {})) changes.sni = sni;
      if (Object.keys(changes).length) await write('PATCH', `/api/v1/frontends/${encodeURIComponent(f.name)}`, changes);
      tr.hidden = true;
      onSaved();
    } catch (error) {
      // A route's problem names its key ("frontends.web.sni.\"a.example\""): shown beside the map, with the name.
      for (const p of error.problems ?? []) {
        const at = p.path?.indexOf('.sni.') ?? -1;
        if (at >= 0) {
          p.message = `${p.path.slice(at + 5).replace(/^"|"$/g, '')}: ${p.message}`;
          p.path = p.path.slice(0, at + 4);
        }
      }
      writeFailed(form, error);
    }
  });
  return tr;
}
