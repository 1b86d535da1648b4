// @ts-check
import { ApiError, fieldsOnly, h, newIdempotencyKey, showFieldErrors, showIn } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { refusalBox } from './common.js';

/** @param {HTMLElement} el */
const asInput = (el) => /** @type {HTMLInputElement} */ (el);

/**
 * The findings of an on-site visit: the Art. 19 methods used, the scheme's checklist item by item
 * (Art. 18(4)), the Art. 20 outcome with the written notice number and due date, sampling and who bears
 * its cost (Art. 22), and violations outside the agency's jurisdiction, which open referrals (Art. 23).
 * @param {{ api: import('../shared/shell.js').Api, labels: import('../shared/labels.js').Labels, inspection: any, today: string, onDone: () => void, out: HTMLElement }} opts
 */
export async function findingsForm({ api, labels, inspection, onDone, out }) {
  /** @type {any[]} */
  const agencies = await api('/api/v1/agencies?limit=500').catch(() => []);
  const methods = Object.keys(labels.methods).map((m) => asInput(h('input', { type: 'checkbox', value: m, 'data-method': m })));
  /** @type {string[]} */
  const checklist = inspection.checklist.length ? inspection.checklist : inspection.matterCodes;
  const items = checklist.map((item, k) => {
    const radios = Object.keys(labels.itemResults).map((r) => asInput(h('input', { type: 'radio', name: `item-${k}`, value: r, 'data-item': String(k), 'data-result': r, checked: r === 'compliant' })));
    const note = asInput(h('input', { 'aria-label': `${item} 的说明`, placeholder: '说明（可选）' }));
    return {
      item,
      radios,
      note,
      el: h('div', { class: 'item-row' }, h('div', {}, item), h('div', { class: 'opts' }, radios.map((r) => h('label', {}, r, label(labels.itemResults, r.value)))), note),
    };
  });
  const outcome = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'outcome', 'data-field': 'outcome.kind' }, Object.keys(labels.outcomes).map((k) => h('option', { value: k }, label(labels.outcomes, k)))));
  // Art. 20: one visit may call for several outcomes (e.g. 责令改正 and a penalty referral); the follow-up duty stays with the order.
  const alsoKinds = Object.keys(labels.outcomes)
    .filter((k) => k !== 'no_violation')
    .map((k) => asInput(h('input', { type: 'checkbox', value: k, 'data-also-outcome': k })));
  const noPenaltyGround = asInput(h('input', { 'data-testid': 'no-penalty-ground', 'data-field': 'outcome.noPenaltyGround', placeholder: '如：首违不罚（无则不填）' }));
  const otherBasis = asInput(h('input', { 'data-testid': 'other-basis', 'data-field': 'outcome.otherBasis', placeholder: '所依据的法律、法规、规章条款' }));
  const noticeNo = asInput(h('input', { 'data-testid': 'notice-no', 'data-field': 'outcome.noticeNo', placeholder: '如：武昌市监责改〔2026〕12号' }));
  const dueDate = asInput(h('input', { type: 'date', 'data-testid': 'due-date', 'data-field': 'outcome.dueDate' }));
  const proportionality = asInput(h('input', { placeholder: '过罚相当说明（可选）' }));
  const samples = asInput(h('input', { type: 'number', min: '0', value: '0', 'data-testid': 'samples' }));
  const costBy = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'cost-by' }, h('option', { value: 'agency' }, '实施检查的单位（第二十二条）'), h('option', { value: 'enterprise' }, '企业')));
  // Art. 40(7): the product and batch tested, compared with earlier tests for a repeat.
  const product = asInput(h('input', { 'data-testid': 'sampling-product', 'data-field': 'sampling.product', maxlength: '200', placeholder: '如：电梯曳引钢丝绳' }));
  const batch = asInput(h('input', { 'data-testid': 'sampling-batch', 'data-field': 'sampling.batch', maxlength: '100', placeholder: '批号或生产日期（无则不填）' }));
  const ojDesc = asInput(h('input', { 'data-testid': 'oj-description', placeholder: '违法行为描述' }));
  const ojAgency = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'oj-agency' }, h('option', { value: '' }, '（无）'), agencies.filter((a) => a.code !== inspection.agencyCode).map((a) => h('option', { value: a.code }, a.name))));

  const submit = async () => {
    /** @type {Record<string, any>} */
    const body = {
      methods: methods.filter((m) => m.checked).map((m) => m.value),
      items: items.map((it) => ({ item: it.item, result: it.radios.find((r) => r.checked)?.value ?? 'compliant', ...(it.note.value.trim() ? { note: it.note.value.trim() } : {}) })),
      outcome: {
        kinds: [...new Set([outcome.value, ...alsoKinds.filter((k) => k.checked && outcome.value !== 'no_violation').map((k) => k.value)])],
        ...(noPenaltyGround.value.trim() ? { noPenaltyGround: noPenaltyGround.value.trim() } : {}),
        ...(otherBasis.value.trim() ? { otherBasis: otherBasis.value.trim() } : {}),
        ...(noticeNo.value.trim() ? { noticeNo: noticeNo.value.trim() } : {}),
        ...(dueDate.value ? { dueDate: dueDate.value } : {}),
        ...(proportionality.value.trim() ? { proportionalityNote: proportionality.value.trim() } : {}),
      },
    };
    if (body.outcome.kinds.includes('penalty_referral') && !('noPenaltyGround' in body.outcome)) body.outcome.noPenaltyGround = null;
    if (Number(samples.value) > 0) body.sampling = { samples: Number(samples.value), costBorneBy: costBy.value, ...(product.value.trim() ? { product: product.value.trim() } : {}), ...(batch.value.trim() ? { batch: batch.value.trim() } : {}) };
    if (ojDesc.value.trim() && ojAgency.value) body.outOfJurisdiction = [{ description: ojDesc.value.trim(), competentAgencyCode: ojAgency.value }];
    if (body.methods.length === 0) return showFieldErrors(form, new ApiError({ errors: [{ field: 'body.methods', message: '请至少选择一种检查方式（第十九条）。' }] }, 400));
    try {
      const res = await api(`/api/v1/inspections/${inspection.id}/findings`, { method: 'POST', body, idempotencyKey: key });
      // Shown with the step on the next render (issue 24: flags raised by a step are shown with it).
      if (res.flags?.length) sessionStorage.setItem('wh327.officer.lastFlags', JSON.stringify({ id: inspection.id, rules: res.flags }));
      onDone();
    } catch (err) {
      // Field errors beside their fields, scrolled into view; anything else above the step, also scrolled to.
      const left = showFieldErrors(form, err);
      if (left.length || !fieldsOnly(err)) showIn(out, refusalBox(err));
    }
  };
  const key = newIdempotencyKey();

  const form = h(
    'div',
    { 'data-testid': 'findings-form' },
    h('fieldset', { class: 'choices', 'data-field': 'methods' }, h('legend', {}, '检查方式（第十九条）'), methods.map((m) => h('label', {}, m, label(labels.methods, m.value)))),
    h('fieldset', {}, h('legend', {}, '检查项目逐项记录'), items.map((it) => it.el)),
    h(
      'fieldset',
      {},
      h('legend', {}, '处理结果（第二十条）'),
      h('label', { class: 'field' }, '处理', outcome),
      h('fieldset', { class: 'choices' }, h('legend', {}, '同时作出的其他处理'), alsoKinds.map((k) => h('label', {}, k, label(labels.outcomes, k.value)))),
      h('label', { class: 'field' }, '书面通知或决定文号（责令停止、改正时必填）', noticeNo),
      h('label', { class: 'field' }, '停止或改正期限', dueDate),
      h('label', { class: 'field' }, '过罚相当', proportionality),
      h('label', { class: 'field' }, '依法不予处罚或者免于处罚的理由（第二十条第三款）', noPenaltyGround),
      h('label', { class: 'field' }, '其他情形所依据的规定（第二十条第一款第（五）项）', otherBasis),
    ),
    h('fieldset', {}, h('legend', {}, '抽样检测（第二十二条）'), h('label', { class: 'field' }, '样品数量', samples), h('label', { class: 'field' }, '费用承担', costBy), h('label', { class: 'field' }, '检测的产品（第四十条第（七）项）', product), h('label', { class: 'field' }, '产品批次', batch)),
    h('fieldset', {}, h('legend', {}, '不属于本单位管辖的违法行为（第二十三条，移送）'), h('label', { class: 'field' }, '违法行为', ojDesc), h('label', { class: 'field' }, '有管辖权的单位', ojAgency)),
    h('button', { type: 'button', class: 'primary big', 'data-testid': 'submit-findings', onclick: submit }, '保存检查情况'),
  );
  return form;
}
