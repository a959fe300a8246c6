// The lifecycle every view shares: built once into its section when first shown, re-read while it is visible
// (on a timer and on events of the stream), the timer stopped while it is hidden. A browser tab in the background
// does not poll: the appliance's idle timeout then ends a session nobody looks at.

import * as events from './events.js';

/**
 * A view for app.js: id and title for the navigation; build(root) creates its elements once; refresh() reads
 * and renders (async); every (ms) re-reads on a timer while visible; on lists stream events (config, health,
 * config_rejected) that make a visible view re-read; shown() runs each time it is shown, before the read.
 * Reads never overlap: one asked for during a read runs once after it (a read waiting for a re-login is not
 * stacked up by the timer).
 */
export function view({ id, title, every = 0, on = [], build = () => {}, refresh = async () => {}, shown = () => {} }) {
  let root = null;
  let timer = null;
  let running = null;
  let again = false;

  function reread() {
    if (!root) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await refresh();
      } while (again);
    })().finally(() => { running = null; });
    return running;
  }

  const visible = () => root !== null && !root.hidden;

  return {
    id,
    title,
    mount(el) {
      root = el;
      build(el);
      on.forEach((type) => events.on(type, () => visible() && reread()));
      document.addEventListener('visibilitychange', () => !document.hidden && timer !== null && reread());
    },
    async show() {
      await shown();
      reread();
      if (every) timer = setInterval(() => !document.hidden && reread(), every);
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
    refresh: reread,
  };
}
