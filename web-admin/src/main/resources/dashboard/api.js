// The admin REST API client (docs/api.md): JSON reads, writes with If-Match and the bearer token.

const TOKEN_KEY = 'convey.token';
let configVersion = null;
let askToken = async () => null;
const versionListeners = [];

/** An API error: HTTP status, the one-sentence message and the problems [{path, message}]. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.problems = body?.problems ?? [];
  }
}

/** Sets how the page asks the operator for a token (returns a promise of the token or null). */
export function onTokenNeeded(prompt) {
  askToken = prompt;
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

export async function get(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  rememberEtag(response);
  const json = await body(response);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export async function getText(path) {
  const response = await fetch(path);
  rememberEtag(response);
  if (!response.ok) throw new ApiError(response.status, await body(response));
  return response.text();
}

/**
 * Sends a write (POST, PUT, PATCH, DELETE). A JSON body unless options.text is set; If-Match is
 * options.ifMatch (the version an edit started from) or the version last seen. Answers the parsed body;
 * throws ApiError. A 401/403 asks the operator for a token once and retries with it.
 */
export async function write(method, path, payload, options = {}) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    const ifMatch = options.ifMatch ?? configVersion;
    if (ifMatch !== null && ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
    let data;
    if (options.text !== undefined) {
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      data = options.text;
    } else if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(payload);
    }
    const response = await fetch(path, { method, headers, body: data });
    const json = await body(response);
    if ((response.status === 401 || response.status === 403) && attempt === 0) {
      const entered = await askToken(response.status, json?.error);
      if (entered) {
        sessionStorage.setItem(TOKEN_KEY, entered);
        continue;
      }
    }
    if (response.status === 401) clearToken(); // rejected: the next change asks again
    if (!response.ok) throw new ApiError(response.status, json);
    if (json && typeof json.config_version === 'number') setKnownVersion(json.config_version);
    return json;
  }
  throw new ApiError(401, { error: 'a token is needed for changes' });
}

/** Forgets a token that the server rejected. */
export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}
