import { apiClient, fill, fmtTime, h, problemBox } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { session } from '../shared/session.js';
import { startShell } from '../shared/shell.js';
import { noticesView } from './notices.js';
import { reportView } from './report.js';
import { resultCard } from './result.js';
import { parseCodeInput, verifyVisit, verifyWithoutCode } from './verify.js';

/**
 * The enterprises' portal (企业服务): check a visit's code in one tap, see the inspections the enterprise
 * received and their results, report a visit, rate an inspection, read off-site notices. The token stays
 * in this device's storage (the shared session, web/shared/session.js), so a QR scanned later opens the
 * check page already signed in; 退出 removes it. The server answers only with the enterprise's own data.
 * Sign-in, routing and the tabs are the shell the three apps share (web/shared/shell.js); the names of
 * kinds, outcomes and lead kinds come from the labels API.
 */
const api = apiClient(session('portal').get);
let agencies = null;

async function agencyNames() {
  agencies ??= new Map((await api('/api/v1/agencies')).map((a) => [a.code, a.name]));
  return agencies;
}

function checkView({ query }) {
  const input = h('input', { class: 'full', 'data-testid': 'code-input', placeholder: '检查码，或扫码得到的链接', value: query.get('code') ?? '' });
  const out = h('div');
  const go = async (e) => {
    e.preventDefault();
    const parsed = parseCodeInput(input.value);
    if (!parsed) return fill(out, h('div', { class: 'alert error' }, '请输入检查码或检查码链接'));
    fill(out, h('p', { class: 'muted' }, '正在核验…'));
    try {
      fill(out, resultCard(await verifyVisit(api, parsed)));
    } catch (err) {
      fill(out, problemBox(err));
    }
  };
  // Art. 17 asks a code of routine and special inspections only; a recorded case inspection has none.
  const noCode = async () => {
    fill(out, h('p', { class: 'muted' }, '正在查询…'));
    try {
      fill(out, resultCard(await verifyWithoutCode(api), { facts: false }));
    } catch (err) {
      fill(out, problemBox(err));
    }
  };
  return h(
    'form',
    { class: 'card', onsubmit: go },
    h('h1', {}, '核验检查码'),
    h('p', { class: 'muted' }, '执法人员进入现场须出示检查码并扫码（第十七条、第十八条）。输入或粘贴检查码，一键核验并登记扫码。'),
    input,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'verify' }, '这次检查是否经过授权？'),
    h('button', { class: 'big', type: 'button', 'data-testid': 'verify-no-code', onclick: noCode }, '对方未出示检查码'),
    out,
  );
}

function ratingForm(i, onDone) {
  const out = h('div');
  const stars = h('div', { class: 'stars' }, [1, 2, 3, 4, 5].map((n) => h('label', {}, h('input', { type: 'radio', name: `score-${i.id}`, value: n, 'data-testid': `score-${n}` }), `${n} 分`)));
  const comment = h('textarea', { rows: 2, placeholder: '评价意见（选填）', 'data-testid': 'rating-comment' });
  return h(
    'form',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        const score = Number(new FormData(e.target).get(`score-${i.id}`));
        if (!score) return fill(out, h('div', { class: 'alert error' }, '请选择评分'));
        try {
          await api(`/api/v1/inspections/${i.id}/rating`, { method: 'POST', body: { score, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) } });
          onDone();
        } catch (err) {
          fill(out, problemBox(err));
        }
      },
    },
    h('h2', {}, '评价本次检查'),
    stars,
    comment,
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'rate' }, '提交评价'),
    out,
  );
}

async function inspectionsView({ labels, rerender }) {
  const [rows, ratings, names] = await Promise.all([api('/api/v1/inspections?limit=100'), api('/api/v1/ratings?limit=500'), agencyNames()]);
  const rated = new Map(ratings.map((r) => [r.inspectionId, r]));
  const cards = rows.map((i) => {
    const rating = rated.get(i.id);
    const items = i.findings?.items ?? [];
    return h(
      'section',
      { class: 'card inspection', 'data-testid': 'inspection-card', dataset: { id: i.id } },
      h('h2', {}, names.get(i.agencyCode) ?? i.agencyCode),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, '类型'), h('dd', {}, `${label(labels.kinds, i.kind)}（${label(labels.modes, i.mode)}）`),
        // A case inspection shows its lead kind, never who lodged the lead (Art. 9; Art. 40(6)).
        i.kind === 'case' ? [h('dt', {}, '线索来源'), h('dd', { 'data-field': 'lead-kind' }, i.leadKind ? label(labels.leadKinds, i.leadKind) : '未载明')] : null,
        h('dt', {}, '时间'), h('dd', {}, `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
        h('dt', {}, '状态'), h('dd', {}, i.stateZh),
        i.sourceSystem ? [h('dt', {}, '来源'), h('dd', { 'data-field': 'source' }, `上级平台（来源系统 ${i.sourceSystem}）`)] : null,
        h('dt', {}, '检查结果'), h('dd', { 'data-testid': 'outcome' }, i.outcome ? (i.outcome.summaryZh ?? label(labels.outcomes, i.outcome.kind)) : '尚未出具'),
        // A stop or rectification order is a written document with a deadline (Art. 20(2)): its 文号 and 期限.
        i.outcome?.noticeNo ? [h('dt', {}, '文书编号'), h('dd', { 'data-testid': 'outcome-notice-no' }, i.outcome.noticeNo)] : null,
        i.outcome?.dueDate ? [h('dt', {}, '改正期限'), h('dd', { 'data-testid': 'outcome-due' }, `${i.outcome.dueDate} 前`)] : null,
        items.length ? [h('dt', {}, '检查项目'), h('dd', {}, items.map((x) => h('div', {}, `${x.item}：${label(labels.itemResults, x.result)}${x.note ? `（${x.note}）` : ''}`)))] : null,
        rating ? [h('dt', {}, '我的评价'), h('dd', { 'data-testid': 'my-rating' }, `${'★'.repeat(rating.score)}${'☆'.repeat(5 - rating.score)} ${rating.comment ?? ''}`)] : null,
      ),
      !rating && i.findings ? ratingForm(i, rerender) : null,
    );
  });
  return h('div', {}, h('h1', {}, '本企业接受的检查'), cards.length ? cards : h('p', { class: 'muted' }, '暂无检查记录'));
}

async function reportsView() {
  const rows = await api('/api/v1/enterprise-reports?limit=100');
  return h(
    'div',
    {},
    h('h1', {}, '我的报告'),
    rows.length
      ? rows.map((r) =>
          h(
            'section',
            { class: 'card', 'data-testid': 'my-report' },
            h('strong', {}, fmtTime(r.visitedAt)),
            ' ',
            r.authorised
              ? h('span', { class: 'badge ok' }, '有有效检查码')
              : r.caseInspection
                ? h('span', { class: 'badge ok', 'data-testid': 'report-case' }, `已登记个案检查（${r.caseInspection.leadKindZh ?? '未载明线索'}）`)
                : h('span', { class: 'badge bad' }, '无有效检查码'),
            h('p', {}, r.agencyName ?? r.agencyText ?? ''),
            h('p', { style: 'white-space:pre-wrap' }, r.description),
            r.flags.length ? h('p', { class: 'muted' }, `监督处理：${r.flags.map((f) => `${f.ruleTitleZh}（${f.stateZh}）`).join('；')}`) : null,
          ),
        )
      : h('p', { class: 'muted' }, '暂无报告'),
  );
}

startShell({
  app: 'portal',
  roles: ['enterprise'],
  home: 'check',
  views: {
    check: () => checkView,
    inspections: () => inspectionsView,
    report: () => (ctx) => reportView({ ...ctx, api, agencyNames }),
    reports: () => reportsView,
    notices: () => (ctx) => noticesView({ ...ctx, api }),
  },
  signIn: {
    title: '企业登录',
    intro: '请由企业法定代表人或经办人通过统一身份认证登录。登录后扫描检查码即可一键核验，并可查看本企业接受的检查、报告检查情况。',
    wrongRole: '请粘贴企业身份令牌。',
    devHint: ['开发环境获取令牌：', h('code', {}, 'npm run token -- --role enterprise --credit-code <统一社会信用代码>')],
  },
  // The person by name and the enterprise by name (the unit line, /me's unitName), not its credit code.
  who: (me) => me.name ?? (me.unitName ? '企业用户' : (me.creditCode ?? me.sub)),
});
