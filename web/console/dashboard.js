import { download, fmtPct, h, problemBox, todayShanghai } from '/assets/ui.js';

/**
 * 驾驶舱: the jurisdiction's year at a glance — inspections by kind and agency, the code scan rate
 * (亮码率, Art. 17), joint-inspection rate (Art. 26), flags by rule and agency, plans filed on time,
 * late or missing (Art. 13) and overdue referrals (Art. 23). Charts are Chart.js (served from its npm
 * package); animation is off so a printed or captured page shows the final figures.
 */
const Chart = window.Chart;
Chart.defaults.font.family = 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
Chart.defaults.animation = false;
const COLORS = ['#0b5cad', '#1a7f37', '#9a6700', '#cf222e', '#8250df', '#1b7c83', '#bf3989', '#57606a', '#d4a72c', '#6e7781'];
let charts = [];

/**
 * A chart whose bars or slices open the rows behind them: `drill(index)` answers the hash route for the
 * clicked element (a filtered register or list), or null where there is nothing to open.
 */
function chart(pending, title, testid, config, note, drill) {
  const canvas = h('canvas', { 'data-testid': testid, role: 'img', 'aria-label': drill ? `${title}（点击图形查看明细）` : title });
  if (drill) {
    config.options = {
      ...config.options,
      onClick: (_e, elements) => {
        const to = elements.length ? drill(elements[0].index) : null;
        if (to) location.hash = to;
      },
      onHover: (e, elements) => {
        e.native.target.style.cursor = elements.length ? 'pointer' : 'default';
      },
    };
  }
  const box = h('section', { class: 'chart' }, h('h2', {}, title), h('div', { class: 'canvas' }, canvas), note ? h('p', { class: 'muted' }, note) : null);
  // Drawn once the canvas is in the page (Chart.js measures its container): see `mounted` below.
  pending.push(() => charts.push(new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, ...config.options } })));
  return box;
}

const top = (rows, n = 10) => rows.slice(0, n);
const bar = (labels, data, label, horizontal = false) => ({
  type: 'bar',
  data: { labels, datasets: [{ label, data, backgroundColor: COLORS[0] }] },
  options: { indexAxis: horizontal ? 'y' : 'x', plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } } },
});
const doughnut = (labels, data, colors = COLORS) => ({ type: 'doughnut', data: { labels, datasets: [{ data, backgroundColor: colors }] }, options: { plugins: { legend: { position: 'right' } } } });

function kpi(label, value, sub, testid) {
  return h('div', { class: 'kpi', 'data-testid': testid }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

export async function dashboardView({ api, query }) {
  for (const c of charts) c.destroy();
  charts = [];
  const pending = [];
  const thisYear = Number(todayShanghai().slice(0, 4));
  const year = Number(query.get('year')) || thisYear;
  const [d, proposals] = await Promise.all([
    api(`/api/v1/stats/dashboard?year=${year}`),
    // The proposals' figures are a section of their own: a failure to read them leaves the rest of the dashboard.
    api(`/api/v1/stats/joint-proposals?year=${year}`).catch(() => null),
  ]);
  const out = h('div', {});

  const yearSelect = h('select', { 'data-testid': 'year', onchange: (e) => (location.hash = `#/dashboard?year=${e.target.value}`) });
  for (let y = Math.max(thisYear, year); y >= 2025; y--) yearSelect.append(h('option', { value: y, selected: y === year }, `${y} 年`));
  const exportOf = (what) => async () => {
    try {
      await download(await api.raw(`/api/v1/${what}/export.csv?from=${year}-01-01&to=${year}-12-31`), `${what}-${year}.csv`);
    } catch (err) {
      out.prepend(problemBox(err));
    }
  };
  out.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', { 'data-testid': 'jurisdiction' }, `${d.jurisdiction.name} · ${d.year} 年度监督概况`),
      h('span', { class: 'spacer' }),
      h('label', {}, '年度', yearSelect),
      h('button', { type: 'button', onclick: exportOf('flags') }, '导出违规标记表格'),
      h('button', { type: 'button', onclick: exportOf('inspections') }, '导出行政检查表格'),
    ),
  );

  const joint = d.jointRate;
  const referrals = d.overdueReferrals;
  out.append(
    h(
      'div',
      { class: 'kpis' },
      kpi('行政检查', String(d.inspections.total), '已获取检查码或已实施', 'kpi-inspections'),
      kpi('亮码率', fmtPct(d.scanRate.rate), `${d.scanRate.scanned} / ${d.scanRate.withCode} 次现场检查已扫码`, 'kpi-scan'),
      kpi('综合查一次比例', fmtPct(joint.rate), `${joint.jointVisits} / ${joint.onsiteVisits} 次现场检查`, 'kpi-joint'),
      kpi('违规标记', String(d.flags.total), `待处理 ${d.flags.open} 条`, 'kpi-flags'),
      kpi('逾期移送', String(referrals.overdue), `本年移送 ${referrals.total} 件`, 'kpi-referrals'),
      kpi('计划报送', `${d.plans.onTime + d.plans.late} / ${d.plans.agencies}`, `按时 ${d.plans.onTime} · 逾期 ${d.plans.late} · 未报送 ${d.plans.missing}`, 'kpi-plans'),
    ),
  );

  if (proposals) out.append(proposalFigures(proposals));

  const byAgency = top(d.inspections.byAgency);
  const period = `from=${year}-01-01&to=${year}-12-31`;
  const flagRules = top(d.flags.byRule, 12);
  const flagAgencies = top(d.flags.byAgency);
  out.append(
    h(
      'div',
      { class: 'charts' },
      chart(pending, '检查类型', 'chart-kind', doughnut(d.inspections.byKind.map((k) => k.kindZh), d.inspections.byKind.map((k) => k.count)), null, (i) => `#/inspections?kind=${d.inspections.byKind[i].kind}&${period}`),
      chart(pending, '各单位检查次数（前 10）', 'chart-agency', bar(byAgency.map((a) => a.agencyName), byAgency.map((a) => a.count), '检查次数', true), null, (i) => `#/inspections?agency=${byAgency[i].agencyCode}&${period}`),
      chart(pending, '违规标记 · 按规则', 'chart-flag-rule', bar(flagRules.map((r) => `${r.titleZh}`), flagRules.map((r) => r.count), '标记数', true), null, (i) => `#/flags?rule=${flagRules[i].rule}&${period}`),
      chart(pending, '违规标记 · 按单位（前 10）', 'chart-flag-agency', bar(flagAgencies.map((a) => a.agencyName ?? '未指明单位'), flagAgencies.map((a) => a.count), '标记数', true), null, (i) => (flagAgencies[i].agencyCode ? `#/flags?agency=${flagAgencies[i].agencyCode}&${period}` : null)),
      chart(pending, '亮码率（第十七条）', 'chart-scan', doughnut(['已扫码', '未扫码'], [d.scanRate.scanned, d.scanRate.withCode - d.scanRate.scanned], [COLORS[1], COLORS[3]])),
      chart(
        pending,
        '综合查一次（第二十六条）',
        'chart-joint',
        doughnut(['联合检查', '单独检查'], [joint.jointVisits, joint.onsiteVisits - joint.jointVisits], [COLORS[0], COLORS[7]]),
      ),
      chart(
        pending,
        '移送（第二十三条）',
        'chart-referrals',
        doughnut(['逾期', '按期或未到期'], [referrals.overdue, referrals.total - referrals.overdue], [COLORS[3], COLORS[1]]),
        referrals.total ? null : '本年度暂无移送。',
      ),
      chart(
        pending,
        '年度检查计划报送（第十三条，按本单位报送日期）',
        'chart-plans',
        doughnut(['按时报送', '逾期报送', '未报送'], [d.plans.onTime, d.plans.late, d.plans.missing], [COLORS[1], COLORS[2], COLORS[3]]),
        bureauNote(d.plans.bureau),
      ),
    ),
  );

  if (d.plans.missingAgencies.length) {
    const list = top(d.plans.missingAgencies, 15);
    out.append(
      h(
        'section',
        { class: 'card', style: 'margin-top:1rem' },
        h('h2', {}, `尚未报送年度计划的单位（${d.plans.missing} 个${d.plans.missing > list.length ? `，列出前 ${list.length} 个` : ''}）`),
        h('p', { class: 'muted' }, list.map((a) => a.agencyName).join('、')),
      ),
    );
  }
  out.mounted = () => pending.forEach((fn) => fn());
  out.dataset.testid = 'dashboard';
  return out;
}

/** A figure that is a link to the rows it counts (issue 26: the numbers behind each figure one click away). */
function linkedKpi(label, value, sub, testid, href) {
  return h('a', { class: 'kpi kpi-link', href, 'data-testid': testid }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

/**
 * 联合检查建议 (Art. 26–28): proposals made, accepted, declined and lapsed (counted per unit), the visits
 * avoided and the visits per enterprise in the year; each opens the rows behind it.
 */
function proposalFigures(s) {
  const sum = (m) => s.counts.reduce((n, r) => n + r[m], 0);
  const q = (tab, extra = {}) => `#/proposals?${new URLSearchParams({ tab, year: String(s.year), ...extra })}`;
  const dist = (d) => `中位数 ${d.p50} · 第99百分位 ${d.p99} · 最多 ${d.max}`;
  return h(
    'section',
    { class: 'card', 'data-testid': 'proposal-figures', style: 'margin-bottom:1rem' },
    h('h2', {}, '联合检查建议（第二十六条至第二十八条，按参与单位计，点击查看明细）'),
    h(
      'div',
      { class: 'kpis' },
      linkedKpi('提出', String(sum('made')), '各单位收到的建议', 'kpi-proposals-made', q('counts', { measure: 'made' })),
      linkedKpi('接受', String(sum('accepted')), '单位接受并派出人员', 'kpi-proposals-accepted', q('counts', { measure: 'accepted' })),
      linkedKpi('拒绝', String(sum('declined')), '协同单位选择理由拒绝', 'kpi-proposals-declined', q('counts', { measure: 'declined' })),
      linkedKpi('逾期未答复', String(sum('lapsed')), '答复期限内未答复', 'kpi-proposals-lapsed', q('counts', { measure: 'lapsed' })),
      linkedKpi('减少入企次数', String(s.visitsAvoided), `${s.avoidedRows.length} 次联合检查代替分别入企`, 'kpi-visits-avoided', q('avoided')),
      linkedKpi('每家企业年度入企次数', `${s.perEnterprise.after.p50} / ${s.perEnterprise.after.p99} / ${s.perEnterprise.after.max}`, `实际入企：${dist(s.perEnterprise.after)}；按单位分别计：${dist(s.perEnterprise.before)}`, 'kpi-visits-per-enterprise', q('enterprises')),
    ),
  );
}

/** The bureau's own queue and pace (Art. 14 ¶1), said as the bureau's, never as the agencies' lateness. */
function bureauNote(b) {
  const parts = [];
  if (b.pending) parts.push(`${b.pending} 份计划已报送、待司法行政部门备案${b.pendingPastDeadline ? '（已过3月31日）' : ''}，见“计划备案”`);
  if (b.filedAfterDeadline) parts.push(`${b.filedAfterDeadline} 份按时报送的计划由司法行政部门于3月31日后备案`);
  return parts.length ? `${parts.join('；')}。以上为备案机关的进度，不计为执法主体逾期。` : null;
}
