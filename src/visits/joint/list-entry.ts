import type { Db } from '../../db/client.js';
import { MatterUnpublished } from '../../rules/declarations/authority.js';
import type { JointListEntry } from '../../db/schema/index.js';
import { DomainError, type FieldError } from '../../errors/domain-error.js';
import { agencyNamesOf, findAgency } from '../../registry/agencies.repository.js';
import { publishedMatterOn } from '../../registry/matters.repository.js';

/**
 * What Art. 27 asks of every entry of a “综合查一次”事项清单: 明确各检查事项的发起单位和协同单位, 明确检查内容、
 * 检查依据、检查标准. Pure: the problems of an entry list, each naming the field, in a stable order. Messages
 * name agencies through `nameOf` (registered names, issue 11); without it they fall back to the code.
 */
export function entryProblems(entries: readonly JointListEntry[], nameOf: (agencyCode: string) => string = (c) => c): FieldError[] {
  const out: FieldError[] = [];
  const codes = new Set<string>();
  entries.forEach((e, i) => {
    const at = `body.entries[${i}]`;
    if (codes.has(e.code)) out.push({ field: `${at}.code`, message: `事项编号 ${e.code} 重复` });
    codes.add(e.code);
    const leads = e.units.filter((u) => u.role === 'lead');
    if (leads.length !== 1) out.push({ field: `${at}.units`, message: `须且只能明确一个发起单位（现有 ${leads.length} 个）` });
    if (!e.units.some((u) => u.role === 'cooperating')) out.push({ field: `${at}.units`, message: '须明确至少一个协同单位（联合检查涉及多个行政执法主体）' });
    const agencies = new Set<string>();
    e.units.forEach((u, k) => {
      if (agencies.has(u.agencyCode)) out.push({ field: `${at}.units[${k}].agencyCode`, message: `${nameOf(u.agencyCode)}重复列出` });
      agencies.add(u.agencyCode);
      if (new Set(u.matterCodes).size !== u.matterCodes.length) out.push({ field: `${at}.units[${k}].matterCodes`, message: '检查事项重复' });
    });
    e.items.forEach((item, k) => {
      const unit = e.units.find((u) => u.agencyCode === item.agencyCode);
      if (!unit) out.push({ field: `${at}.items[${k}].agencyCode`, message: `${nameOf(item.agencyCode)}不是本事项的发起或协同单位` });
      else if (!unit.matterCodes.includes(item.matterCode)) {
        out.push({ field: `${at}.items[${k}].matterCode`, message: `事项 ${item.matterCode} 不在${nameOf(item.agencyCode)}列明的检查事项中` });
      }
    });
    e.units.forEach((u, k) => {
      for (const m of u.matterCodes) {
        if (!e.items.some((item) => item.agencyCode === u.agencyCode && item.matterCode === m)) {
          out.push({ field: `${at}.units[${k}].matterCodes`, message: `${nameOf(u.agencyCode)}的事项 ${m} 没有列明检查内容和检查标准` });
        }
      }
    });
  });
  return out;
}

/** Throws the first problem as a 400 naming its field (the rest travel in `errors`). */
export async function assertEntries(db: Db, entries: readonly JointListEntry[]): Promise<void> {
  const nameOf = await agencyNamesOf(db, entries.flatMap((e) => [...e.units.map((u) => u.agencyCode), ...e.items.map((i) => i.agencyCode)]));
  const problems = entryProblems(entries, nameOf);
  if (problems.length > 0) throw new DomainError('VALIDATION', `字段 ${problems[0]!.field} 无效：${problems[0]!.message}`, { errors: problems });
}

/**
 * Art. 27 builds the list 根据行政检查事项清单: every unit is an agency (not a justice bureau) and every
 * matter is on that unit's published list on `day` (Art. 7).
 */
export async function assertEntriesResolvable(db: Db, entries: readonly JointListEntry[], day: string): Promise<void> {
  const unpublished: string[] = [];
  for (const [i, e] of entries.entries()) {
    for (const [k, u] of e.units.entries()) {
      const agency = await findAgency(db, u.agencyCode);
      if (!agency || agency.isJusticeBureau) {
        const why = agency ? `${agency.name}为司法行政部门，不实施本清单的行政检查` : `行政执法主体 ${u.agencyCode} 不存在`;
        throw DomainError.field(`body.entries[${i}].units[${k}].agencyCode`, why, 'REFERENCE_INVALID');
      }
      for (const m of u.matterCodes) if (!(await publishedMatterOn(db, u.agencyCode, m, day))) unpublished.push(`${agency.name}：${m}`);
    }
  }
  if (unpublished.length > 0) {
    throw DomainError.fromRules([
      MatterUnpublished.fail(unpublished, `published on ${day}`, `“综合查一次”事项须来自各单位已公布的行政检查事项清单，以下事项未公布：${unpublished.join('、')}（第七条、第二十七条）`),
    ]);
  }
}

/** The entry's unit for an agency, if it takes part. */
export const unitOf = (e: JointListEntry, agencyCode: string) => e.units.find((u) => u.agencyCode === agencyCode);
export const leadOf = (e: JointListEntry) => e.units.find((u) => u.role === 'lead')!;
