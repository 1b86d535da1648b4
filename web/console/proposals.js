import { fmtDate, fmtTime, h, todayShanghai } from '/assets/ui.js';
import { label } from '/shared/labels.js';
import { agencyPicker, filterForm } from './pickers.js';

/**
 * 联合检查建议 (综合查一次 without asking, Art. 26–28) for supervisors: the proposals the engine made, filtered
 * by district, unit, quarter and state with pickers; what each unit answered; and the rows behind the
 * dashboard's figures — the counts by unit, district and quarter (each number opens the proposals it counts)
 * and the launched proposals that avoided visits (their sum is the dashboard's figure), and each enterprise's
 * visits in the year before and after matching (the rows of the visits-per-enterprise figure).
 */

const MEASURES = { made: '提出', accepted: '接受', declined: '拒绝', lapsed: '逾期未答复' };
const MEASURE_UNIT_STATE = { accepted: 'accepted', declined: 'declined', lapsed: 'lapsed' };
const quarters = (year) => [1, 2, 3, 4].map((q) => `${year}Q${q}`);
const quarterZh = (period) => period.replace(/^(\d{4})Q([1-4])$/, (_m, y, q) => `${y} 年第${'一二三四'[Number(q) - 1]}季度`);
let districtNames = null;
let agencyNames = null;

async function namesOf(api) {
  // Wuhan's districts only: those outside the city (Art. 12's cross-region visits) hold no proposals.
  districtNames ??= api('/api/v1/districts').then((rows) => new Map(rows.filter((d) => d.kind !== 'outside').map((d) => [d.code, d.name])), () => new Map());
  agencyNames ??= api('/api/v1/agencies').then((rows) => new Map(rows.map((a) => [a.code, a.name])), () => new Map());
  return { districts: await districtNames, agencies: await agencyNames };
}

/** The proposals of a quarter, or of the four quarters of a year (the list filters by quarter). */
async function fetchProposals(api, q) {
  const base = new URLSearchParams();
  for (const k of ['state', 'district', 'agency']) if (q.get(k)) base.set(k, q.get(k));
  base.set('limit', '500');
  const periods = q.get('period') ? [q.get('period')] : quarters(q.get('year') || todayShanghai().slice(0, 4));
  const pages = await Promise.all(periods.map((p) => api(`/api/v1/proposals?${new URLSearchParams({ ...Object.fromEntries(base), period: p })}`)));
  let rows = pages.flatMap((p) => p.items);
  // A unit's answer (接受、拒绝、逾期): of the chosen unit, or of any unit.
  const unitState = q.get('unitState');
  if (unitState) rows = rows.filter((p) => p.units.some((u) => u.state === unitState && (!q.get('agency') || u.agencyCode === q.get('agency'))));
  return rows;
}

const answers = (p, labels) => p.units.map((u) => `${u.agencyName}：${label(labels.states.jointProposalUnit, u.state)}${u.state === 'declined' ? `（${u.declineReasonZh ?? '未说明理由'}）` : ''}`).join('；');

export async function proposalsView(ctx) {
  const { args, query } = ctx;
  if (args[0]) return proposalDetailView(ctx);
  if (query.get('tab') === 'counts') return countsView(ctx);
  if (query.get('tab') === 'avoided') return avoidedView(ctx);
  if (query.get('tab') === 'enterprises') return enterprisesView(ctx);
  return listView(ctx);
}

async function filters(api, me, query, labels, view, extra = []) {
  const { districts } = await namesOf(api);
  const thisYear = Number(todayShanghai().slice(0, 4));
  const year = Number(query.get('year')) || thisYear;
  const periods = [];
  for (let y = Math.max(thisYear, year); y >= 2025; y--) periods.push(...quarters(y).reverse());
  return filterForm(
    view,
    { 'aria-label': '筛选联合检查建议', 'data-testid': 'proposal-filters' },
    extra,
    me.district
      ? null
      : h('label', {}, '行政区', h('select', { name: 'district', 'data-testid': 'filter-district' }, h('option', { value: '' }, '全部'), [...districts].map(([code, name]) => h('option', { value: code, selected: code === query.get('district') }, name)))),
    await agencyPicker(api, 'agency', query.get('agency'), '参与单位'),
    h('label', {}, '年度', h('select', { name: 'year', 'data-testid': 'filter-year' }, [...new Set(periods.map((p) => p.slice(0, 4)))].map((y) => h('option', { value: y, selected: Number(y) === year }, `${y} 年`)))),
    h('label', {}, '季度', h('select', { name: 'period', 'data-testid': 'filter-period' }, h('option', { value: '' }, '全年'), periods.map((p) => h('option', { value: p, selected: p === query.get('period') }, quarterZh(p))))),
    view === 'proposals' && !query.get('tab')
      ? [
          h('label', {}, '状态', h('select', { name: 'state', 'data-testid': 'filter-state' }, h('option', { value: '' }, '全部'), Object.entries(labels.states.jointProposal ?? {}).map(([k, v]) => h('option', { value: k, selected: k === query.get('state') }, v)))),
          h('label', {}, '单位答复', h('select', { name: 'unitState', 'data-testid': 'filter-unit-state' }, h('option', { value: '' }, '全部'), Object.entries(labels.states.jointProposalUnit ?? {}).map(([k, v]) => h('option', { value: k, selected: k === query.get('unitState') }, v)))),
        ]
      : null,
    h('button', { class: 'primary', type: 'submit' }, '查询'),
  );
}

const tabs = (query, current) => {
  const keep = new URLSearchParams(query);
  const link = (tab, text) => {
    const q = new URLSearchParams(keep);
    if (tab) q.set('tab', tab);
    else q.delete('tab');
    return h('a', { class: `button${current === tab ? ' primary' : ''}`, href: `#/proposals?${q}`, 'aria-current': current === tab ? 'page' : undefined }, text);
  };
  return h('p', { class: 'toolbar' }, link('', '建议列表'), link('counts', '按单位、行政区、季度计数'), link('avoided', '减少的入企次数'), link('enterprises', '每家企业入企次数'));
};

async function listView({ api, me, query, labels }) {
  const [rows, { districts }] = await Promise.all([fetchProposals(api, query), namesOf(api)]);
  return h(
    'div',
    { 'data-testid': 'proposals-view' },
    h('h1', {}, '联合检查建议（第二十六条至第二十八条）'),
    tabs(query, ''),
    await filters(api, me, query, labels, 'proposals', query.get('tab') ? [h('input', { type: 'hidden', name: 'tab', value: query.get('tab') })] : []),
    h('p', { class: 'muted', 'data-testid': 'proposals-count' }, `共 ${rows.length} 项建议。`),
    h(
      'table',
      { 'data-testid': 'proposals-table' },
      h('thead', {}, h('tr', {}, ['季度', '企业', '行政区', '发起单位', '联合检查时间', '状态', '各单位答复'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((p) =>
              h(
                'tr',
                { 'data-proposal': p.id, 'data-state': p.state },
                h('td', {}, quarterZh(p.period)),
                h('td', {}, h('a', { href: `#/proposals/${p.id}` }, p.enterpriseName)),
                h('td', {}, districts.get(p.districtCode) ?? '—'),
                h('td', {}, p.units.find((u) => u.role === 'lead')?.agencyName ?? '—'),
                h('td', {}, fmtTime(p.windowStart)),
                h('td', {}, label(labels.states.jointProposal, p.state)),
                h('td', {}, answers(p, labels)),
              ),
            )
          : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, '没有符合条件的联合检查建议')),
      ),
    ),
  );
}

const statsOf = (api, me, query) => {
  const q = new URLSearchParams({ year: query.get('year') || todayShanghai().slice(0, 4) });
  if (!me.district && query.get('district')) q.set('district', query.get('district'));
  return api(`/api/v1/stats/joint-proposals?${q}`);
};

/** Each unit's proposals counted by district and quarter; every number opens the proposals it counts. */
async function countsView({ api, me, query, labels }) {
  const [s, { districts, agencies }] = await Promise.all([statsOf(api, me, query), namesOf(api)]);
  const measure = MEASURES[query.get('measure')] ? query.get('measure') : null;
  const rows = s.counts.filter((r) => (!query.get('agency') || r.agencyCode === query.get('agency')) && (!query.get('period') || r.period === query.get('period')));
  const cell = (r, m) => {
    const q = new URLSearchParams({ year: String(s.year), period: r.period, district: r.districtCode, agency: r.agencyCode });
    if (MEASURE_UNIT_STATE[m]) q.set('unitState', MEASURE_UNIT_STATE[m]);
    return h('td', { class: m === measure ? 'chosen' : undefined }, r[m] ? h('a', { href: `#/proposals?${q}`, 'data-measure': m, 'aria-label': `${agencies.get(r.agencyCode) ?? ''}${quarterZh(r.period)}${MEASURES[m]} ${r[m]} 项，查看明细` }, String(r[m])) : '0');
  };
  const total = (m) => rows.reduce((n, r) => n + r[m], 0);
  return h(
    'div',
    { 'data-testid': 'proposal-counts' },
    h('h1', {}, `联合检查建议计数 · ${s.year} 年${s.district ? ` · ${districts.get(s.district) ?? ''}` : ''}`),
    tabs(query, 'counts'),
    await filters(api, me, query, labels, 'proposals', [h('input', { type: 'hidden', name: 'tab', value: 'counts' })]),
    h('p', { class: 'muted' }, '按参与单位计：一项建议有几个单位，就计几次；每个数字可点开所计的建议。'),
    h(
      'table',
      { 'data-testid': 'counts-table' },
      h('thead', {}, h('tr', {}, ['参与单位', '行政区', '季度', ...Object.values(MEASURES)].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((r) => h('tr', { 'data-agency': r.agencyCode, 'data-period': r.period }, h('td', {}, agencies.get(r.agencyCode) ?? '—'), h('td', {}, districts.get(r.districtCode) ?? '—'), h('td', {}, quarterZh(r.period)), Object.keys(MEASURES).map((m) => cell(r, m))))
          : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, '本年度暂无联合检查建议')),
      ),
      h('tfoot', {}, h('tr', { 'data-testid': 'counts-total' }, h('th', { colspan: 3 }, '合计'), Object.keys(MEASURES).map((m) => h('td', {}, String(total(m)))))),
    ),
  );
}

/** The launched proposals behind 减少入企次数: each avoided (units taking part − 1) separate visits. */
async function avoidedView({ api, me, query, labels }) {
  const [s, { districts }] = await Promise.all([statsOf(api, me, query), namesOf(api)]);
  const launched = new Map((await fetchProposals(api, new URLSearchParams({ year: String(s.year), state: 'launched', ...(s.district ? { district: s.district } : {}) }))).map((p) => [p.id, p]));
  const rows = s.avoidedRows.filter((r) => !query.get('period') || r.period === query.get('period'));
  return h(
    'div',
    { 'data-testid': 'proposal-avoided' },
    h('h1', {}, `减少的入企次数 · ${s.year} 年${s.district ? ` · ${districts.get(s.district) ?? ''}` : ''}`),
    tabs(query, 'avoided'),
    h('p', {}, `已发起的联合检查中，各单位本应分别入企；联合检查入企一次，每项减少（参加单位数 − 1）次。合计减少 `, h('strong', { 'data-testid': 'avoided-total' }, String(rows.reduce((n, r) => n + r.avoided, 0))), ' 次。'),
    h(
      'table',
      { 'data-testid': 'avoided-table' },
      h('thead', {}, h('tr', {}, ['季度', '企业', '参加单位', '减少入企次数'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((r) => {
              const p = launched.get(r.proposalId);
              return h(
                'tr',
                { 'data-proposal': r.proposalId },
                h('td', {}, quarterZh(r.period)),
                h('td', {}, h('a', { href: `#/proposals/${r.proposalId}` }, p?.enterpriseName ?? '（企业名称未登记）')),
                h('td', {}, p ? p.units.filter((u) => u.state === 'accepted').map((u) => u.agencyName).join('、') : String(r.unitsTakingPart)),
                h('td', { 'data-testid': 'avoided-cell' }, String(r.avoided)),
              );
            })
          : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '本年度暂无已发起的联合检查建议')),
      ),
    ),
    h(
      'section',
      { class: 'card', 'data-testid': 'per-enterprise' },
      h('h2', {}, '每家企业年度入企次数'),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ['', '中位数', '第99百分位', '最多', '企业数'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          [
            ['按单位分别计', s.perEnterprise.before],
            ['实际入企（联合检查计一次）', s.perEnterprise.after],
          ].map(([k, d]) => h('tr', {}, h('th', {}, k), h('td', {}, String(d.p50)), h('td', {}, String(d.p99)), h('td', {}, String(d.max)), h('td', {}, String(d.n)))),
        ),
      ),
      h('p', {}, h('a', { href: `#/proposals?${new URLSearchParams({ tab: 'enterprises', year: String(s.year), ...(s.district ? { district: s.district } : {}) })}`, 'data-testid': 'per-enterprise-rows' }, '查看每家企业的入企次数')),
    ),
  );
}

const ENTERPRISES_PAGE = 50;

/**
 * The rows behind 每家企业年度入企次数: each enterprise's on-site visits in the year, counted per agency (before
 * matching) and as distinct visits, a joint visit once (after), most visited first, a page at a time.
 */
async function enterprisesView({ api, me, query }) {
  const year = query.get('year') || todayShanghai().slice(0, 4);
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const q = new URLSearchParams({ year, limit: String(ENTERPRISES_PAGE), offset: String(offset) });
  if (!me.district && query.get('district')) q.set('district', query.get('district'));
  const [{ items, total }, { districts }] = await Promise.all([api.page(`/api/v1/stats/joint-proposals/enterprises?${q}`), namesOf(api)]);
  const district = me.district ?? query.get('district');
  const pageLink = (to, text) => {
    const next = new URLSearchParams(query);
    next.set('tab', 'enterprises');
    next.set('offset', String(to));
    return h('a', { class: 'button', href: `#/proposals?${next}` }, text);
  };
  return h(
    'div',
    { 'data-testid': 'proposal-enterprises' },
    h('h1', {}, `每家企业年度入企次数 · ${year} 年${district ? ` · ${districts.get(district) ?? ''}` : ''}`),
    tabs(query, 'enterprises'),
    h('p', { class: 'muted' }, '按单位分别计：每个单位的现场检查各计一次；实际入企：联合检查各单位合计一次。按次数从多到少排列。'),
    h('p', { class: 'muted', 'data-testid': 'enterprises-count' }, `共 ${total} 家企业。`),
    h(
      'table',
      { 'data-testid': 'enterprises-table' },
      h('thead', {}, h('tr', {}, ['企业', '行政区', '按单位分别计', '实际入企'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        items.length
          ? items.map((r) =>
              h(
                'tr',
                { 'data-enterprise': r.enterpriseCode },
                h('td', {}, r.enterpriseName),
                h('td', {}, districts.get(r.districtCode) ?? '—'),
                h('td', { 'data-testid': 'visits-before' }, String(r.before)),
                h('td', { 'data-testid': 'visits-after' }, String(r.after)),
              ),
            )
          : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '本年度暂无计入的现场检查')),
      ),
    ),
    total > ENTERPRISES_PAGE
      ? h('p', { class: 'toolbar' }, offset > 0 ? pageLink(Math.max(0, offset - ENTERPRISES_PAGE), '上一页') : null, offset + ENTERPRISES_PAGE < total ? pageLink(offset + ENTERPRISES_PAGE, '下一页') : null)
      : null,
  );
}

async function proposalDetailView({ api, args, labels }) {
  const p = await api(`/api/v1/proposals/${encodeURIComponent(args[0])}`);
  const { districts } = await namesOf(api);
  const facts = [
    ['企业', p.enterpriseName],
    ['行政区', districts.get(p.districtCode) ?? '—'],
    ['季度', quarterZh(p.period)],
    ['发起单位', p.units.find((u) => u.role === 'lead')?.agencyName],
    ['协同单位', p.units.filter((u) => u.role !== 'lead').map((u) => u.agencyName).join('、')],
    ['联合检查时间', `${fmtTime(p.windowStart)} 至 ${fmtTime(p.windowEnd)}`],
    ['答复期限', fmtDate(p.respondBy)],
    ['一表通查', p.formLines ? `综合检查表 ${p.formLines} 项` : '清单无综合检查表'],
    ['共同抽样', p.seed ? `按记录的随机种子 ${p.seed} 共同抽取` : '各单位计划均点名该企业'],
    ['状态', label(labels.states.jointProposal, p.state)],
  ];
  return h(
    'div',
    { 'data-testid': 'proposal-detail' },
    h('p', {}, h('a', { href: '#/proposals' }, '← 返回联合检查建议')),
    h('h1', {}, `联合检查建议 · ${p.enterpriseName}`),
    h('section', { class: 'card' }, h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]))),
    h(
      'table',
      { 'data-testid': 'proposal-units' },
      h('thead', {}, h('tr', {}, ['单位', '角色', '答复', '派出人员', '拒绝理由', '答复时间'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        p.units.map((u) =>
          h(
            'tr',
            { 'data-unit': u.agencyCode },
            h('td', {}, u.agencyName),
            h('td', {}, u.role === 'lead' ? '发起单位' : '协同单位'),
            h('td', {}, label(labels.states.jointProposalUnit, u.state)),
            h('td', {}, (u.inspectors ?? []).map((o) => `${o.name}（执法证 ${o.certificateNo}）`).join('、') || '—'),
            h('td', {}, u.state === 'declined' ? `${u.declineReasonZh ?? '未说明理由'}${u.declineNote ? `；${u.declineNote}` : ''}` : '—'),
            h('td', {}, fmtTime(u.decidedAt)),
          ),
        ),
      ),
    ),
  );
}
