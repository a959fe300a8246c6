// The appliance's event stream (GET /api/v1/events, Server-Sent Events): stats, health, config, config_rejected.

const handlers = new Map();
let source = null;
const connectionListeners = [];

/** Calls fn(data) for every event of that type (parsed JSON). */
export function on(type, fn) {
  if (!handlers.has(type)) {
    handlers.set(type, []);
    if (source) listen(type);
  }
  handlers.get(type).push(fn);
}

/**
 * Calls fn(up, closed) when the stream connects or drops. EventSource reconnects by itself after a network error;
 * closed is true when it gave up (the server refused the stream, e.g. 401 once the session ended).
 */
export function onConnection(fn) {
  connectionListeners.push(fn);
}

function listen(type) {
  source.addEventListener(type, (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    handlers.get(type).forEach((fn) => fn(data));
  });
}

/** Opens the stream (again: a stream the server refused is replaced). */
export function start() {
  source?.close();
  const opened = new EventSource('/api/v1/events');
  source = opened;
  opened.onopen = () => connectionListeners.forEach((fn) => fn(true, false));
  opened.onerror = () => connectionListeners.forEach((fn) => fn(false, opened.readyState === EventSource.CLOSED));
  for (const type of handlers.keys()) listen(type);
}
