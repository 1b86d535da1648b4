import { apiClient, ApiError, currentRoute, fill, fmtTime, h, KIND_ZH, OUTCOME_ZH, problemBox, tokenClaims } from '/assets/ui.js';
import { noticesView } from './notices.js';
import { reportView } from './report.js';
import { resultCard } from './result.js';
import { parseCodeInput, TOKEN_KEY, verifyVisit, verifyWithoutCode } from './verify.js';

/**
 * The enterprises' portal (企业服务): check a visit's code in one tap, see the inspections the enterprise
 * received and their results, report a visit, rate an inspection, read off-site notices. The token stays
 * in this device's localStorage, so a QR scanned later opens the check page already signed in; 退出
 * removes it. The server answers only with the enterprise's own data.
 */
const LEAD_KIND_ZH = { complaint: '投诉举报', referral: '移送', assignment: '转办交办', platform_monitoring: '平台监测', enterprise_request: '企业申请', follow_up: '跟踪检查' };
const token = () => localStorage.getItem(TOKEN_KEY);
const api = apiClient(token);
const app = document.getElementById('app');
let me = null;
// Whether this server takes development tokens: the `npm run token` hint is shown only then (never in production).
const site = await fetch('/assets/site.json').then((r) => r.json()).catch(() => ({ devTokens: false }));
let agencies = null;

async function agencyNames() {
  agencies ??= new Map((await api('/api/v1/agencies')).map((a) => [a.code, a.name]));
  return agencies;
}

function signInView(message) {
  const input = h('textarea', { 'data-testid': 'token-input', rows: 5, 'aria-label': '令牌' });
  const out = h('div');
  return h(
    'form',
    {
      class: 'card',
      onsubmit: async (e) => {
        e.preventDefault();
        const value = input.value.trim();
        if (tokenClaims(value)?.role !== 'enterprise') return fill(out, h('div', { class: 'alert error' }, '请粘贴企业身份令牌（enterprise 角色）。'));
        localStorage.setItem(TOKEN_KEY, value);
        try {
          me = await api('/api/v1/me');
        } catch (err) {
          localStorage.removeItem(TOKEN_KEY);
          return fill(out, problemBox(err));
        }
        if (location.hash === '#/check') route();
        else location.hash = '#/check';
      },
    },
    h('h1', {}, '企业登录'),
    message ? h('div', { class: 'alert info' }, message) : null,
    h('p', {}, '粘贴本企业的身份令牌。登录后扫描检查码即可一键核验，并可查看本企业接受的检查、报告检查情况。'),
    input,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'signin' }, '登录'),
    site.devTokens ? h('p', { class: 'hint muted' }, '开发环境获取令牌：', h('code', {}, 'npm run token -- --role enterprise --credit-code <统一社会信用代码>')) : null,
    out,
  );
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

async function inspectionsView() {
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
        h('dt', {}, '类型'), h('dd', {}, `${KIND_ZH[i.kind] ?? i.kind}（${i.mode === 'onsite' ? '现场' : '非现场'}）`),
        // A case inspection shows its lead kind, never who lodged the lead (Art. 9; Art. 40(6)).
        i.kind === 'case' ? [h('dt', {}, '线索来源'), h('dd', { 'data-field': 'lead-kind' }, LEAD_KIND_ZH[i.leadKind] ?? '未载明')] : null,
        h('dt', {}, '时间'), h('dd', {}, `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
        h('dt', {}, '状态'), h('dd', {}, i.stateZh),
        i.sourceSystem ? [h('dt', {}, '来源'), h('dd', { 'data-field': 'source' }, `上级平台（来源系统 ${i.sourceSystem}）`)] : null,
        h('dt', {}, '检查结果'), h('dd', { 'data-testid': 'outcome' }, i.outcome?.kind ? (OUTCOME_ZH[i.outcome.kind] ?? i.outcome.kind) : '尚未出具'),
        items.length ? [h('dt', {}, '检查项目'), h('dd', {}, items.map((x) => h('div', {}, `${x.item}：${{ compliant: '符合', violation: '违法', not_applicable: '不适用' }[x.result] ?? x.result}${x.note ? `（${x.note}）` : ''}`)))] : null,
        rating ? [h('dt', {}, '我的评价'), h('dd', { 'data-testid': 'my-rating' }, `${'★'.repeat(rating.score)}${'☆'.repeat(5 - rating.score)} ${rating.comment ?? ''}`)] : null,
      ),
      !rating && i.findings ? ratingForm(i, () => route()) : null,
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

const VIEWS = {
  check: checkView,
  inspections: inspectionsView,
  report: (ctx) => reportView({ ...ctx, api, agencyNames }),
  reports: reportsView,
  notices: (ctx) => noticesView({ ...ctx, api, rerender: route }),
};

let rendering = 0;

async function route() {
  // A newer navigation wins: an older view that finishes later is dropped.
  const ticket = ++rendering;
  const tabs = document.getElementById('tabs');
  const who = document.getElementById('who');
  if (!token()) {
    tabs.hidden = true;
    fill(who);
    return fill(app, signInView());
  }
  if (!me) {
    try {
      me = await api('/api/v1/me');
    } catch (err) {
      localStorage.removeItem(TOKEN_KEY);
      return fill(app, signInView(err instanceof ApiError && err.status === 401 ? '登录已过期，请重新登录。' : undefined));
    }
  }
  tabs.hidden = false;
  fill(who, me.creditCode, h('button', { type: 'button', 'data-testid': 'signout', onclick: () => { localStorage.removeItem(TOKEN_KEY); me = null; route(); } }, '退出'));
  const { parts, query } = currentRoute();
  const name = VIEWS[parts[0]] ? parts[0] : 'check';
  for (const a of document.querySelectorAll('[data-tab]')) a.classList.toggle('active', a.dataset.tab === name);
  try {
    const el = await VIEWS[name]({ query });
    if (ticket === rendering) fill(app, el);
  } catch (err) {
    if (ticket === rendering) fill(app, problemBox(err));
  }
}

window.addEventListener('hashchange', route);
route();
