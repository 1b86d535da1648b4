import { apiClient, ApiError, currentRoute, fill, fmtTime, h, KIND_ZH, notice, OUTCOME_ZH, problemBox, tokenClaims } from '/assets/ui.js';
import { resultCard } from './result.js';
import { parseCodeInput, TOKEN_KEY, verifyVisit } from './verify.js';

/**
 * The enterprises' portal (企业服务): check a visit's code in one tap, see the inspections the enterprise
 * received and their results, report a visit, rate an inspection, read off-site notices. The token stays
 * in this device's localStorage, so a QR scanned later opens the check page already signed in; 退出
 * removes it. The server answers only with the enterprise's own data.
 */
const token = () => localStorage.getItem(TOKEN_KEY);
const api = apiClient(token);
const app = document.getElementById('app');
let me = null;
let agencies = null;
let noticesAvailable = null;

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
    h('p', { class: 'hint muted' }, '开发环境获取令牌：', h('code', {}, 'npm run token -- --role enterprise --credit-code <统一社会信用代码>')),
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
  return h(
    'form',
    { class: 'card', onsubmit: go },
    h('h1', {}, '核验检查码'),
    h('p', { class: 'muted' }, '执法人员进入现场须出示检查码并扫码（第十七条、第十八条）。输入或粘贴检查码，一键核验并登记扫码。'),
    input,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'verify' }, '这次检查是否经过授权？'),
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
        h('dt', {}, '时间'), h('dd', {}, `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
        h('dt', {}, '状态'), h('dd', {}, i.stateZh),
        h('dt', {}, '检查结果'), h('dd', { 'data-testid': 'outcome' }, i.outcome ? (OUTCOME_ZH[i.outcome.kind] ?? i.outcome.kind) : '尚未出具'),
        items.length ? [h('dt', {}, '检查项目'), h('dd', {}, items.map((x) => h('div', {}, `${x.item}：${{ compliant: '符合', violation: '违法', not_applicable: '不适用' }[x.result] ?? x.result}${x.note ? `（${x.note}）` : ''}`)))] : null,
        rating ? [h('dt', {}, '我的评价'), h('dd', { 'data-testid': 'my-rating' }, `${'★'.repeat(rating.score)}${'☆'.repeat(5 - rating.score)} ${rating.comment ?? ''}`)] : null,
      ),
      !rating && i.findings ? ratingForm(i, () => route()) : null,
    );
  });
  return h('div', {}, h('h1', {}, '本企业接受的检查'), cards.length ? cards : h('p', { class: 'muted' }, '暂无检查记录'));
}

const PROHIBITIONS = [
  ['legal_rep_required', '刻意要求法定代表人到场'],
  ['gifts_or_meals', '索要或接受馈赠、宴请，或由企业支付消费'],
  ['designated_intermediary', '强制接受指定中介机构服务'],
  ['costs_shifted', '将检验检测等费用转嫁给企业'],
  ['repeated_testing', '对同一项目重复检验检测'],
];

/** A phone photo, scaled down to ≤ 1600 px and re-encoded as JPEG, as base64 (the API takes ≤ 2 MB). */
async function photoPayload(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = h('canvas', { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const dataUrl = canvas.toDataURL('image/jpeg', 0.82);
  return { contentType: 'image/jpeg', dataBase64: dataUrl.slice(dataUrl.indexOf(',') + 1), preview: dataUrl };
}

async function reportView({ query }) {
  const names = await agencyNames();
  const out = h('div');
  const preview = h('div');
  let photo;
  const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
  const agencySelect = h('select', { class: 'full', name: 'agencyCode', 'data-testid': 'report-agency-code' }, h('option', { value: '' }, '不清楚 / 不在列表中'), [...names].map(([code, name]) => h('option', { value: code }, name)));
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/jpeg,image/png,image/webp',
    'data-testid': 'report-photo',
    onchange: async (e) => {
      const file = e.target.files[0];
      photo = undefined;
      fill(preview);
      if (!file) return;
      try {
        photo = await photoPayload(file);
        fill(preview, h('img', { class: 'preview', src: photo.preview, alt: '通知书照片预览' }));
      } catch {
        fill(preview, h('div', { class: 'alert error' }, '无法读取该图片，请选择 JPEG、PNG 或 WebP 照片'));
      }
    },
  });
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const body = {
      visitedAt: `${f.get('visitedAt')}:00+08:00`,
      description: String(f.get('description') ?? '').trim(),
      ...(String(f.get('agencyText') ?? '').trim() ? { agencyText: String(f.get('agencyText')).trim() } : {}),
      ...(f.get('agencyCode') ? { agencyCode: String(f.get('agencyCode')) } : {}),
      ...(String(f.get('codeShown') ?? '').trim() ? { codeShown: String(f.get('codeShown')).trim() } : {}),
      prohibitions: f.getAll('prohibitions').map(String),
      ...(photo ? { photo: { contentType: photo.contentType, dataBase64: photo.dataBase64 } } : {}),
    };
    try {
      const r = await api('/api/v1/enterprise-reports', { method: 'POST', body });
      fill(
        out,
        notice(r.authorised ? `报告已提交。当时有针对本企业的有效检查码 ${r.validCode}。` : '报告已提交。当时没有针对本企业的有效检查码，已转司法行政部门监督处理。', r.authorised ? 'ok' : 'info'),
        r.flags.length ? h('ul', { 'data-testid': 'report-flags' }, r.flags.map((x) => h('li', {}, `${x.ruleTitleZh}（${x.article}）`))) : null,
      );
      e.target.reset();
      fill(preview);
      photo = undefined;
    } catch (err) {
      fill(out, problemBox(err));
    }
  };
  return h(
    'form',
    { class: 'card', onsubmit: submit, 'data-testid': 'report-form' },
    h('h1', {}, '报告一次检查'),
    h('p', { class: 'muted' }, '依据第四十条：对未出示有效检查码、以观摩督导等名义检查，或有索要财物、要求法定代表人到场等情形，企业可以报告。'),
    h('label', {}, '检查时间', h('input', { class: 'full', type: 'datetime-local', name: 'visitedAt', required: true, max: now, value: now, 'data-testid': 'report-time' })),
    h('label', {}, '对方自称的单位', h('input', { class: 'full', name: 'agencyText', placeholder: '如：区市场监管局', 'data-testid': 'report-agency-text' })),
    h('label', {}, '检查单位（如能确定）', agencySelect),
    h('label', {}, '出示的检查码（如有）', h('input', { class: 'full', name: 'codeShown', value: query.get('code') ?? '', 'data-testid': 'report-code' })),
    h('label', {}, '经过', h('textarea', { name: 'description', rows: 4, required: true, 'data-testid': 'report-description' })),
    h('fieldset', { class: 'checks' }, h('legend', {}, '检查中是否有以下情形'), PROHIBITIONS.map(([v, t]) => h('label', {}, h('input', { type: 'checkbox', name: 'prohibitions', value: v, 'data-testid': `prohibition-${v}` }), t))),
    h('label', {}, '通知书照片（选填）', fileInput),
    preview,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'report-submit' }, '提交报告'),
    out,
  );
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
            r.authorised ? h('span', { class: 'badge ok' }, '有有效检查码') : h('span', { class: 'badge bad' }, '无有效检查码'),
            h('p', {}, r.agencyName ?? r.agencyText ?? ''),
            h('p', { style: 'white-space:pre-wrap' }, r.description),
            r.flags.length ? h('p', { class: 'muted' }, `监督处理：${r.flags.map((f) => `${f.ruleTitleZh}（${f.stateZh}）`).join('；')}`) : null,
          ),
        )
      : h('p', { class: 'muted' }, '暂无报告'),
  );
}

/**
 * Off-site notices (Art. 37) come from the off-site capability's API; the tab is shown only when that
 * API answers, so the portal works with or without it.
 */
async function probeNotices() {
  if (noticesAvailable !== null) return noticesAvailable;
  try {
    await api('/api/v1/enterprise-notices?limit=1');
    noticesAvailable = true;
  } catch (err) {
    noticesAvailable = !(err instanceof ApiError && err.status === 404);
  }
  document.getElementById('notices-tab').hidden = !noticesAvailable;
  return noticesAvailable;
}

async function noticesView() {
  const rows = await api('/api/v1/enterprise-notices?limit=100');
  return h(
    'div',
    {},
    h('h1', {}, '违法行为告知提示（非现场检查）'),
    rows.length
      ? rows.map((n) =>
          h(
            'section',
            { class: 'card', 'data-testid': 'notice' },
            h('h2', {}, n.title ?? '告知提示'),
            h('p', { class: 'muted' }, `${fmtTime(n.issuedAt)}${n.correctBy ? ` · 请于 ${n.correctBy} 前改正` : ''}`),
            h('p', { style: 'white-space:pre-wrap' }, n.body ?? n.observed ?? ''),
          ),
        )
      : h('p', { class: 'muted' }, '暂无告知提示'),
  );
}

const VIEWS = { check: checkView, inspections: inspectionsView, report: reportView, reports: reportsView, notices: noticesView };

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
  probeNotices().catch(() => {});
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
