import { fmtTime, h } from '/assets/ui.js';

/** The answer card shown after the one-tap check; the /v/ page already lists the code's facts above it. */
export function resultCard(r, { facts = true } = {}) {
  const c = r.check;
  return h(
    'section',
    { class: `result ${r.authorised ? 'yes' : 'no'}`, 'data-testid': 'verify-answer', dataset: { authorised: String(r.authorised), status: c.status } },
    h('div', { class: 'headline' }, r.authorised ? '✓ ' : '✗ ', r.headline),
    h('p', { 'data-testid': 'verify-reason' }, r.reason),
    r.article ? h('p', { class: 'muted' }, `依据：${r.article}${r.rule ? `（${r.rule}）` : ''}`) : null,
    facts && c.agencies
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', {}, '检查单位'), h('dd', {}, c.agencies.map((a) => a.name).join('、')),
          h('dt', {}, '检查事项'), h('dd', {}, c.matters.map((m) => m.name).join('、')),
          h('dt', {}, '登记时间'), h('dd', {}, `${fmtTime(c.validFrom)} 至 ${fmtTime(c.validTo)}`),
          h('dt', {}, '检查人员'), h('dd', {}, `${c.inspectorCount} 人：${c.inspectors.map((p) => p.name).join('、')}`),
        )
      : null,
    r.advice ? h('p', { class: 'advice' }, r.advice, ' ', h('a', { href: `/portal/#/report?code=${encodeURIComponent(c.code)}` }, '报告这次检查')) : null,
  );
}
