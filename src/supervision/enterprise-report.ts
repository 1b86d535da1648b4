import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, not, notInArray, sql } from 'drizzle-orm';
import { underOrderSql } from '../visits/order-scope.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { enterpriseReportPhotos, enterpriseReports, flags, inspectionCodes, inspections } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { raiseFlag, type FlagInput } from '../flags/raise.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import { isOutOfArea, isOutsideWuhan } from '../registry/territory.js';
import { ruleArticle, ruleDef, type RuleId } from '../rules/catalog.js';
import { SCOPE_EFFECTIVE_DATE } from '../rules/declarations/scope.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { caseVisitsAt } from './case-visits.js';
import { decodePhoto, type PhotoType } from './photo.js';
import type { ReportSettings } from './report-settings.js';
import { shanghaiDateTimeText } from './shanghai-time.js';

/**
 * 企业报告 (Art. 40): an enterprise reports a visit. A visit that no valid inspection code covered, and that
 * the agency did not record as an on-site case inspection (which needs no code: Art. 17 covers routine and
 * special inspections only; case-visits.ts) nor as outside the Order, is an on-site inspection without a code
 * (Art. 17). A disguised inspection (Art. 40(5): 以观摩、督导、考察等名义行检查之实) needs a sign of the label,
 * which only the enterprise saw: it is raised when the enterprise ticks `disguised_label`; each prohibition
 * the enterprise ticks raises its own flag. Everything — the report, its photo, its flags and their audit
 * entries — is written in one transaction.
 */
export const PROHIBITIONS = {
  legal_rep_required: { rule: 'LEGAL_REP_REQUIRED', zh: '刻意要求法定代表人到场' },
  gifts_or_meals: { rule: 'PROFIT_SEEKING', zh: '索要或接受馈赠、宴请、报酬或由企业支付消费' },
  designated_intermediary: { rule: 'PROFIT_SEEKING', zh: '强制企业接受指定中介机构服务' },
  costs_shifted: { rule: 'COST_SHIFTED', zh: '将检验检测等检查费用转嫁给企业' },
  repeated_testing: { rule: 'REPEATED_TESTING', zh: '对同一产品或批次重复检验、检疫、检测或技术鉴定' },
  // Art. 40(5): the sign of a disguised inspection is the label the visitors gave it, which only the enterprise saw.
  disguised_label: { rule: 'DISGUISED_INSPECTION', zh: '以观摩、督导、考察等名义行检查之实' },
} as const satisfies Record<string, { rule: RuleId; zh: string }>;
export type Prohibition = keyof typeof PROHIBITIONS;

export interface ReportInput {
  visitedAt: string;
  agencyText?: string;
  agencyCode?: string;
  description: string;
  codeShown?: string;
  photo?: { contentType: PhotoType; dataBase64: string };
  prohibitions?: Prohibition[];
}

export type EnterpriseReport = typeof enterpriseReports.$inferSelect;

// Art. 43: the regulation governs visits from the day it took effect.

/**
 * Codes that authorised a visit to `enterprise` at `at`: the code was issued before the visit (Art. 17(1):
 * 检查前获取检查码 — a code issued later covers nothing earlier, even when its window began earlier), its
 * window covers the moment and it was not revoked (active, or closed after the visit). When the enterprise
 * names the agency, the code must name it too (a joint visit's code names every agency).
 */
export async function validCodesAt(tx: Db, enterprise: string, at: Date, agencyCode?: string): Promise<string[]> {
  const rows = await tx
    .select({ code: inspectionCodes.code })
    .from(inspectionCodes)
    .innerJoin(inspections, eq(inspections.id, inspectionCodes.inspectionId))
    .where(
      and(
        eq(inspections.enterpriseCode, enterprise),
        lte(inspectionCodes.issuedAt, at),
        lte(inspectionCodes.validFrom, at),
        gte(inspectionCodes.validTo, at),
        inArray(inspectionCodes.state, ['active', 'closed']),
        agencyCode ? sql`${inspectionCodes.facts}->'agencies' @> ${JSON.stringify([agencyCode])}::jsonb` : undefined,
      ),
    )
    .orderBy(asc(inspectionCodes.code));
  return rows.map((r) => r.code);
}

/** The settings' names, for messages that name the setting a refusal comes from (not the Order). */
const SETTING = { photosPerDay: 'REPORT_PHOTOS_PER_DAY', photoBytesPerDay: 'REPORT_PHOTO_BYTES_PER_DAY', photoMaxBytes: 'REPORT_PHOTO_MAX_BYTES', maxFlagsPerReport: 'REPORT_MAX_FLAGS' } as const;

/** The visit a report is about, for "one report per visit": the code that covered it, else the agency named, on one Beijing day. */
function visitKey(validCode: string | null, agencyCode: string | null, agencyText: string | null): string {
  return validCode ? `code:${validCode}` : agencyCode ? `agency:${agencyCode}` : `text:${(agencyText ?? '').replace(/\s+/g, '')}`;
}

async function sameVisitReport(tx: Db, enterprise: string, visitedAt: Date, key: string): Promise<string | null> {
  const day = shanghaiDate(visitedAt);
  const rows = await tx
    .select({ id: enterpriseReports.id, validCode: enterpriseReports.validCode, agencyCode: enterpriseReports.agencyCode, agencyText: enterpriseReports.agencyText, visitedAt: enterpriseReports.visitedAt })
    .from(enterpriseReports)
    .where(and(eq(enterpriseReports.enterpriseCode, enterprise), sql`(${enterpriseReports.visitedAt} AT TIME ZONE 'Asia/Shanghai')::date = ${day}::date`));
  return rows.find((r) => visitKey(r.validCode, r.agencyCode, r.agencyText) === key)?.id ?? null;
}

/** REPORT_PHOTOS_PER_DAY and REPORT_PHOTO_BYTES_PER_DAY, per enterprise and Beijing day. */
async function assertPhotoQuota(tx: Db, enterprise: string, at: Date, bytes: number, limits: ReportSettings): Promise<void> {
  const [used] = await tx
    .select({ count: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(${enterpriseReports.photoBytes}), 0)::bigint` })
    .from(enterpriseReports)
    .where(
      and(
        eq(enterpriseReports.enterpriseCode, enterprise),
        isNotNull(enterpriseReports.photoBytes),
        sql`(${enterpriseReports.createdAt} AT TIME ZONE 'Asia/Shanghai')::date = ${shanghaiDate(at)}::date`,
      ),
    );
  const count = Number(used?.count ?? 0);
  const total = Number(used?.bytes ?? 0);
  if (count + 1 > limits.photosPerDay || total + bytes > limits.photoBytesPerDay) {
    throw new DomainError(
      'REPORT_PHOTO_QUOTA',
      `本企业今日已上传 ${count} 张照片（本系统设置 ${SETTING.photosPerDay} 为每日 ${limits.photosPerDay} 张、${SETTING.photoBytesPerDay} 为每日 ${Math.floor(limits.photoBytesPerDay / 1048576)} MB），请不附照片报告，或次日再补充`,
      { field: 'body.photo' },
    );
  }
}

/**
 * The open flag of `rule` this enterprise's reports already raised against the same agency, if any: a new
 * report of the same rule joins it (grouped) instead of raising another.
 */
async function openReportFlag(tx: Db, f: FlagInput, agencyText: string | null): Promise<string | null> {
  const [row] = await tx
    .select({ id: flags.id })
    .from(flags)
    .where(
      and(
        eq(flags.rule, f.rule),
        eq(flags.subjectType, 'enterprise_report'),
        eq(flags.occurrence, f.occurrence ?? ''),
        eq(flags.enterpriseCode, f.enterpriseCode ?? ''),
        inArray(flags.state, ['open', 'acknowledged']),
        f.agencyCode ? eq(flags.agencyCode, f.agencyCode) : and(isNull(flags.agencyCode), sql`${flags.evidence}->>'agencyText' = ${agencyText ?? ''}`),
      ),
    )
    .orderBy(asc(flags.raisedAt))
    .limit(1);
  return row?.id ?? null;
}

/** An inspection the engine recorded as outside the Order (Art. 2 ¶2, 4 ¶2) at the enterprise covering `at`, if any. */
async function outsideOrderVisitAt(tx: Db, enterprise: string, at: Date, agencyCode?: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: inspections.id })
    .from(inspections)
    .where(
      and(
        eq(inspections.enterpriseCode, enterprise),
        not(underOrderSql()),
        notInArray(inspections.state, ['draft', 'cancelled', 'merged']),
        lte(inspections.windowStart, at),
        gte(inspections.windowEnd, at),
        agencyCode ? eq(inspections.agencyCode, agencyCode) : undefined,
      ),
    )
    .limit(1);
  return row?.id;
}

/**
 * Art. 40(7) excepts food, drugs and like products (直接涉及人民群众健康的食品药品等产品): a visit matched to a
 * recorded inspection (by its valid code, or a recorded case inspection) whose matters are all food or drugs on
 * the agency's published list is one where a repeated test is not forbidden.
 */
async function foodDrugVisit(tx: Db, validCode: string | null, caseInspectionId: string | undefined): Promise<boolean> {
  let inspectionId = caseInspectionId;
  if (!inspectionId && validCode) {
    const [code] = await tx.select({ inspectionId: inspectionCodes.inspectionId }).from(inspectionCodes).where(eq(inspectionCodes.code, validCode)).limit(1);
    inspectionId = code?.inspectionId ?? undefined;
  }
  if (!inspectionId) return false;
  const [i] = await tx.select({ agencyCode: inspections.agencyCode, matterCodes: inspections.matterCodes, countedDate: inspections.countedDate }).from(inspections).where(eq(inspections.id, inspectionId)).limit(1);
  if (!i || i.matterCodes.length === 0) return false;
  for (const c of i.matterCodes) if (!(await publishedMatterOn(tx, i.agencyCode, c, i.countedDate))?.foodDrug) return false;
  return true;
}

export async function fileEnterpriseReport(tx: Db, { at, audit }: CommandScope, actor: Principal, input: ReportInput, limits: ReportSettings) {
  const enterprise = await findEnterprise(tx, actor.creditCode ?? '');
  if (!enterprise) throw new DomainError('REFERENCE_INVALID', '本企业尚未登记，不能报告（请联系司法行政部门）');
  const visitedAt = new Date(input.visitedAt);
  if (visitedAt > at) throw DomainError.field('body.visitedAt', '检查时间不能晚于当前时间');
  const inForce = SCOPE_EFFECTIVE_DATE({ date: shanghaiDate(visitedAt) }); // Art. 43, the same check as for an inspection
  if (!inForce.passed) throw DomainError.fromRules([inForce]);
  const agencyText = input.agencyText?.trim() || null;
  if (!agencyText && !input.agencyCode) throw DomainError.field('body.agencyText', '请填写检查单位（告知的名称或单位代码）');
  const agency = input.agencyCode ? await findAgency(tx, input.agencyCode) : undefined;
  if (input.agencyCode && !agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`);
  const photo = input.photo ? decodePhoto(input.photo) : undefined;
  if (photo && photo.data.length > limits.photoMaxBytes) {
    throw DomainError.field('body.photo.dataBase64', `照片不得超过 ${Math.floor(limits.photoMaxBytes / 1024)} KB（本系统设置 ${SETTING.photoMaxBytes}）`, 'PAYLOAD_TOO_LARGE');
  }
  if (photo) await assertPhotoQuota(tx, enterprise.creditCode, at, photo.data.length, limits);
  const codeShown = input.codeShown?.trim().toUpperCase() || null;
  const prohibitions = [...new Set(input.prohibitions ?? [])];

  // A visit is matched to a code or a recorded case inspection only by what identifies its agency: the agency
  // the enterprise picked, or the code it was shown. Visitors named only in free text cannot be told apart from
  // another agency's authorised visit the same hour, so that visit vouches for nothing and the flags follow.
  const candidates = agency || codeShown ? await validCodesAt(tx, enterprise.creditCode, visitedAt, agency?.code) : [];
  const shownValid = codeShown && candidates.includes(codeShown) ? codeShown : null;
  const validCode = shownValid ?? (agency ? (candidates[0] ?? null) : null);
  const recordedCase = validCode || !agency ? undefined : (await caseVisitsAt(tx, enterprise.creditCode, visitedAt, agency.code))[0];
  // A visit the engine recorded as outside the Order (matched the same way, by the agency picked) is no disguise.
  const outsideVisit = validCode || recordedCase || !agency ? undefined : await outsideOrderVisitAt(tx, enterprise.creditCode, visitedAt, agency.code);
  // One report per visit: a second about the same visit points at the first instead of raising its flags again.
  const earlier = await sameVisitReport(tx, enterprise.creditCode, visitedAt, visitKey(validCode, agency?.code ?? null, agencyText));
  if (earlier) {
    throw new DomainError('REPORT_DUPLICATE_VISIT', `本企业已报告过${shanghaiDate(visitedAt)}这次检查，请查看原报告（编号 ${earlier}），不必重复报告`, { reportId: earlier });
  }

  const id = randomUUID();
  const [report] = await tx
    .insert(enterpriseReports)
    .values({
      id,
      enterpriseCode: enterprise.creditCode,
      districtCode: enterprise.districtCode,
      visitedAt,
      agencyText,
      agencyCode: agency?.code ?? null,
      description: input.description,
      codeShown,
      prohibitions,
      validCode,
      caseInspectionId: recordedCase?.inspectionId ?? null,
      photoContentType: photo?.contentType ?? null,
      photoBytes: photo?.data.length ?? null,
      photoSha256: photo?.sha256 ?? null,
      createdBy: actor.sub,
      createdAt: at,
    })
    .returning();
  if (photo) await tx.insert(enterpriseReportPhotos).values({ reportId: id, data: photo.data });

  const who = agency?.name ?? agencyText ?? '';
  const when = shanghaiDateTimeText(visitedAt).slice(0, 16);
  const base = { subjectType: 'enterprise_report', subjectId: id, agencyCode: agency?.code ?? null, enterpriseCode: enterprise.creditCode, districtCode: enterprise.districtCode };
  const evidence = { reportId: id, visitedAt: visitedAt.toISOString(), agencyText, agencyCode: agency?.code ?? null, codeShown, photoSha256: photo?.sha256 ?? null };
  const toRaise: FlagInput[] = [];
  // A visit the engine recorded as outside the Order (Art. 2 ¶2, 4 ¶2) needs no code and is not an inspection
  // under it: neither a code-less inspection nor a disguised one. Its declaration is the supervisors' to weigh.
  if (!validCode && !recordedCase && !outsideVisit) {
    const observed = { codeShown, validCodes: 0 };
    const limit = '检查时间与对象均相符的有效检查码';
    toRaise.push({ ...base, rule: 'ONSITE_WITHOUT_CODE', observed, limit, detail: `${enterprise.name}报告：${when}${who}现场检查未出示有效检查码${codeShown ? `（出示的 ${codeShown} 无效）` : ''}`, evidence });
    // Art. 12, 40(9): a named agency from outside the enterprise's territory came without a code, so without
    // the assistance arrangement the code guard requires: the detector half of CROSS_REGION_NO_ASSISTANCE.
    if (agency) {
      const agencyPlace = { level: agency.level, districtCode: agency.districtCode, outsideWuhan: await isOutsideWuhan(tx, agency.districtCode) };
      const enterprisePlace = { districtCode: enterprise.districtCode, outsideWuhan: await isOutsideWuhan(tx, enterprise.districtCode), premisesDistrictCodes: enterprise.premisesDistrictCodes };
      if (isOutOfArea(agencyPlace, enterprisePlace)) {
        toRaise.push({
          ...base,
          rule: 'CROSS_REGION_NO_ASSISTANCE',
          observed: { agencyDistrict: agency.districtCode, enterpriseDistrict: enterprise.districtCode, validCodes: 0 },
          limit: '异地检查按异地协助机制实施并获取检查码',
          detail: `${enterprise.name}报告：${when}${who}到辖区以外的本企业（${enterprise.districtCode}）检查，没有记录异地协助安排的有效检查码，涉嫌违规实施异地检查（第十二条、第四十条第（九）项）`,
          evidence,
        });
      }
    }
  }
  // Art. 40(7): repeated testing is forbidden except of food, drugs and like products; the answer says why no flag.
  const notesZh: string[] = [];
  const foodDrug = prohibitions.includes('repeated_testing') && (await foodDrugVisit(tx, validCode, recordedCase?.inspectionId));
  if (foodDrug) notesZh.push('该次检查的事项均为食品药品等直接涉及人民群众健康的产品，第四十条第（七）项禁止重复检验检测的规定不适用于此类产品，故不作重复检测标记');
  for (const key of prohibitions) {
    const p = PROHIBITIONS[key];
    if (key === 'repeated_testing' && foodDrug) continue;
    // Art. 40(5) is about a visit held out as something other than an inspection; one the engine recorded as
    // outside the Order was declared as such, and that declaration is weighed apart (not a disguise the enterprise could see).
    if (key === 'disguised_label' && outsideVisit) continue;
    toRaise.push({ ...base, rule: p.rule, occurrence: key, observed: key, limit: '第四十条禁止行为', detail: `${enterprise.name}报告：${when}${who}检查时${p.zh}`, evidence });
  }
  // REPORT_MAX_FLAGS: the rules beyond the bound are named in the last flag raised, not raised on their own.
  const kept = toRaise.slice(0, limits.maxFlagsPerReport);
  const beyond = toRaise.slice(limits.maxFlagsPerReport);
  if (beyond.length) {
    const last = kept[kept.length - 1]!;
    const also = beyond.map((f) => (f.occurrence && f.occurrence in PROHIBITIONS ? PROHIBITIONS[f.occurrence as Prohibition].zh : ruleDef(f.rule).titleZh));
    kept[kept.length - 1] = {
      ...last,
      detail: `${last.detail}；同一报告另称：${also.join('；')}（每份报告至多单独标记 ${limits.maxFlagsPerReport} 项，本系统设置 ${SETTING.maxFlagsPerReport}）`,
      evidence: { ...last.evidence, alsoReported: beyond.map((f) => ({ rule: f.rule, occurrence: f.occurrence ?? '' })) },
    };
  }
  const raised: { rule: RuleId; article: string; flagId: string }[] = [];
  const grouped: { rule: RuleId; article: string; flagId: string }[] = [];
  for (const f of kept) {
    // One enterprise against one agency: while a flag of this rule is open, the report joins it.
    const open = await openReportFlag(tx, f, agencyText);
    if (open) {
      await tx
        .update(flags)
        .set({ evidence: sql`jsonb_set(${flags.evidence}, '{groupedReports}', coalesce(${flags.evidence}->'groupedReports', '[]'::jsonb) || ${JSON.stringify([id])}::jsonb)` })
        .where(eq(flags.id, open));
      grouped.push({ rule: f.rule, article: ruleArticle(f.rule), flagId: open });
      continue;
    }
    const flagId = await raiseFlag(tx, at, { sub: actor.sub, role: actor.role }, f);
    if (flagId) raised.push({ rule: f.rule, article: ruleArticle(f.rule), flagId });
  }
  await audit({
    action: 'enterprise_report.filed',
    subjectType: 'enterprise_report',
    subjectId: id,
    agencyCode: agency?.code ?? null,
    enterpriseCode: enterprise.creditCode,
    districtCode: enterprise.districtCode,
    payload: { ...evidence, prohibitions, validCode, caseInspectionId: recordedCase?.inspectionId ?? null, photoBytes: photo?.data.length ?? null, flags: raised.map((r) => r.rule), groupedInto: grouped.map((g) => g.flagId) },
  });
  return { report: report!, flags: raised, grouped, notesZh };
}
