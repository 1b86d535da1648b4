// @ts-check
import { fmtTime, h } from '../assets/ui.js';

/**
 * What a rule observed, its limit and the records behind a flag, as a table a supervisor reads: Chinese names
 * for the keys the detectors write, Beijing time for instants, records as links. A key with no name yet is
 * shown as 其他记录 rather than as an English identifier.
 */
const KEY_ZH = {
  inspectionId: '行政检查', inspectionIds: '行政检查', referralId: '移送', firstReferralId: '首次移送', planId: '年度检查计划',
  jointTaskId: '综合查一次任务', state: '状态', planState: '计划状态', foundOn: '发现日期', checkedOn: '核查日期', dueDate: '期限',
  workingDays: '工作日数', others: '其他相关记录', entries: '记录', windowStart: '检查时间起', windowDays: '检查天数',
  submittedAt: '报送时间', sourceSystem: '来源系统', sourceId: '来源编号', sentOn: '移送日期', returnedAt: '退回时间',
  resultNotifiedAt: '告知结果时间', pendingPlannedTasks: '未执行的计划检查任务', frequencyRuleId: '频次规则',
  findingsAt: '记录检查情况时间', findingAgencyCode: '发现单位', competentAgencyCode: '有管辖权的单位', code: '检查码', by: '办理人',
  count: '次数', limit: '限度', max: '上限', scannedAt: '扫码时间', visitedAt: '检查时间', reportId: '企业报告', year: '年度',
  matterCodes: '检查事项', enterpriseCode: '企业', agencyCode: '行政执法主体', days: '天数', ratio: '比例', reason: '理由',
  followUpRecorded: '跟踪检查记录', validFrom: '生效时间', validTo: '失效时间', windowEnd: '检查时间止', issuedAt: '签发时间',
};
const LINKS = { inspectionId: '#/inspections/', inspectionIds: '#/inspections/', reportId: '#/reports/' };
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * @param {string} key
 * @param {unknown} value
 * @returns {any}
 */
function cell(key, value) {
  if (value === null || value === undefined || value === '') return '—';
  const link = /** @type {Record<string, string>} */ (LINKS)[key];
  if (Array.isArray(value)) {
    if (!value.length) return '无';
    return value.map((v, i) => [i ? '、' : '', typeof v === 'object' ? readableTable(v) : cell(key, v)]);
  }
  if (typeof value === 'object') return readableTable(/** @type {Record<string, unknown>} */ (value));
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return fmtTime(value);
  if (link && typeof value === 'string') return h('a', { href: `${link}${encodeURIComponent(value)}` }, '查看');
  return String(value);
}

/**
 * @param {unknown} value
 * @param {string} [testid]
 */
export function readableTable(value, testid) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, '—');
  if (typeof value !== 'object' || Array.isArray(value)) return h('span', {}, cell('', value));
  const entries = Object.entries(/** @type {Record<string, unknown>} */ (value));
  if (!entries.length) return h('span', { class: 'muted' }, '无');
  return h(
    'table',
    { class: 'readable', 'data-testid': testid },
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, /** @type {Record<string, string>} */ (KEY_ZH)[k] ?? '其他记录'), h('td', {}, cell(k, v))))),
  );
}

const DIGITS = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * 第四十条第（五）项 → 40: the article's number, to fetch its text.
 * @param {string} label
 */
export function articleNumber(label) {
  const m = /第([一二三四五六七八九十]+)条/.exec(label);
  if (!m) return null;
  const s = /** @type {string} */ (m[1]);
  const d = (/** @type {string | undefined} */ c) => (c ? /** @type {Record<string, number>} */ (DIGITS)[c] ?? 0 : 0);
  const ten = s.indexOf('十');
  if (ten < 0) return d(s[0]);
  return (ten === 0 ? 1 : d(s[0])) * 10 + d(s[ten + 1]);
}

/**
 * The article a flag cites, quoted in full under its number.
 * @param {any} api
 * @param {string} label
 */
export async function articleQuote(api, label) {
  const n = articleNumber(label);
  if (!n) return null;
  try {
    const a = await api(`/api/v1/regulation/articles/${n}`);
    return h('blockquote', { class: 'article', 'data-testid': 'article-text' }, h('strong', {}, a.label), ' ', a.text);
  } catch {
    return null;
  }
}
