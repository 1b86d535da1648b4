import { createHash } from 'node:crypto';
import { checkCreditCode } from '../registry/credit-code.js';
import { REGULATION_EFFECTIVE } from '../rules/declarations/scope.js';
import { shanghaiDate } from '../time/shanghai-date.js';

/**
 * One imported inspection as the platform reports it (Art. 24, 29), validated in shape before the
 * registry is consulted. Inspectors are not part of a row: who inspected stays on the platform (Art. 8),
 * and the engine needs only the facts that caps, coordination and supervision read.
 */
export interface ImportRow {
  sourceId: string;
  agencyCode: string;
  enterpriseCode: string;
  kind: 'routine' | 'special' | 'case';
  mode: 'onsite' | 'offsite';
  matterCodes: string[];
  windowStart: string;
  windowEnd: string;
  /** The inspection code the platform issued (Art. 17); absent on an on-site routine or special inspection, it is flagged. */
  sourceCode: string | null;
  /** The result as the platform recorded it (Art. 20), for results recognised (Art. 24). */
  outcome: 'no_violation' | 'stop_order' | 'rectification' | 'penalty_referral' | null;
  /** Whether the inspection tested samples (检验检测): a later test of the same matter repeats it (Art. 40(7)). */
  sampled: boolean;
  /**
   * The product (产品) and batch (批次) a sampled row tested, for REPEATED_TESTING (Art. 40(7)): without a product a
   * platform's test proves no repeat. Absent otherwise (so a resend of an older row hashes as before).
   */
  sampledProduct?: string;
  sampledBatch?: string;
  /**
   * A “综合查一次” joint visit (Art. 26, 29) recorded on the platform: the row's agency is the lead unit (发起单位)
   * and these are the cooperating units (协同单位), each with its own matters and optionally its own result.
   * Empty for a single inspection.
   */
  cooperating: CooperatingPart[];
  /**
   * Art. 15 (上级主管部门部署的专项检查计划，不纳入年度检查频次): for a special inspection, the upper authority whose
   * deployment it executes, as the platform records it; such a row counts toward no cap. Absent otherwise (so a
   * resend of an older row hashes as before).
   */
  deployedBy?: string;
}

export interface CooperatingPart {
  agencyCode: string;
  matterCodes: string[];
  outcome: ImportRow['outcome'];
}

export interface FieldProblem {
  field: string;
  message: string;
}

const KINDS = ['routine', 'special', 'case'] as const;
const MODES = ['onsite', 'offsite'] as const;
const OUTCOMES = ['no_violation', 'stop_order', 'rectification', 'penalty_referral'] as const;
const FIELDS = new Set(['sourceId', 'agencyCode', 'enterpriseCode', 'kind', 'mode', 'matterCodes', 'windowStart', 'windowEnd', 'sourceCode', 'outcome', 'sampled', 'sampledProduct', 'sampledBatch', 'cooperating', 'deployedBy']);
const MAX_COOPERATING = 20;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;

function text(v: unknown, field: string, problems: FieldProblem[], max = 100, required = true): string | null {
  if (v === undefined || v === null || v === '') {
    if (required) problems.push({ field, message: '必填' });
    return null;
  }
  if (typeof v !== 'string' || v.length > max || /[\u0000-\u001f\u007f]/.test(v)) {
    problems.push({ field, message: `应为不超过 ${max} 个字符的文本` });
    return null;
  }
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[], problems: FieldProblem[], required = true): T | null {
  if (v === undefined || v === null || v === '') {
    if (required) problems.push({ field, message: '必填' });
    return null;
  }
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    problems.push({ field, message: `应为 ${allowed.join('、')} 之一` });
    return null;
  }
  return v as T;
}

function instant(v: unknown, field: string, problems: FieldProblem[]): Date | null {
  if (typeof v !== 'string' || !ISO_INSTANT.test(v) || Number.isNaN(new Date(v).getTime())) {
    problems.push({ field, message: '应为带时区的时刻，如 2026-04-08T09:00:00+08:00' });
    return null;
  }
  return new Date(v);
}

/** The row's shape: the normalised row, or every field that is wrong. */
export function checkRowShape(value: Record<string, unknown>): { row: ImportRow } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(value)) if (!FIELDS.has(key)) problems.push({ field: key, message: '不是可报送的字段' });
  const sourceId = text(value.sourceId, 'sourceId', problems);
  const agencyCode = text(value.agencyCode, 'agencyCode', problems, 64);
  const enterpriseCode = text(value.enterpriseCode, 'enterpriseCode', problems, 18);
  if (enterpriseCode) {
    const check = checkCreditCode(enterpriseCode);
    if (!check.valid) problems.push({ field: 'enterpriseCode', message: `统一社会信用代码${check.reason}` });
  }
  const kind = oneOf(value.kind, 'kind', KINDS, problems);
  const mode = oneOf(value.mode, 'mode', MODES, problems);
  const outcome = oneOf(value.outcome, 'outcome', OUTCOMES, problems, false);
  const sourceCode = text(value.sourceCode, 'sourceCode', problems, 100, false);
  // CSV carries it as text.
  const sampledRaw = value.sampled;
  const sampled = sampledRaw === true || sampledRaw === 'true';
  if (sampledRaw !== undefined && sampledRaw !== null && sampledRaw !== true && sampledRaw !== false && sampledRaw !== 'true' && sampledRaw !== 'false') {
    problems.push({ field: 'sampled', message: '应为布尔值（是或否）' });
  }
  const sampledProduct = text(value.sampledProduct, 'sampledProduct', problems, 200, false);
  const sampledBatch = text(value.sampledBatch, 'sampledBatch', problems, 100, false);
  if ((sampledProduct || sampledBatch) && !sampled) problems.push({ field: 'sampledProduct', message: '仅抽样检测的检查可载明检测的产品和批次' });
  const matters = value.matterCodes;
  let matterCodes: string[] = [];
  if (!Array.isArray(matters) || matters.length === 0 || matters.length > 50 || !matters.every((m) => typeof m === 'string' && m.length > 0 && m.length <= 64)) {
    problems.push({ field: 'matterCodes', message: '应列出 1 至 50 个检查事项代码' });
  } else matterCodes = [...new Set(matters as string[])].sort();
  const cooperating = cooperatingParts(value.cooperating, problems);
  if (cooperating.length) {
    if (agencyCode && cooperating.some((c) => c.agencyCode === agencyCode)) problems.push({ field: 'cooperating', message: '发起单位不应同时列为协同单位' });
    // A joint visit is an on-site routine or special inspection by several agencies at once (Art. 26, 30).
    if (kind === 'case' || mode === 'offsite') problems.push({ field: 'cooperating', message: '“综合查一次”联合检查应为现场日常检查或专项检查' });
  }
  const deployedBy = text(value.deployedBy, 'deployedBy', problems, 200, false);
  if (deployedBy && kind !== 'special') problems.push({ field: 'deployedBy', message: '仅专项检查可载明部署的上级主管部门（第十五条）' });
  if (sourceId && sourceId.includes(PART_SEPARATOR)) problems.push({ field: 'sourceId', message: `不应包含字符 ${PART_SEPARATOR}` });
  const start = instant(value.windowStart, 'windowStart', problems);
  const end = instant(value.windowEnd, 'windowEnd', problems);
  // Art. 43 (SCOPE_EFFECTIVE_DATE): the Order governs inspections from 2025-12-01, so an earlier one — or a
  // year-0001 window from a platform's default date — is not an inspection under it (issue 23).
  if (start && shanghaiDate(start) < REGULATION_EFFECTIVE) {
    problems.push({ field: 'windowStart', message: `早于本办法施行日期 ${REGULATION_EFFECTIVE}（第四十三条），不在本办法范围内` });
  }
  if (start && end && !(end > start)) problems.push({ field: 'windowEnd', message: '结束时间须晚于开始时间' });
  if (start && end && end.getTime() - start.getTime() > MAX_WINDOW_MS) problems.push({ field: 'windowEnd', message: '一次检查的时间窗口不得超过 31 天' });
  if (problems.length) return { problems };
  return {
    row: {
      sourceId: sourceId!,
      agencyCode: agencyCode!,
      enterpriseCode: enterpriseCode!,
      kind: kind!,
      mode: mode!,
      matterCodes,
      windowStart: start!.toISOString(),
      windowEnd: end!.toISOString(),
      sourceCode,
      outcome,
      sampled,
      ...(sampledProduct ? { sampledProduct } : {}),
      ...(sampledBatch ? { sampledBatch } : {}),
      cooperating,
      ...(deployedBy ? { deployedBy } : {}),
    },
  };
}

/**
 * A cooperating unit's part is stored as its own inspection row with source id `<row's source id>#<agency>`,
 * so the rows of one imported joint visit are found together and a plain row can never take a part's key.
 */
export const PART_SEPARATOR = '#';

export function partSourceId(sourceId: string, agencyCode: string): string {
  return `${sourceId}${PART_SEPARATOR}${agencyCode}`;
}

/**
 * `cooperating`: in NDJSON a list of `{agencyCode, matterCodes, outcome?}`; in CSV one cell
 * `agency:matter;matter[:outcome]|agency:matter` (units separated by `|`).
 */
function cooperatingParts(v: unknown, problems: FieldProblem[]): CooperatingPart[] {
  if (v === undefined || v === null || v === '') return [];
  let items: unknown = v;
  if (typeof v === 'string') {
    items = v.split('|').map((unit) => {
      const [agencyCode, matters, outcome] = unit.split(':').map((s) => s.trim());
      return { agencyCode, matterCodes: (matters ?? '').split(';').map((m) => m.trim()).filter(Boolean), ...(outcome ? { outcome } : {}) };
    });
  }
  const bad = (): CooperatingPart[] => {
    problems.push({ field: 'cooperating', message: `应列出 1 至 ${MAX_COOPERATING} 个协同单位，每个单位写明行政执法主体代码及 1 至 50 个检查事项代码` });
    return [];
  };
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_COOPERATING) return bad();
  const out: CooperatingPart[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return bad();
    const o = item as Record<string, unknown>;
    if (Object.keys(o).some((k) => !['agencyCode', 'matterCodes', 'outcome'].includes(k))) return bad();
    const m = o.matterCodes;
    if (typeof o.agencyCode !== 'string' || !/^[^\u0000-\u001f\u007f]{1,64}$/.test(o.agencyCode)) return bad();
    if (!Array.isArray(m) || m.length === 0 || m.length > 50 || !m.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 64)) return bad();
    const outcome = oneOf(o.outcome, 'cooperating', OUTCOMES, problems, false);
    out.push({ agencyCode: o.agencyCode, matterCodes: [...new Set(m as string[])].sort(), outcome });
  }
  if (new Set(out.map((c) => c.agencyCode)).size !== out.length) problems.push({ field: 'cooperating', message: '同一协同单位不应重复列出' });
  return out.sort((a, b) => a.agencyCode.localeCompare(b.agencyCode));
}

/** The row's content hash: a resent identical row changes nothing; a different one is a correction. */
export function rowHash(row: ImportRow): string {
  // A single inspection hashes as it did before joint visits could be reported: stored rows stay `unchanged`.
  const entries = Object.entries(row).filter(([k]) => !(k === 'cooperating' && row.cooperating.length === 0));
  const canonical = JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(canonical).digest('hex');
}
