/**
 * The Chinese names of the inspection terms the API takes as identifiers, served by GET /api/v1/labels
 * so the three front ends show the Order's words instead of hard-coding them each.
 */
import { ESCALATION_GROUNDS } from '../rules/escalation.js';
import { LEAD_KINDS_ZH } from '../rules/declarations/onsite.js';
import type { ItemResult, Method } from './findings-input.js';

export { KIND_ZH } from './documents.js';

/** Art. 11 ¶2: why an upper-level agency inspects instead of the lowest level, with the item cited. */
export const ESCALATION_GROUND_ZH: Record<string, string> = Object.fromEntries(Object.entries(ESCALATION_GROUNDS).map(([k, g]) => [k, `${g.zh}（${g.cite}）`]));

export const MODE_ZH: Record<string, string> = { onsite: '现场检查', offsite: '非现场检查' };

/** Art. 19 (一)–(七): the methods of an on-site inspection. */
export const METHOD_ZH: Record<string, string> = {
  statement: '听取企业情况说明',
  documents: '查阅、调取、复制相关资料',
  self_report: '审查企业自查报告',
  site_survey: '组织实地调查、勘查',
  sampling: '抽取样品检验检测',
  inquiry: '询问有关人员',
  other: '法律法规规章规定的其他方式',
} satisfies Record<Method, string>;

/** One checklist item's result (Art. 18(4)). */
export const ITEM_RESULT_ZH: Record<string, string> = { compliant: '符合', violation: '违法', not_applicable: '不适用' } satisfies Record<ItemResult, string>;

/** Art. 9, 13: where a case inspection's lead came from (one list: src/rules/declarations/onsite.ts). */
export const LEAD_KIND_ZH: Record<string, string> = LEAD_KINDS_ZH;

/** How the result reached the enterprise (Art. 18(5)). */
export const NOTIFY_METHOD_ZH: Record<string, string> = { written: '书面告知', electronic: '电子送达', on_site: '现场告知' };
