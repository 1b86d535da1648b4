// @ts-check
/**
 * The Chinese names of states, events, roles, kinds, modes, outcomes and methods, from GET /api/v1/labels
 * (public, cached by the browser for a day), so the three apps say what the API's messages say.
 *
 * @typedef {Record<string, string>} Names
 * @typedef {{ states: Record<string, Names>, events: Record<string, Names>, roles: Names, periods: Names,
 *   kinds: Names, modes: Names, outcomes: Names, methods: Names, itemResults: Names, leadKinds: Names,
 *   notifyMethods: Names, escalationGrounds: Names, auditActions?: Names, auditSubjects?: Names }} Labels
 */

/** @type {Promise<Labels> | null} */
let loading = null;

/** @returns {Promise<Labels>} */
export function loadLabels() {
  loading ??= fetch('/api/v1/labels', { headers: { accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(`labels: HTTP ${r.status}`);
    return r.json();
  });
  return loading;
}

/**
 * A name from a table, or the identifier itself when the table does not know it.
 * @param {Names | undefined} table
 * @param {string | null | undefined} key
 */
export const label = (table, key) => (key == null ? '—' : (table?.[key] ?? key));
