// The admin REST API client (docs/api.md): JSON reads, writes with If-Match and the session's CSRF token.
// The session itself is an HttpOnly cookie the browser sends; this page never sees it.

let configVersion = null;
let csrfToken = null;
let loginNeeded = () => new Promise(() => {});
let renewSession = async () => false;
const versionListeners = [];
const appliedListeners = [];
const reachListeners = [];
let reachable = true;

/** An API error: HTTP status, the one-sentence message, the problems [{path, message}] and Retry-After (s). */
export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.problems = body?.problems ?? [];
    this.retryAfter = retryAfter;
  }
}

/**
 * Sets what happens when the API answers 401 (the session ended or there is none): fn shows the login page
 * and returns a promise that resolves once the operator is signed in again.
 */
export function onLoginNeeded(fn) {
  loginNeeded = fn;
}

/**
 * Sets how a write refused for its CSRF token renews it: the browser's session changed under this page (its user
 * signed in again in another tab); fn reads the current session and answers true when the write may be sent again.
 */
export function onStaleCsrf(fn) {
  renewSession = fn;
}

/** Keeps the CSRF token of the session (from the login or GET /api/v1/session answer) for the next writes. */
export function useSession(session) {
  csrfToken = session?.csrf_token ?? null;
}

/** The config version the page last saw; writes are sent with it as If-Match. */
export function knownVersion() {
  return configVersion;
}

export function setKnownVersion(version) {
  if (version === null || version === undefined || version === configVersion) return;
  configVersion = version;
  versionListeners.forEach((fn) => fn(version));
}

export function onVersion(fn) {
  versionListeners.push(fn);
}

/** Calls fn({config_version, summary}) after each write the appliance applied as a new configuration version. */
export function onApplied(fn) {
  appliedListeners.push(fn);
}

/**
 * Calls fn(up) when the appliance stops answering (a request failed without an HTTP answer: it is stopped, restarting
 * or the network is down) and when it answers again.
 */
export function onReachable(fn) {
  reachListeners.push(fn);
}

/** A request that got no HTTP answer (fetch's TypeError says only "Failed to fetch"). */
export class Unreachable extends Error {
  constructor() {
    super('the appliance is not answering');
  }
}

/** Whether an error means the appliance did not answer at all (as opposed to an HTTP error it sent). */
export function unreachable(error) {
  return error instanceof Unreachable;
}

function reached(up) {
  if (up === reachable) return;
  reachable = up;
  reachListeners.forEach((fn) => fn(up));
}

/** fetch, noting whether the appliance answered: a TypeError from fetch means no HTTP answer came. */
async function send(path, init) {
  try {
    const response = await fetch(path, init);
    reached(true);
    return response;
  } catch {
    reached(false);
    throw new Unreachable();
  }
}

async function body(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return { error: text };
  }
}

function rememberEtag(response) {
  const etag = response.headers.get('ETag');
  if (etag) setKnownVersion(Number(etag.replaceAll('"', '').replace(/^W\//, '')));
}

function failure(response, json) {
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, json, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** A read; when the session has ended it waits for the operator to sign in again and reads once more. */
async function read(path, accept) {
  for (;;) {
    const response = await send(path, { headers: { Accept: accept } });
    if (response.status === 401) {
      await loginNeeded();
      continue;
    }
    rememberEtag(response);
    return response;
  }
}

export async function get(path) {
  const response = await read(path, 'application/json');
  const json = await body(response);
  if (!response.ok) throw failure(response, json);
  return json;
}

export async function getText(path) {
  const response = await read(path, 'text/plain, application/json');
  if (!response.ok) throw failure(response, await body(response));
  return response.text();
}

/**
 * Sends a write (POST, PUT, PATCH, DELETE) with the session's CSRF token (the browser adds Origin). A JSON body,
 * or TOML text with options.toml; If-Match is options.ifMatch (the version an edit started from) or the version
 * last seen (none with options.unversioned: sessions, users and tokens are not config). Answers the parsed body; throws ApiError. When the session has ended the login page is shown and
 * the write is not sent again (the operator applies it once signed in), unless options.retryAfterLogin says the
 * request changes nothing (a what-if).
 */
export async function write(method, path, payload, options = {}) {
  const headers = { Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const ifMatch = options.ifMatch ?? configVersion;
  if (!options.unversioned && ifMatch !== null && ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  let data;
  if (options.toml !== undefined) {
    headers['Content-Type'] = 'application/toml; charset=utf-8';
    data = options.toml;
  } else if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    data = JSON.stringify(payload);
  }
  const response = await send(path, { method, headers, body: data });
  const json = await body(response);
  if (response.status === 401) {
    const signedIn = loginNeeded();
    if (options.retryAfterLogin) {
      await signedIn;
      return write(method, path, payload, options);
    }
    throw new ApiError(401, { error: 'Not applied: your session has ended. Sign in again, then apply.', problems: [] });
  }
  const staleCsrf = response.status === 403 && (json?.problems ?? []).some((p) => p.path === 'X-CSRF-Token');
  if (staleCsrf && !options.renewed && await renewSession()) return write(method, path, payload, { ...options, renewed: true });
  if (!response.ok) throw failure(response, json);
  if (json && typeof json.config_version === 'number') {
    setKnownVersion(json.config_version);
    appliedListeners.forEach((fn) => fn(json));
  }
  return json;
}

/** POST /api/v1/login: answers the new session ({user, role, csrf_token, ...}); the server sets the cookie. */
export async function login(user, password) {
  const response = await fetch('/api/v1/login', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  const json = await body(response);
  if (!response.ok) throw failure(response, json);
  return json;
}

/** GET /api/v1/session: the current session, or null when there is none (401). */
export async function currentSession() {
  const response = await fetch('/api/v1/session', { headers: { Accept: 'application/json' } });
  const json = await body(response);
  if (response.status === 401) return null;
  if (!response.ok) throw failure(response, json);
  return json;
}
