import { fill, fmtDate, fmtTime, h, notice, problemBox } from '/assets/ui.js';

/**
 * 计划备案 (Art. 13–14): annual routine plans submitted to this bureau and awaiting filing. The bureau
 * files a plan that meets the conditions or returns it saying what to adjust; only the same-level
 * bureau may do either (the API refuses the others, and the refusal is shown as it comes).
 */
export async function plansView({ api, me, rerender }) {
  const [submitted, agencies] = await Promise.all([api('/api/v1/plans?state=submitted&limit=500'), api('/api/v1/agencies')]);
  // Only the same-level bureau the plan was submitted to files or returns it.
  const plans = submitted.filter((p) => p.filingBureauCode === me.agency);
  const elsewhere = submitted.length - plans.length;
  const name = new Map(agencies.map((a) => [a.code, a.name]));
  const messages = h('div', { 'data-testid': 'plan-messages' });
  const act = (plan, action, reasonBox) => async () => {
    const body = action === 'return' ? { reason: reasonBox.value.trim() } : undefined;
    if (action === 'return' && !body.reason) return fill(messages, h('div', { class: 'alert error' }, '退回须说明需要调整的内容（第十四条）'));
    try {
      const out = await api(`/api/v1/plans/${plan.id}/${action}`, { method: 'POST', ...(body ? { body } : {}) });
      await rerender();
      document.getElementById('app').prepend(
        notice(`${name.get(out.agencyCode) ?? out.agencyCode}${out.year}年度检查计划已${action === 'file' ? (out.filedLate ? '备案（逾期备案，已标记）' : '备案') : '退回'}`),
      );
    } catch (err) {
      fill(messages, problemBox(err));
    }
  };
  const rows = plans.map((p) => {
    const reason = h('textarea', { rows: 2, placeholder: '退回理由：需要调整的内容', 'data-testid': 'return-reason' });
    return h(
      'tr',
      { 'data-testid': 'plan-row', dataset: { agency: p.agencyCode, id: p.id } },
      h('td', {}, name.get(p.agencyCode) ?? p.agencyCode, h('div', { class: 'muted' }, p.agencyCode)),
      h('td', {}, String(p.year)),
      h('td', {}, fmtTime(p.submittedAt)),
      h('td', {}, fmtDate(`${p.deadline}T00:00:00+08:00`), p.overdue ? h('div', { class: 'badge bad' }, '已过截止日') : null),
      h('td', {}, p.items.map((it) => h('div', {}, `${it.matterCode}：${it.checkItems.join('、')}（每年 ${it.frequency} 次，${it.method === 'onsite' ? '现场' : '非现场'}）`))),
      h(
        'td',
        {},
        h('button', { class: 'primary', type: 'button', 'data-testid': 'file-plan', onclick: act(p, 'file') }, '备案'),
        h('div', { style: 'margin-top:.4rem' }, reason, h('button', { type: 'button', 'data-testid': 'return-plan', onclick: act(p, 'return', reason) }, '退回')),
      ),
    );
  });
  return h(
    'div',
    {},
    h('h1', {}, '待备案的年度日常检查计划'),
    h('p', { class: 'muted' }, '依据第十三条、第十四条：年度日常检查计划于 3 月 31 日前报同级司法行政部门备案；符合条件的予以备案，不符合的退回并说明理由。'),
    messages,
    elsewhere ? h('p', { class: 'muted' }, `另有 ${elsewhere} 份计划已报送其他司法行政部门，由其办理。`) : null,
    h(
      'table',
      { 'data-testid': 'plans-table' },
      h('thead', {}, h('tr', {}, ...['行政执法主体', '年度', '报送时间', '备案截止日', '检查事项', '办理'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '没有待备案的计划'))),
    ),
  );
}
