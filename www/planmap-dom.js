// DOM helpers shared by the element's modules: one builder that sets text only through
// textContent (text from data is never parsed as HTML), the link filter for data URLs, and
// number formatting in the element's language.

/**
 * Props `h` understands: `text` (textContent), `class`, ARIA and a few attributes set as
 * attributes; anything else is assigned as a property. null, undefined and false are skipped.
 * @typedef {Record<string, unknown>} Props
 */

/**
 * A child of `h`: nodes and strings are appended; nested arrays are flattened; null,
 * undefined and false are skipped.
 * @typedef {Node | string | null | undefined | false | readonly unknown[]} Child
 */

/**
 * createElement with properties, attributes and children; text only through textContent.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.className = String(v);
    else if (k.startsWith('aria-') || k === 'role' || k === 'for' || k === 'tabindex' || k === 'scope') el.setAttribute(k, v === true ? '' : String(v));
    else /** @type {any} */ (el)[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(/** @type {Node | string} */ (c));
  return el;
}

/**
 * An http(s) link from data, or null: javascript:, data: and the like never become links.
 * @param {unknown} url
 * @returns {string | null}
 */
export function safeHref(url) {
  try {
    const u = new URL(String(url), document.baseURI);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Numbers as the element's language writes them, at most two decimals.
 * @param {string | null} lang the element's `lang` attribute
 */
export function numberFormat(lang) {
  return new Intl.NumberFormat((lang || 'zh-CN').startsWith('en') ? 'en' : 'zh-CN', { maximumFractionDigits: 2 });
}

/** Whether the user asked for less motion (the year fade then jumps). */
export const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
