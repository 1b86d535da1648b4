import { dataUrl, fill, fmtTime, h, problemBox } from '/assets/ui.js';

/** 企业报告 (Art. 40) and 企业评价: what enterprises told the supervisors, within the jurisdiction. */
const PROHIBITION_ZH = {
  legal_rep_required: '刻意要求法定代表人到场',
  gifts_or_meals: '馈赠、宴请',
  designated_intermediary: '指定中介',
  costs_shifted: '费用转嫁',
  repeated_testing: '重复检测',
  disguised_label: '以观摩、督导、考察等名义检查',
};

const authorisedBadge = (r) => (r.authorised ? h('span', { class: 'badge ok' }, `有效检查码 ${r.validCode}`) : h('span', { class: 'badge bad' }, '无有效检查码'));

export async function reportsView({ api }) {
  const { items, total } = await api.page('/api/v1/enterprise-reports?limit=100');
  return h(
    'div',
    {},
    h('h1', {}, `企业报告（共 ${total} 份）`),
    h(
      'table',
      { 'data-testid': 'reports-table' },
      h('thead', {}, h('tr', {}, ...['检查时间', '企业', '所述检查单位', '检查码', '禁止行为', '引发的标记'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        items.length
          ? items.map((r) =>
              h(
                'tr',
                { class: 'clickable', onclick: () => (location.hash = `#/reports/${r.id}`) },
                h('td', {}, fmtTime(r.visitedAt)),
                h('td', {}, r.enterpriseName ?? r.enterpriseCode),
                h('td', {}, r.agencyName ?? r.agencyText ?? '—'),
                h('td', {}, authorisedBadge(r)),
                h('td', {}, r.prohibitions.map((p) => PROHIBITION_ZH[p] ?? p).join('、') || '—'),
                h('td', {}, r.flags.map((f) => f.ruleTitleZh).join('；') || '—'),
              ),
            )
          : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '暂无企业报告')),
      ),
    ),
  );
}

export async function reportDetailView({ api, args }) {
  const r = await api(`/api/v1/enterprise-reports/${encodeURIComponent(args[0])}`);
  const photo = h('div');
  if (r.photo) {
    try {
      const res = await api.raw(r.photo.url);
      fill(photo, h('img', { class: 'photo', alt: '行政检查通知书照片', src: await dataUrl(await res.blob()) }));
    } catch (err) {
      fill(photo, problemBox(err));
    }
  }
  return h(
    'div',
    {},
    h('p', {}, h('a', { href: '#/reports' }, '← 返回企业报告')),
    h('h1', {}, `${r.enterpriseName ?? r.enterpriseCode} 的报告`),
    h(
      'section',
      { class: 'card' },
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, '检查时间'), h('dd', {}, fmtTime(r.visitedAt)),
        h('dt', {}, '所述检查单位'), h('dd', {}, [r.agencyName, r.agencyText].filter(Boolean).join(' / ') || '—'),
        h('dt', {}, '出示的检查码'), h('dd', {}, r.codeShown ?? '未出示'),
        h('dt', {}, '核对结果'), h('dd', {}, authorisedBadge(r)),
        h('dt', {}, '经过'), h('dd', { style: 'white-space:pre-wrap' }, r.description),
        h('dt', {}, '禁止行为'), h('dd', {}, r.prohibitions.map((p) => PROHIBITION_ZH[p] ?? p).join('、') || '—'),
        h('dt', {}, '引发的标记'), h('dd', {}, r.flags.length ? h('ul', {}, r.flags.map((f) => h('li', {}, h('a', { href: `#/flags/${f.id}` }, `${f.ruleTitleZh}（${f.article}）`), ` · ${f.stateZh}`))) : '—'),
        h('dt', {}, '报告时间'), h('dd', {}, fmtTime(r.createdAt)),
      ),
      r.photo ? [h('h2', {}, '通知书照片'), photo] : null,
    ),
  );
}

export async function ratingsView({ api }) {
  const { items, total } = await api.page('/api/v1/ratings?limit=200');
  const avg = items.length ? (items.reduce((s, r) => s + r.score, 0) / items.length).toFixed(2) : '—';
  return h(
    'div',
    {},
    h('h1', {}, `企业评价（共 ${total} 条，本页平均 ${avg} 分）`),
    h(
      'table',
      { 'data-testid': 'ratings-table' },
      h('thead', {}, h('tr', {}, ...['评价时间', '行政执法主体', '企业', '评分', '意见'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        items.length
          ? items.map((r) =>
              h(
                'tr',
                { class: 'clickable', onclick: () => (location.hash = `#/inspections/${r.inspectionId}`) },
                h('td', {}, fmtTime(r.createdAt)),
                h('td', {}, r.agencyName ?? r.agencyCode),
                h('td', {}, r.enterpriseName ?? r.enterpriseCode),
                h('td', {}, '★'.repeat(r.score) + '☆'.repeat(5 - r.score)),
                h('td', {}, r.comment ?? ''),
              ),
            )
          : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, '暂无评价')),
      ),
    ),
  );
}
