// @ts-check
import { h } from '../assets/ui.js';

/**
 * Filters by name instead of typed codes: an agency chosen from the registry's list, an enterprise found by a
 * few characters of its name (the registry's search), both submitting the code the API filters on.
 */
/** @type {Promise<any[]> | null} */
let agencies = null;

/**
 * @param {any} api
 * @param {string} name
 * @param {string | null} value
 * @param {string} label
 */
export async function agencyPicker(api, name, value, label) {
  agencies ??= api('/api/v1/agencies').catch(() => []);
  const list = /** @type {any[]} */ (await agencies).filter((a) => !a.isJusticeBureau).sort((a, b) => String(a.name).localeCompare(String(b.name), 'zh-CN'));
  return h(
    'label',
    {},
    label,
    h('select', { name, 'data-testid': `filter-${name}` }, h('option', { value: '' }, '全部'), ...list.map((a) => h('option', { value: a.code, selected: a.code === value }, a.name))),
  );
}

/**
 * @param {any} api
 * @param {string} name
 * @param {string | null} value
 * @param {string} label
 */
export function enterprisePicker(api, name, value, label) {
  const listId = `${name}-options`;
  const options = h('datalist', { id: listId });
  const hidden = /** @type {HTMLInputElement} */ (h('input', { type: 'hidden', name, value: value ?? '' }));
  const search = /** @type {HTMLInputElement} */ (h('input', { list: listId, placeholder: '输入企业名称查找', 'data-testid': `filter-${name}`, autocomplete: 'off' }));
  /** @type {Map<string, string>} */
  const byLabel = new Map();
  let timer = 0;
  search.addEventListener('input', () => {
    const chosen = byLabel.get(search.value);
    hidden.value = chosen ?? '';
    if (chosen || search.value.trim().length < 2) return;
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const found = /** @type {any[]} */ (await api(`/api/v1/enterprises?q=${encodeURIComponent(search.value.trim())}&limit=20`).catch(() => []));
      byLabel.clear();
      options.replaceChildren(...found.map((e) => {
        byLabel.set(e.name, e.creditCode);
        return h('option', { value: e.name });
      }));
    }, 250);
  });
  if (value) {
    api(`/api/v1/enterprises/${encodeURIComponent(value)}`)
      .then((/** @type {any} */ e) => {
        search.value = e.name;
        byLabel.set(e.name, value);
      })
      .catch(() => {});
  }
  return h('label', {}, label, search, options, hidden);
}

/**
 * A filter bar: submitting it moves to `#/<view>?<its non-empty fields>`, so every filtered list is a link a
 * supervisor can keep or send. `attrs` adds to the form's own (an aria-label, a test id).
 * @param {string} view
 * @param {Record<string, string>} attrs
 * @param {...any} fields
 */
export function filterForm(view, attrs, ...fields) {
  const submit = (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(/** @type {HTMLFormElement} */ (e.target))) if (String(v).trim()) next.set(k, String(v).trim());
    location.hash = `#/${view}?${next}`;
  };
  return h('form', { class: 'toolbar card', ...attrs, onsubmit: submit }, ...fields);
}
