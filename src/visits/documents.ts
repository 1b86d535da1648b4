import type { CodeFacts } from '../codes/facts.js';
import type { Db } from '../db/client.js';
import { qrCheckUrl } from '../codes/signed-code.js';
import { noticeDocumentNo, type NoticeInput } from '../codes/notice-pdf.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { publishedMatterOn } from '../registry/matters.repository.js';
import { codeOfInspection, type Inspection, type InspectionCode } from './repository.js';

export const KIND_ZH: Record<string, string> = { routine: '日常检查', special: '专项检查', case: '个案检查', joint: '综合查一次联合检查' };

/** 2026-04-08T01:00:00Z → 2026年4月8日 09:00 (Asia/Shanghai) */
function zhDateTime(d: Date): { date: string; time: string } {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return { date: `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日`, time: s.slice(11, 16) };
}

/** The complaint contacts of the agencies on a notice, from their registry rows (those that recorded one). */
export async function complaintContactsOf(db: Db, agencyCodes: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const code of agencyCodes) {
    const contact = (await findAgency(db, code))?.complaintContact;
    if (contact) out.push(contact);
  }
  return out;
}

/** The year of an instant in Asia/Shanghai (the notice's year of issue). */
export const shanghaiYear = (d: Date): number => Number(new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 4));

export function windowText(from: Date, to: Date): string {
  const a = zhDateTime(from);
  const b = zhDateTime(to);
  return a.date === b.date ? `${a.date} ${a.time} 至 ${b.time}` : `${a.date} ${a.time} 至 ${b.date} ${b.time}`;
}

export async function activeCodeOf(db: Db, i: Inspection): Promise<InspectionCode> {
  const code = await codeOfInspection(db, i.id);
  if (!code) throw new DomainError('INVALID_TRANSITION', '该检查尚未获取检查码', { currentState: i.state, allowedEvents: ['ISSUE_CODE'] });
  return code;
}

/**
 * The URL printed as the QR code on the notice and at the door: the compact form (docs/CODE-FORMAT.md §5) —
 * with the packed v2 facts and their signature, or, for a code issued before v2, the bare `?k=&s=` form.
 */
export function codeCheckUrl(publicBaseUrl: string, code: Pick<InspectionCode, 'code' | 'kid' | 'signature' | 'compactSignature' | 'facts'>): string {
  const compact = code.compactSignature ? { signature: code.compactSignature, facts: code.facts as CodeFacts } : undefined;
  return qrCheckUrl(publicBaseUrl, code.code, code.kid, code.signature, compact);
}

/** Everything the inspection notice (行政检查通知书, Art. 17(1), 18(3)) prints. */
export async function noticeInput(db: Db, i: Inspection, code: InspectionCode, publicBaseUrl: string, issuedAt: Date): Promise<NoticeInput> {
  const [agency, enterprise, matters] = await Promise.all([
    findAgency(db, i.agencyCode),
    findEnterprise(db, i.enterpriseCode),
    Promise.all(i.matterCodes.map((m) => publishedMatterOn(db, i.agencyCode, m, i.countedDate))),
  ]);
  return {
    agencyNames: [agency?.name ?? i.agencyCode],
    enterpriseName: enterprise?.name ?? i.enterpriseCode,
    enterpriseCreditCode: i.enterpriseCode,
    enterpriseAddress: enterprise?.address ?? '',
    matters: matters.map((m, k) => ({ name: m?.name ?? i.matterCodes[k]!, legalBasis: m?.legalBasis ?? '' })),
    kind: KIND_ZH[i.kind] ?? i.kind,
    windowText: windowText(code.validFrom, code.validTo),
    inspectors: i.inspectors.map((p) => ({ name: p.name, certificateNo: p.certificateNo })),
    teamExceptionBasis: i.teamExceptionBasis,
    code: code.code,
    checkUrl: codeCheckUrl(publicBaseUrl, code),
    issuedAt: zhDateTime(issuedAt).date,
    documentNo: noticeDocumentNo(code.code, shanghaiYear(issuedAt)),
    complaintContacts: agency?.complaintContact ? [agency.complaintContact] : [],
  };
}
