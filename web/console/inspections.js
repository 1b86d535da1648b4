import { fill, fmtTime, h, problemBox } from '/assets/ui.js';
import { label } from '/shared/labels.js';
import { auditTable } from './flags.js';
import { agencyPicker, enterprisePicker, filterForm } from './pickers.js';

/**
 * 行政检查: the jurisdiction's inspections, and one inspection's whole story — scheme, code, scans,
 * findings, outcome, referrals (Art. 23), flags, ratings and its audit entries, with the hash chain
 * verified on request (Art. 8, 24: 全过程记录、可追溯).
 */
const RESULT_ZH = { compliant: '符合', violation: '违法', not_applicable: '不适用' };
const METHOD_ZH = { statement: '听取陈述', documents: '查阅资料', self_report: '企业自查报告', site_survey: '现场勘查', sampling: '抽样检测', inquiry: '询问', other: '其他' };
let agencyNames = null;

async function names(api) {
  agencyNames ??= new Map((await api('/api/v1/agencies')).map((a) => [a.code, a.name]));
  return agencyNames;
}

export async function inspectionsView({ api, query, labels }) {
  const q = new URLSearchParams(query);
  q.set('limit', '100');
  const [rows, agencies] = await Promise.all([api(`/api/v1/inspections?${q}`), names(api)]);
  const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, value: query.get(name) ?? '', ...attrs }));
  return h(
    'div',
    {},
    h('h1', {}, '行政检查'),
    filterForm(
      'inspections',
      {},
      await agencyPicker(api, 'agency', query.get('agency'), '行政执法主体'),
      enterprisePicker(api, 'enterprise', query.get('enterprise'), '企业'),
      h('label', {}, '类型', h('select', { name: 'kind', 'data-testid': 'filter-kind' }, h('option', { value: '' }, '全部'), ...['routine', 'special', 'case'].map((k) => h('option', { value: k, selected: k === query.get('kind') }, label(labels.kinds, k))))),
      field('from', '计入日期自', { type: 'date' }),
      field('to', '至', { type: 'date' }),
      h('button', { class: 'primary', type: 'submit' }, '查询'),
    ),
    h(
      'table',
      { 'data-testid': 'inspections-table' },
      h('thead', {}, h('tr', {}, ...['登记时间', '行政执法主体', '企业', '类型', '方式', '状态'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((i) =>
              h(
                'tr',
                { class: 'clickable', onclick: () => (location.hash = `#/inspections/${i.id}`) },
                h('td', {}, fmtTime(i.windowStart)),
                h('td', {}, agencies.get(i.agencyCode) ?? i.agencyCode),
                h('td', {}, i.enterpriseCode),
                h('td', {}, label(labels.kinds, i.kind)),
                h('td', {}, label(labels.modes, i.mode)),
                // Art. 24, 29: an inspection reported by an upper-level platform names it.
                h('td', {}, i.stateZh, i.sourceSystem ? ` · 来源 ${i.sourceSystem}` : ''),
              ),
            )
          : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '没有符合条件的行政检查')),
      ),
    ),
  );
}

const facts = (...pairs) => h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]));

export async function inspectionStoryView({ api, args, labels }) {
  const id = encodeURIComponent(args[0]);
  const [story, agencies, flags, ratings] = await Promise.all([
    api(`/api/v1/inspections/${id}`),
    names(api),
    api(`/api/v1/flags?subjectType=inspection&subjectId=${id}&limit=100`),
    api(`/api/v1/ratings?inspection=${id}`),
  ]);
  const i = story.inspection;
  // Referrals opened from this inspection's findings (Art. 23), among its agency's outgoing ones.
  const referrals = (await api(`/api/v1/referrals?agency=${encodeURIComponent(i.agencyCode)}&direction=outgoing&limit=500`)).filter((r) => r.inspectionId === i.id);
  const findings = i.findings;
  const verifyOut = h('span', { 'data-testid': 'verify-result' });
  const verify = async () => {
    fill(verifyOut, '正在校验…');
    try {
      // From the genesis: an incremental check would skip every entry before the last verified checkpoint.
      const r = await api('/api/v1/audit/verify?full=true');
      fill(
        verifyOut,
        r.ok
          ? h(
              'span',
              { class: 'verify-ok' },
              `审计哈希链完整：自第 1 条起已校验全部 ${r.verified} 条，链头 #${r.headSeq}` +
                (r.latestCheckpoint ? `，与签名检查点 #${r.latestCheckpoint.seq} 相符` : ''),
            )
          : h(
              'span',
              { class: 'verify-bad' },
              `审计日志发现 ${r.problems.length} 处问题：${r.problems.slice(0, 5).map((p) => p.detail).join('；')}${r.problems.length > 5 ? '……' : ''}`,
            ),
      );
    } catch (err) {
      fill(verifyOut, problemBox(err));
    }
  };

  return h(
    'div',
    { 'data-testid': 'inspection-story' },
    h('p', {}, h('a', { href: '#/inspections' }, '← 返回行政检查')),
    h('h1', {}, `${agencies.get(i.agencyCode) ?? i.agencyCode} · ${label(labels.kinds, i.kind)}（${i.stateZh}）`),
    h(
      'div',
      { class: 'split' },
      h(
        'section',
        { class: 'card' },
        h('h2', {}, '检查方案'),
        facts(
          ['企业', i.enterpriseCode],
          ['方式', label(labels.modes, i.mode)],
          ['检查事项', i.matterCodes.join('、')],
          ['登记时间', `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`],
          ['检查人员', i.inspectors.map((p) => `${p.name}（执法证 ${p.certificateNo || '无'}）`).join('、')],
          ...(i.teamExceptionBasis ? [['少于两人的法律依据', i.teamExceptionBasis]] : []),
          ['检查项目', i.checklist.join('、')],
          ['批准人', i.approvedBy],
          ['个案线索', i.leadKind],
          ['适用范围', i.entityScope],
          ...(i.sourceSystem
            ? [['来源系统', `${i.sourceSystem}（编号 ${i.sourceId}，第 ${i.sourceVersion} 版，${i.sourceCode ? `检查码 ${i.sourceCode}` : '未附检查码'}）`]]
            : []),
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, '检查码与扫码'),
        story.code
          ? facts(['检查码', story.code.code], ['状态', story.code.state], ['有效期', `${fmtTime(story.code.validFrom)} 至 ${fmtTime(story.code.validTo)}`], ['撤销理由', story.code.revokedReason])
          : h('p', { class: 'muted' }, '无检查码（个案或非现场检查，或尚未获取）'),
        story.scans.length
          ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '扫码时间'), h('th', {}, '扫码方'), h('th', {}, '结果'))), h('tbody', {}, story.scans.map((s) => h('tr', {}, h('td', {}, fmtTime(s.scannedAt)), h('td', {}, s.byRole === 'enterprise' ? '企业' : '执法人员'), h('td', {}, s.accepted ? '有效' : `拒绝（${s.refusedRule ?? ''}）`)))))
          : h('p', { class: 'muted' }, '无扫码记录'),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '检查情况与处理结果'),
      findings
        ? [
            facts(
              ['检查方式', (findings.methods ?? []).map((m) => METHOD_ZH[m] ?? m).join('、')],
              ['处理结果', findings.outcome?.kind ? (findings.outcome.summaryZh ?? label(labels.outcomes, findings.outcome.kind)) : null],
              ['文书编号', findings.outcome?.noticeNo],
              ['整改期限', findings.outcome?.dueDate],
              ['结果告知', fmtTime(i.resultNotifiedAt)],
              ['结束', fmtTime(i.closedAt)],
              ['归档', fmtTime(i.archivedAt)],
            ),
            h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '检查项目'), h('th', {}, '结果'), h('th', {}, '说明'))), h('tbody', {}, (findings.items ?? []).map((x) => h('tr', {}, h('td', {}, x.item), h('td', {}, RESULT_ZH[x.result] ?? x.result), h('td', {}, x.note ?? ''))))),
          ]
        : h('p', { class: 'muted' }, '尚未记录检查情况'),
    ),
    h(
      'section',
      { class: 'card', 'data-testid': 'referrals' },
      h('h2', {}, '移送（第二十三条）'),
      referrals.length
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, '接收单位'), h('th', {}, '违法行为'), h('th', {}, '移送期限'), h('th', {}, '状态'))),
            h(
              'tbody',
              {},
              referrals.map((r) =>
                h('tr', {}, h('td', {}, agencies.get(r.competentAgencyCode) ?? r.competentAgencyCode), h('td', {}, r.description), h('td', {}, r.dueDate ?? r.dueDatePending, r.overdue ? [' ', h('span', { class: 'badge bad' }, '逾期')] : null), h('td', {}, r.stateZh)),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '无移送'),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '违规标记'),
      flags.length
        ? h('ul', {}, flags.map((f) => h('li', {}, h('a', { href: `#/flags/${f.id}` }, `${f.ruleTitleZh}（${f.article}）`), ` · ${f.stateZh} · ${f.detail}`)))
        : h('p', { class: 'muted' }, '无违规标记'),
      ratings.length ? h('p', {}, `企业评价：${ratings[0].score} 分${ratings[0].comment ? `，${ratings[0].comment}` : ''}`) : null,
    ),
    h('div', { class: 'toolbar' }, h('h2', {}, '审计记录'), h('span', { class: 'spacer' }), h('button', { type: 'button', 'data-testid': 'verify-chain', onclick: verify }, '校验审计哈希链'), verifyOut),
    auditTable(story.history, labels),
  );
}
