// Small DOM and formatting helpers shared by the views (no framework: elements are built directly).

import { allows } from './access.js';

const CONTROLS = new Set(['INPUT', 'SELECT', 'TEXTAREA']);

/**
 * A control the signed-in role may not use: inputs stay visible (they show a value) but disabled, anything else
 * (buttons, forms) is marked denied and hidden by the style sheet. The server refuses such writes in any case.
 */
function guard(el, needed) {
  el.dataset.needs = needed;
  if (allows(needed)) return;
  if (CONTROLS.has(el.tagName)) {
    el.disabled = true;
    el.title = `needs the ${needed} role`;
  } else {
    el.dataset.denied = '';
  }
}

/**
 * Creates an element: h('td', {class: 'num', dataset: {server: 'a'}}, 'text', childNode, ...). The attribute
 * needs: 'operator' | 'admin' names the role a control is for (see guard).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'needs') continue; // applied once the element's other attributes are set
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  if (attrs?.needs) guard(el, attrs.needs);
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Gives an element exactly these children in this order, and leaves it alone when it has them already. The live views
 * re-place their cards and rows on every read: an element taken out of the page and put back loses the focus, and the
 * operator typing in it the keys that follow.
 */
export function place(el, children) {
  if (children.length !== el.children.length || children.some((child, i) => el.children[i] !== child)) el.replaceChildren(...children);
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n) {
  let value = Number(n) || 0;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function rate(n) {
  return `${bytes(n)}/s`;
}

export function percent(fraction) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '–';
  const p = fraction * 100;
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60];
  const text = hms.map((v) => String(v).padStart(2, '0')).join(':');
  return d > 0 ? `${d}d ${text}` : text;
}

/** Epoch seconds from an API time (ISO-8601 string, or epoch seconds or milliseconds). */
export function epochSeconds(t) {
  if (typeof t === 'number') return t > 1e12 ? t / 1000 : t;
  return Date.parse(t) / 1000;
}

export function clock(t) {
  return new Date(epochSeconds(t) * 1000).toLocaleTimeString([], { hour12: false });
}

export function dateTime(t) {
  const d = new Date(epochSeconds(t) * 1000);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString([], { hour12: false })}`;
}

/** A state shown by colour and by word: kind is one of up, down, drain, disabled, unknown, ok, failed. */
export function badge(kind, word = kind.toUpperCase()) {
  return h('span', { class: `badge badge-${kind}` }, word);
}

/** Runs fn at most once per wait ms, after the last call. */
export function debounce(fn, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}
