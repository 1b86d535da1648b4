// @ts-check
import { ApiError, fill, h, problemBox } from '../assets/ui.js';

/**
 * A button that runs one request at a time: busy (disabled, aria-busy, 处理中…) while it runs, so a double
 * click sends once; `confirm` asks first for an irreversible step; a refusal that names a field is shown
 * beside that field (`fields` maps the API's field path to its input) and the field is scrolled into view,
 * anything else in `messages`.
 * @param {string} label
 * @param {() => Promise<unknown>} run
 * @param {{ messages: HTMLElement, fields?: Record<string, HTMLElement>, confirm?: string, cls?: string, testid?: string }} opts
 */
export function actionButton(label, run, opts) {
  const button = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: opts.cls ?? 'primary', 'data-testid': opts.testid }));
  button.textContent = label;
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    if (opts.confirm && !window.confirm(opts.confirm)) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = '处理中…';
    clearFieldErrors(opts.fields);
    fill(opts.messages);
    try {
      await run();
    } catch (err) {
      if (!showFieldError(err, opts.fields)) fill(opts.messages, problemBox(err));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = label;
    }
  });
  return button;
}

/**
 * An input with a place under it for its own error.
 * @param {string} label
 * @param {HTMLElement} input
 */
export function field(label, input) {
  const error = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const wrap = h('label', { class: 'field' }, label, input, error);
  /** @type {any} */ (input).errorBox = error;
  return wrap;
}

/** @param {Record<string, HTMLElement> | undefined} fields */
function clearFieldErrors(fields) {
  for (const input of Object.values(fields ?? {})) {
    const box = /** @type {any} */ (input).errorBox;
    if (box) {
      box.hidden = true;
      box.textContent = '';
    }
    input.removeAttribute('aria-invalid');
  }
}

/**
 * @param {unknown} err
 * @param {Record<string, HTMLElement> | undefined} fields
 */
function showFieldError(err, fields) {
  if (!(err instanceof ApiError) || !fields) return false;
  const problem = /** @type {any} */ (err).problem;
  const errors = /** @type {{ field?: string, message?: string }[]} */ (problem.errors ?? []);
  let shown = false;
  for (const e of errors) {
    const input = e.field ? fields[e.field] : undefined;
    const box = input && /** @type {any} */ (input).errorBox;
    if (!input || !box) continue;
    box.textContent = e.message ?? problem.detail ?? '请检查此项';
    box.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    if (!shown) input.scrollIntoView({ block: 'center' });
    shown = true;
  }
  return shown;
}
