// Showing API errors next to the fields they concern, and confirmations in a native <dialog>.

import { h, fill } from './dom.js';
import { ApiError } from './api.js';
import { conflict } from './notices.js';

/** Clears the errors shown in a form (or any container). */
export function clearErrors(container) {
  container.querySelectorAll('.field-error').forEach((e) => e.remove());
  container.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  container.querySelectorAll('.form-error').forEach((e) => fill(e));
}

function fieldFor(container, path) {
  const fields = [...container.querySelectorAll('[data-field]')];
  // The API names fields by key path ("backends.web.servers.a.weight"); a form field names its last keys
  // (several names, space separated, where the API has more than one path for it). A table of quoted keys is one
  // field ("frontends.web.sni.\"a.example\"" belongs to the SNI map's "sni").
  const table = path.replace(/\."[^"]*"$/, '');
  return fields.find((f) => f.dataset.field.split(' ').some((name) => [path, table]
    .some((p) => p === name || p.endsWith(`.${name}`))));
}

/** Shows an error: each problem beside its field, the rest in the container's .form-error. */
export function showError(container, error) {
  clearErrors(container);
  // the container's own message area first (a pool card also holds forms with their own)
  const general = container.querySelector(':scope > .form-error') ?? container.querySelector('.form-error');
  const problems = error instanceof ApiError ? error.problems : [];
  const unplaced = [];
  for (const problem of problems) {
    const field = problem.path ? fieldFor(container, problem.path) : null;
    if (field) {
      field.classList.add('invalid');
      field.insertAdjacentElement('afterend', h('span', { class: 'field-error', role: 'alert' }, problem.message));
    } else {
      unplaced.push(problem);
    }
  }
  if (!general) return;
  const placed = problems.length - unplaced.length;
  if (placed === 0 || unplaced.length > 0 || problems.length === 0) {
    fill(general, h('strong', {}, error.message ?? String(error)),
      unplaced.length ? h('ul', {}, unplaced.map((p) => h('li', {}, p.path ? `${p.path}: ${p.message}` : p.message))) : null);
  }
}

/** Asks a yes/no question in a modal dialog; resolves true when the operator confirms. */
export function confirmAction(title, text, confirmLabel, danger = true) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm' },
      h('h3', {}, title),
      h('p', {}, text),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => dialog.close('ok') }, confirmLabel)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A labelled input; field names the API key it edits (for error placement). */
export function field(label, input) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input);
}

/** Shows a failed write: a conflict (412) page-wide with what changed, anything else beside its fields. */
export function writeFailed(container, error, since) {
  if (error instanceof ApiError && error.status === 412) {
    conflict(error, since);
    showError(container, new ApiError(412, { error: 'Not applied: the configuration changed meanwhile (see the notice above).' }));
  } else {
    showError(container, error);
  }
}
