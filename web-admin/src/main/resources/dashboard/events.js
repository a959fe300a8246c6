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

/** Calls fn(true|false) when the stream connects or drops (EventSource reconnects by itself). */
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

export function start() {
  source = new EventSource('/api/v1/events');
  source.onopen = () => connectionListeners.forEach((fn) => fn(true));
  source.onerror = () => connectionListeners.forEach((fn) => fn(false));
  for (const type of handlers.keys()) listen(type);
}
