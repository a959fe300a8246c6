// Signing in and out: the login page (at first load without a session, and whenever the API answers 401), the
// user and role in the header, logout. The views stay in the page, hidden, while the login page is up: an
// unsaved form survives a re-login and can be applied after it.

import { fill } from './dom.js';
import { setRole } from './access.js';
import * as api from './api.js';

let current = null; // {user, role} of the session the page was built for
let waiting = null; // {promise, resolve} while the login page is up

const byId = (id) => document.getElementById(id);

/** The signed-in user ({user, role}), or null before the first sign-in. */
export function user() {
  return current;
}

/** Resolves with the session: the one the browser has, or the one the operator signs in to on the login page. */
export async function start() {
  api.onLoginNeeded(loginNeeded);
  api.onStaleCsrf(async () => {
    const session = await api.currentSession();
    return session !== null && signedIn(session);
  });
  byId('login-form').addEventListener('submit', submit);
  byId('logout').addEventListener('click', logout);
  // another tab may sign in while this one shows the login page
  window.addEventListener('focus', () => waiting && recheck());
  let session = null;
  try {
    session = await api.currentSession();
  } catch {
    // the login page says what goes wrong when the operator tries
  }
  if (session) {
    signedIn(session);
    return session;
  }
  return loginNeeded();
}

/** Shows the login page (once, however many requests were refused) until the operator is signed in again. */
export function loginNeeded() {
  if (!waiting) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    waiting = { promise, resolve };
    showLogin();
  }
  return waiting.promise;
}

function showLogin() {
  const form = byId('login-form');
  fill(byId('login-error'));
  fill(byId('login-reason'), current
    ? 'Your session has ended. Sign in again to go on: the changes you have not applied yet are kept on this page.'
    : 'Sign in to manage this appliance.');
  form.elements.password.value = '';
  if (current) form.elements.user.value = current.user;
  document.body.dataset.session = 'none';
  byId('login').hidden = false;
  (form.elements.user.value ? form.elements.password : form.elements.user).focus();
}

function signedIn(session) {
  // a different user (or role) gets a fresh page: what the last one left unsaved is theirs, not this user's
  if (current && (session.user !== current.user || session.role !== current.role)) {
    location.reload();
    return false;
  }
  current = { user: session.user, role: session.role };
  api.useSession(session);
  setRole(session.role);
  byId('user-name').textContent = session.user;
  byId('user-role').textContent = session.role;
  byId('login').hidden = true;
  document.body.dataset.session = 'on';
  if (waiting) {
    const { resolve } = waiting;
    waiting = null;
    resolve(session);
  }
  return true;
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  const error = byId('login-error');
  const button = form.querySelector('button');
  fill(error);
  button.disabled = true;
  try {
    signedIn(await api.login(form.elements.user.value.trim(), form.elements.password.value));
  } catch (e) {
    form.elements.password.value = '';
    if (e.status === 429) {
      fill(error, `Too many failed logins, try again in ${e.retryAfter ?? 'a few'} s.`);
    } else if (e.status === 401) {
      fill(error, 'Wrong user or password.');
    } else {
      fill(error, `Cannot sign in: ${e.message}`);
    }
  } finally {
    button.disabled = false;
  }
}

async function recheck() {
  try {
    const session = await api.currentSession();
    if (session && waiting) signedIn(session);
  } catch {
    // still signed out
  }
}

async function logout() {
  try {
    await api.write('POST', '/api/v1/logout', undefined, { unversioned: true });
  } catch {
    // the session is gone either way once the page reloads without it
  }
  // a fresh page: nothing the user saw stays in it
  location.reload();
}
