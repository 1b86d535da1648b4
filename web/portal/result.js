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
    r.caseVisit
      ? h(
          'dl',
          { class: 'facts', 'data-testid': 'case-visit' },
          h('dt', {}, '检查类型'), h('dd', {}, r.caseVisit.kindZh),
          h('dt', {}, '线索来源'), h('dd', { 'data-field': 'lead-kind' }, r.caseVisit.leadKindZh ?? '未载明'),
          h('dt', {}, '检查单位'), h('dd', {}, r.caseVisit.agencyName ?? r.caseVisit.agencyCode),
          h('dt', {}, '登记时间'), h('dd', {}, `${fmtTime(r.caseVisit.windowStart)} 至 ${fmtTime(r.caseVisit.windowEnd)}`),
        )
      : null,
    facts && c.agencies && !r.caseVisit
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', {}, '检查单位'), h('dd', {}, c.agencies.map((a) => a.name).join('、')),
          h('dt', {}, '检查事项'), h('dd', {}, c.matters.map((m) => m.name).join('、')),
          h('dt', {}, '登记时间'), h('dd', {}, `${fmtTime(c.validFrom)} 至 ${fmtTime(c.validTo)}`),
          h('dt', {}, '检查人员'), h('dd', {}, `${c.inspectorCount} 人：${c.inspectors.map((p) => p.name).join('、')}`),
          c.teamExceptionBasis ? [h('dt', {}, '少于两人的法律依据'), h('dd', {}, c.teamExceptionBasis)] : null,
        )
      : null,
    // With a read replica (DATABASE_REPLICA_URL) the answer says how fresh it is: a revocation after asOf may not show yet.
    c.freshness?.source === 'replica'
      ? h('p', { class: 'muted', 'data-testid': 'verify-freshness' }, `核验数据截至 ${fmtTime(c.freshness.asOf)}${c.freshness.lagMs >= 1000 ? `（约 ${Math.round(c.freshness.lagMs / 1000)} 秒前）` : ''}，此后的变更（如撤销）可能稍后显示。`)
      : null,
    r.advice ? h('p', { class: 'advice', 'data-testid': 'verify-advice' }, r.advice, ' ', h('a', { href: c.code ? `/portal/#/report?code=${encodeURIComponent(c.code)}` : '/portal/#/report' }, '报告这次检查')) : null,
  );
}
