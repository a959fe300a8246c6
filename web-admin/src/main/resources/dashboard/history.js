// Config history: every version with its source and summary, a diff between any two, rollback.

import { h, fill, dateTime, badge } from './dom.js';
import { get, getText, write, unreachable } from './api.js';
import { confirmAction, writeFailed } from './forms.js';
import { view } from './view.js';

let root;
let tbody;
let diffTitle;
let diffView;
let errorArea;
let entries = [];
let from = null;
let to = null;

function diffLine(line) {
  let kind = 'same';
  if (line.startsWith('+++') || line.startsWith('---')) kind = 'file';
  else if (line.startsWith('@@')) kind = 'hunk';
  else if (line.startsWith('+')) kind = 'added';
  else if (line.startsWith('-')) kind = 'removed';
  return h('span', { class: `diff-line diff-${kind}` }, line === '' ? ' ' : line);
}

async function showDiff() {
  if (from === null || to === null) return;
  const a = entries.find((e) => e.id === from);
  const b = entries.find((e) => e.id === to);
  fill(diffTitle, `Changes from version ${a?.config_version} to version ${b?.config_version}`);
  try {
    const text = await getText(`/api/v1/config/diff?from=${from}&to=${to}`);
    fill(diffView, text.trim() === '' ? h('span', { class: 'muted' }, 'The two versions are identical.') : text.split('\n').map(diffLine));
  } catch (error) {
    fill(diffView, h('span', { class: 'field-error' }, error.message));
  }
}

/** What a rollback to entry would change against the running version: the diff from the newest entry to it. */
async function changesAgainstRunning(entry) {
  const running = entries[0];
  let body;
  try {
    const text = await getText(`/api/v1/config/diff?from=${running.id}&to=${entry.id}`);
    body = text.trim() === '' ? h('p', { class: 'muted' }, 'Nothing changes: the file would be the same as the running one.')
      : h('pre', { class: 'diff rollback-diff' }, text.split('\n').map(diffLine));
  } catch (error) {
    body = h('p', { class: 'field-error' }, `What would change cannot be shown: ${error.message}`);
  }
  return h('div', { class: 'rollback-changes' },
    h('p', {}, `What changes against the running version ${running.config_version} (- running, + after the rollback):`), body);
}

async function rollback(entry) {
  const ok = await confirmAction(`Roll back to version ${entry.config_version}?`,
    [`The config file is restored as it was at ${dateTime(entry.at)} (${entry.summary}), applied, and recorded as a new version.`,
      await changesAgainstRunning(entry)],
    `Roll back to version ${entry.config_version}`);
  if (!ok) return;
  fill(errorArea);
  try {
    await write('POST', `/api/v1/config/rollback/${entry.id}`);
    await historyView.refresh();
  } catch (error) {
    writeFailed(root, error);
  }
}

function row(entry, newest) {
  const pick = (name, value, checked) => h('input', { type: 'radio', name, checked, 'aria-label': `${name} version ${entry.config_version}`,
    onchange: () => { if (name === 'from') from = value; else to = value; showDiff(); } });
  return h('tr', { dataset: { version: entry.config_version } },
    h('td', {}, pick('from', entry.id, entry.id === from)), h('td', {}, pick('to', entry.id, entry.id === to)),
    h('td', { class: 'num' }, entry.config_version), h('td', {}, dateTime(entry.at)),
    h('td', {}, badge(entry.source === 'rollback' ? 'drain' : 'config', entry.source)), h('td', { class: 'by' }, entry.by ?? '–'),
    h('td', {}, entry.summary),
    h('td', {}, entry === newest ? h('span', { class: 'muted' }, 'running') :
      h('button', { type: 'button', class: 'secondary small', needs: 'admin', onclick: () => rollback(entry) }, 'Roll back')));
}

async function load() {
  // a diff that showed the newest version follows a new one (from the version before it); one the operator picked stays
  const following = to === null || to === entries[0]?.id;
  try {
    entries = await get('/api/v1/config/history');
  } catch (error) {
    if (unreachable(error) && entries.length) return; // the last data stays, marked stale by the page-wide notice
    fill(tbody, h('tr', {}, h('td', { colspan: 8, class: 'field-error' }, error.message)));
    return;
  }
  if (following && to !== (entries[0]?.id ?? null)) {
    to = entries[0]?.id ?? null;
    from = entries[1]?.id ?? to;
  }
  if (!entries.some((e) => e.id === to)) to = entries[0]?.id ?? null;
  if (!entries.some((e) => e.id === from)) from = entries[1]?.id ?? to;
  fill(tbody, entries.map((e) => row(e, entries[0])));
  showDiff();
}

const historyView = view({
  id: 'history',
  title: 'History',
  on: ['config'],
  build(el) {
    root = el;
    tbody = h('tbody');
    diffTitle = h('h3');
    diffView = h('pre', { class: 'diff', id: 'diff' });
    errorArea = h('div', { class: 'form-error' });
    fill(root, h('h2', {}, 'Configuration history'), errorArea,
      h('table', { class: 'grid history' },
        h('thead', {}, h('tr', {}, ['From', 'To', 'Version', 'Applied', 'Source', 'By', 'Summary', ''].map((c) => h('th', {}, c)))), tbody),
      diffTitle, diffView);
  },
  refresh: load,
});

export default historyView;
