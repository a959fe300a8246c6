// Account: change one's own password, one's API tokens (created and shown once, listed with their last use,
// revoked) and, for admins, the users (add with a role and password, change the role, reset the password, remove).

import { h, fill, dateTime } from './dom.js';
import { get, write } from './api.js';
import { allows } from './access.js';
import { user } from './session.js';
import { clearErrors, showError, confirmAction, field } from './forms.js';
import { view } from './view.js';

const ROLES = ['viewer', 'operator', 'admin'];
const UNVERSIONED = { unversioned: true };
let whoami;
let tokenRows;
let tokenOnce;
let everyToken;
let userRows;

const when = (t) => (t ? dateTime(t) : 'never');

function passwordForm() {
  const form = h('form', { class: 'change-password' },
    h('div', { class: 'row' },
      field('Current password', h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true, dataset: { field: 'current_password' } })),
      field('New password', h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: '10', dataset: { field: 'new_password' } })),
      field('New password again', h('input', { name: 'repeat', type: 'password', autocomplete: 'new-password', required: true })),
      h('button', { class: 'primary' }, 'Change password')),
    h('div', { class: 'form-result' }), h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    const result = form.querySelector('.form-result');
    fill(result);
    if (e.new_password.value !== e.repeat.value) {
      showError(form, { message: 'The two new passwords differ.' });
      return;
    }
    try {
      await write('POST', '/api/v1/session/password', { current_password: e.current_password.value, new_password: e.new_password.value }, UNVERSIONED);
      form.reset();
      fill(result, 'Password changed.');
    } catch (error) {
      showError(form, error);
    }
  });
  return form;
}

function tokenRow(token) {
  const cells = [h('td', { class: 'name' }, token.name)];
  if (everyToken.checked) cells.push(h('td', {}, token.user));
  cells.push(h('td', {}, when(token.created_at)), h('td', { class: 'last-used' }, when(token.last_used_at)),
    h('td', {}, h('button', { type: 'button', class: 'danger small', onclick: () => revoke(token) }, 'Revoke')));
  return h('tr', { dataset: { token: token.id, name: token.name } }, cells);
}

async function revoke(token) {
  if (!await confirmAction(`Revoke the token ${token.name}?`, 'Scripts and consoles that use it are refused from now on.', 'Revoke')) return;
  try {
    await write('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`, undefined, UNVERSIONED);
  } catch (error) {
    showError(tokenRows.closest('.card'), error);
  }
  accountView.refresh();
}

function tokensCard() {
  tokenRows = h('tbody');
  tokenOnce = h('div', { class: 'token-once', hidden: true, id: 'token-once' });
  everyToken = h('input', { type: 'checkbox', id: 'every-token', needs: 'admin', onchange: () => accountView.refresh() });
  const form = h('form', { class: 'new-token' },
    h('div', { class: 'row' },
      field('Name (what uses it)', h('input', { name: 'name', required: true, placeholder: 'prometheus', dataset: { field: 'name' } })),
      h('button', { class: 'primary' }, 'Create token')),
    h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const created = await write('POST', '/api/v1/tokens', { name: form.elements.name.value.trim() }, UNVERSIONED);
      form.reset();
      showOnce(created);
      accountView.refresh();
    } catch (error) {
      showError(form, error);
    }
  });
  return h('section', { class: 'card tokens' }, h('h3', {}, 'API tokens'),
    h('p', { class: 'muted' }, 'For scripts, Prometheus and the console: sent as Authorization: Bearer <token>, acting with your role.'),
    allows('admin') ? h('label', { class: 'field inline' }, everyToken, h('span', { class: 'label' }, 'every user\'s tokens')) : null,
    h('table', { class: 'grid', id: 'tokens' }, h('thead', { id: 'token-head' }), tokenRows),
    tokenOnce, form);
}

function showOnce(created) {
  const code = h('code', { id: 'new-token' }, created.token);
  const copied = h('span', { class: 'muted' });
  fill(tokenOnce, h('div', {}, h('strong', {}, `Token ${created.name}: `), 'copy it now, it is shown only once (the appliance keeps only its hash).'),
    h('div', {}, code, ' ', h('button', { type: 'button', class: 'secondary small', onclick: async () => {
      try {
        await navigator.clipboard.writeText(created.token);
        copied.textContent = ' copied';
      } catch {
        // no clipboard permission: select the text for the operator to copy
        getSelection().selectAllChildren(code);
        copied.textContent = ' selected: press Ctrl+C';
      }
    } }, 'Copy'), copied),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', onclick: () => { tokenOnce.hidden = true; fill(tokenOnce); } }, 'Done')));
  tokenOnce.hidden = false;
}

function userRow(account) {
  const role = h('select', { 'aria-label': `role of ${account.name}`, dataset: { field: 'role' } },
    ROLES.map((r) => h('option', { value: r, selected: r === account.role }, r)));
  const saveRole = h('button', { type: 'button', class: 'primary small', hidden: true }, 'Save role');
  const password = h('input', { type: 'password', autocomplete: 'new-password', placeholder: 'new password', 'aria-label': `new password of ${account.name}`, dataset: { field: 'password' } });
  const reset = h('form', { class: 'reset-password', hidden: true }, password, ' ', h('button', { class: 'primary small' }, 'Set password'));
  const error = h('div', { class: 'form-error' });
  const done = h('span', { class: 'muted form-result' });
  const tr = h('tr', { dataset: { user: account.name } },
    h('td', { class: 'name' }, account.name), h('td', {}, role, ' ', saveRole), h('td', {}, when(account.created_at)),
    h('td', {}, h('button', { type: 'button', class: 'secondary small', onclick: () => { reset.hidden = !reset.hidden; password.focus(); } }, 'Reset password'),
      ' ', h('button', { type: 'button', class: 'danger small', onclick: () => removeUser(account.name, tr) }, 'Remove'), reset, done, error));
  const patch = async (body, message) => {
    clearErrors(tr);
    fill(done);
    try {
      await write('PATCH', `/api/v1/users/${encodeURIComponent(account.name)}`, body, UNVERSIONED);
      fill(done, message);
      return true;
    } catch (e) {
      showError(tr, e);
      return false;
    }
  };
  role.addEventListener('change', () => { saveRole.hidden = role.value === account.role; });
  saveRole.addEventListener('click', async () => {
    if (await patch({ role: role.value }, ` role changed to ${role.value}`)) {
      account.role = role.value; // what the server answered; the row stays, with its message
      saveRole.hidden = true;
    }
  });
  reset.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await patch({ password: password.value }, ' password set')) {
      reset.reset();
      reset.hidden = true;
    }
  });
  return tr;
}

async function removeUser(name, tr) {
  if (!await confirmAction(`Remove the user ${name}?`, 'Their sessions end and their API tokens are revoked.', 'Remove user')) return;
  try {
    await write('DELETE', `/api/v1/users/${encodeURIComponent(name)}`, undefined, UNVERSIONED);
    accountView.refresh();
  } catch (error) {
    showError(tr, error);
  }
}

function usersCard() {
  userRows = h('tbody');
  const form = h('form', { class: 'add-user' },
    h('h3', {}, 'Add a user'),
    h('div', { class: 'row' },
      field('Name', h('input', { name: 'name', required: true, autocomplete: 'off', dataset: { field: 'name' } })),
      field('Role', h('select', { name: 'role', dataset: { field: 'role' } }, ROLES.map((r) => h('option', { value: r }, r)))),
      field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, dataset: { field: 'password' } })),
      h('button', { class: 'primary' }, 'Add user')),
    h('div', { class: 'form-error' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const e = form.elements;
    try {
      await write('POST', '/api/v1/users', { name: e.name.value.trim(), role: e.role.value, password: e.password.value }, UNVERSIONED);
      form.reset();
      accountView.refresh();
    } catch (error) {
      showError(form, error);
    }
  });
  return h('section', { class: 'card users', needs: 'admin' }, h('h3', {}, 'Users'),
    h('table', { class: 'grid', id: 'users' },
      h('thead', {}, h('tr', {}, ['User', 'Role', 'Created', ''].map((c) => h('th', {}, c)))), userRows),
    h('div', { class: 'form-error' }), form);
}

async function load() {
  const me = user();
  fill(whoami, 'Signed in as ', h('strong', {}, me.user), ` with the ${me.role} role.`);
  try {
    const tokens = await get(`/api/v1/tokens${everyToken.checked ? '?all=true' : ''}`);
    fill(document.getElementById('token-head'), h('tr', {},
      ['Token', everyToken.checked ? 'User' : null, 'Created', 'Last used', ''].filter((c) => c !== null).map((c) => h('th', {}, c))));
    fill(tokenRows, tokens.length === 0 ? h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No tokens yet.')) : tokens.map(tokenRow));
  } catch (error) {
    fill(tokenRows, h('tr', {}, h('td', { colspan: 5, class: 'field-error' }, error.message)));
  }
  if (!allows('admin')) return;
  try {
    const users = await get('/api/v1/users');
    // rows being edited stay as they are: a re-read does not throw away a half-typed password
    const editing = new Map([...userRows.querySelectorAll('tr[data-user]')]
      .filter((tr) => tr.querySelector('form.reset-password:not([hidden])')).map((tr) => [tr.dataset.user, tr]));
    fill(userRows, users.map((u) => editing.get(u.name) ?? userRow(u)));
  } catch (error) {
    fill(userRows, h('tr', {}, h('td', { colspan: 4, class: 'field-error' }, error.message)));
  }
}

const accountView = view({
  id: 'account',
  title: 'Account',
  build(el) {
    whoami = h('p', { id: 'whoami-text' });
    fill(el, h('div', { class: 'account' }, h('h2', {}, 'Account'), whoami,
      h('section', { class: 'card' }, h('h3', {}, 'Your password'), passwordForm()),
      tokensCard(), usersCard()));
  },
  refresh: load,
});

export default accountView;
