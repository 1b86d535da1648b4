// @ts-check
import { ApiError, h } from '../assets/ui.js';
import { loadLabels } from '../shared/labels.js';

/**
 * Rule titles in Chinese by rule id (GET /api/v1/labels → rules), loaded before any view renders (the
 * shell awaits the labels): a screen names a rule by its title and article, never by its id (issue 24).
 * @type {Record<string, { title: string, article: string }>}
 */
const RULE_TITLES = {};
loadLabels().then((l) => Object.assign(RULE_TITLES, /** @type {any} */ (l).rules ?? {}), () => undefined);
/** @param {string} rule */
export const ruleTitle = (rule) => RULE_TITLES[rule]?.title ?? '规则检查';

/** Field paths of the API's 400s named as the forms name them (never `body.outcome.noticeNo`). */
/** @type {Record<string, string>} */
const FIELD_NAMES = {
  'outcome.noticeNo': '书面通知或决定文号',
  'outcome.dueDate': '停止或改正期限',
  'outcome.kind': '处理结果',
  methods: '检查方式',
  windowStart: '开始时间',
  windowEnd: '结束时间',
  inspectors: '检查人员',
  matterCodes: '检查事项',
  enterpriseCode: '检查对象',
  lateReason: '超时扫码的理由',
  failedChecksReason: '预检未通过仍提交的理由',
  reason: '理由',
  archiveRef: '档案号',
};
/** @param {string} path */
export const fieldName = (path) => {
  const p = path.replace(/^(body|querystring|params|header)\./, '');
  return FIELD_NAMES[p] ?? FIELD_NAMES[p.replace(/\.\d+.*$/, '')] ?? FIELD_NAMES[p.split('.')[0] ?? ''] ?? '填写的内容';
};

/**
 * What the officers' app shows for a refusal or a failed pre-check: the rule, its article, what the
 * engine observed and what to change. The hints name the form's own fields.
 */
/** @type {Record<string, string>} */
export const FIX_HINTS = {
  SCOPE_EFFECTIVE_DATE: '检查时间须在2025年12月1日之后。',
  MATTER_UNPUBLISHED: '只选择本单位已公布清单中的检查事项。',
  AGENCY_OUT_OF_AUTHORITY: '去掉超出本单位法定职责的检查事项。',
  // The Art. 11 guard accepts only an escalation ground (with its document where needed); an assistance arrangement is Art. 12's.
  JURISDICTION_TERRITORIAL: '该事项已列入企业所在区有管辖权单位当日公布的清单：改由该单位实施；市级单位确需实施的，选择提级实施的情形（第十一条第二款），指定、交办或上级规定的须填写文号。',
  CROSS_REGION_NO_ASSISTANCE: '填写异地协助安排（第十二条），或改由属地单位实施。',
  // Never suggest relabelling as a case inspection: a case inspection needs a lead of its own (Art. 9).
  ROUTINE_WITHOUT_PLAN: '日常检查须在已报送备案的年度计划范围内：核对检查事项、方式、对象和频次；计划为非现场检查方式而确需现场检查的，填写理由（第三十二条）；计划被退回或调整的，重新报送后实施。',
  SPECIAL_WITHOUT_APPROVAL: '选择经批准、备案并公布的专项检查计划。',
  CASE_WITHOUT_LEAD: '个案检查须有线索可查：选择线索来源并填写线索编号；其他线索须写明内容及出处（第九条）。',
  CASE_MERGEABLE: '与本单位尚未执行的计划检查合并实施。',
  FREQUENCY_CAP: '本年度对该企业的检查次数已达上限：改期或与其他检查合并。',
  NO_DISTURB: '该企业列入“无事不扰”清单：不实施现场日常检查，可改为非现场检查。',
  TEAM_TOO_SMALL: '增加一名持有执法证的检查人员，或填写少于两人的法律依据。',
  INSPECTOR_UNCERTIFIED: '为每名检查人员填写执法证号；无证人员不得参加检查。',
  ONSITE_WHEN_OFFSITE_SUFFICES: '可以非现场检查的事项改为非现场检查，或填写现场检查的理由（第三十二条）。',
  CODE_OUTSIDE_WINDOW: '在检查方案登记的时间内扫码；超时扫码须写明理由。',
  ONSITE_WITHOUT_APPROVAL: '先请单位负责人批准检查方案。',
  ONSITE_WITHOUT_CODE: '先获取检查码。',
  NOTICE_MISSING: '责令停止或改正的，填写书面通知文号和期限。',
  COST_SHIFTED: '抽样检测费用由实施检查的单位支付（第二十二条）。',
  REFERRAL_OVERDUE: '移送期限已过：立即移送并说明逾期原因。',
  REFERRAL_REFUSED: '有管辖权的单位应当接收移送；有管辖争议的，报请共同上级。',
  JOINT_TEAM_TOO_LARGE: '减少本单位派出的检查人员。',
};

/**
 * One rule result (from a pre-check or a refusal's violations) as a list item.
 * @param {{ rule: string, article: string, passed: boolean, detail?: string, observed?: unknown, limit?: unknown }} c
 * @param {string} [title]
 */
export function checkItem(c, title) {
  return h(
    'li',
    { class: c.passed ? 'pass' : 'fail', 'data-rule': c.rule, 'data-passed': String(c.passed) },
    h('div', {}, h('strong', {}, c.passed ? '✓ 通过' : '✗ 未通过'), ' ', title ?? ruleTitle(c.rule), ' · ', c.article),
    !c.passed && c.detail ? h('div', {}, c.detail) : null,
    !c.passed && FIX_HINTS[c.rule] ? h('div', { class: 'fix' }, `请修改：${FIX_HINTS[c.rule]}`) : null,
  );
}

/**
 * A refusal from the API: its title and detail, then every failed rule with its article and what to
 * change; a field error names the field.
 * @param {unknown} err
 */
export function refusalBox(err) {
  if (!(err instanceof ApiError)) return h('div', { class: 'alert error', role: 'alert' }, `出错了：${err instanceof Error ? err.message : String(err)}`);
  const p = err.problem;
  /** @type {{ rule: string, article: string, passed: boolean, detail?: string }[]} */
  const violations = Array.isArray(p.violations) ? p.violations : p.rule ? [{ rule: p.rule, article: p.article ?? '', passed: false, detail: p.detail }] : [];
  /** @type {{ field: string, message: string }[]} */
  const fields = Array.isArray(p.errors) ? p.errors : [];
  return h(
    'div',
    { class: 'alert error', role: 'alert', 'data-testid': 'problem', 'data-rule': p.rule ?? p.code ?? '' },
    h('strong', {}, p.title ?? '请求未通过'),
    // A field error's detail repeats the field's path; the list below names the field instead.
    p.detail && fields.length === 0 ? h('div', {}, p.detail) : null,
    p.article ? h('div', {}, `依据：${p.article}${p.rule ? `（${ruleTitle(p.rule)}）` : ''}`) : null,
    violations.length > 0 ? h('ul', { class: 'checks' }, violations.map((v) => checkItem({ ...v, passed: false }))) : null,
    fields.length > 0 ? h('ul', {}, fields.map((f) => h('li', {}, `${fieldName(f.field)}：${f.message}`))) : null,
  );
}

/**
 * Working days left until a due date, as a badge: overdue in red.
 * @param {string | null | undefined} due YYYY-MM-DD
 * @param {string} today YYYY-MM-DD
 * @param {string} [what]
 */
export function dueBadge(due, today, what = '期限') {
  if (!due) return null;
  const overdue = due < today;
  return h('span', { class: `due${overdue ? ' overdue' : ''}`, 'data-due': due }, `${what}：${due}${overdue ? '（已逾期）' : due === today ? '（今日到期）' : ''}`);
}

/**
 * A datetime-local value (Shanghai wall time) as an instant the API accepts.
 * @param {string} local e.g. 2026-04-08T09:00
 */
export const shanghaiInstant = (local) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '');

/** Caches names of agencies and enterprises for lists that carry only codes. */
export function nameBook(/** @type {import('../shared/shell.js').Api} */ api) {
  /** @type {Map<string, Promise<string>>} */
  const cache = new Map();
  /** @param {string} path @param {string} key */
  const get = (path, key) => {
    let p = cache.get(path);
    if (!p) {
      p = api(path).then((/** @type {any} */ r) => String(r?.name ?? key), () => key);
      cache.set(path, p);
    }
    return p;
  };
  return {
    /** @param {string} code */
    agency: (code) => get(`/api/v1/agencies/${encodeURIComponent(code)}`, code),
    /** @param {string} code */
    enterprise: (code) => get(`/api/v1/enterprises/${encodeURIComponent(code)}`, code),
  };
}
