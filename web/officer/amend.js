// @ts-check
import { fill, h } from '../assets/ui.js';
import { checkItem, refusalBox, shanghaiInstant } from './common.js';

/** @param {HTMLElement} el */
const asInput = (el) => /** @type {HTMLInputElement} */ (el);
/** An instant as the Shanghai wall time a datetime-local input shows. @param {string} iso */
const localValue = (iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);

/**
 * 修改方案: a draft (one the head returned, typically) amended in place — the window, the team and the
 * checklist (PATCH /inspections/{id}); the answer re-runs every guard, shown with its article.
 * @param {{ api: import('../shared/shell.js').Api, inspection: any, onDone: () => void }} opts
 */
export function amendForm({ api, inspection, onDone }) {
  const start = asInput(h('input', { type: 'datetime-local', value: localValue(inspection.windowStart), 'aria-label': '开始时间' }));
  const end = asInput(h('input', { type: 'datetime-local', value: localValue(inspection.windowEnd), 'aria-label': '结束时间' }));
  const team = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 3, 'data-testid': 'amend-team', 'aria-label': '检查人员' }));
  team.value = inspection.inspectors.map((/** @type {any} */ p) => `${p.name} ${p.certificateNo}`).join('\n');
  const checklist = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 4, 'data-testid': 'amend-checklist', 'aria-label': '检查项目' }));
  checklist.value = inspection.checklist.join('\n');
  const out = h('div');
  const save = async () => {
    const inspectors = team.value
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, certificateNo]) => ({ name: name ?? '', certificateNo: certificateNo ?? '' }));
    try {
      const res = await api(`/api/v1/inspections/${inspection.id}`, {
        method: 'PATCH',
        body: { windowStart: shanghaiInstant(start.value), windowEnd: shanghaiInstant(end.value), inspectors, checklist: checklist.value.split('\n').map((s) => s.trim()).filter(Boolean) },
      });
      /** @type {any[]} */
      const failed = res.checks.filter((/** @type {any} */ c) => !c.passed);
      if (failed.length) return fill(out, h('div', { class: 'alert error', role: 'alert' }, '已保存，但以下规则未通过：'), h('ul', { class: 'checks' }, failed.map((c) => checkItem(c))));
      onDone();
    } catch (err) {
      fill(out, refusalBox(err));
    }
  };
  return h(
    'details',
    { 'data-testid': 'amend' },
    h('summary', {}, '修改方案'),
    h('label', { class: 'field' }, '开始时间', start),
    h('label', { class: 'field' }, '结束时间', end),
    h('label', { class: 'field' }, '检查人员（每行：姓名 执法证号）', team),
    h('label', { class: 'field' }, '检查项目（每行一项）', checklist),
    h('button', { type: 'button', class: 'primary', 'data-testid': 'amend-save', onclick: save }, '保存修改'),
    out,
  );
}
