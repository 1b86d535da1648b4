import { timingSafeEqual } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { effectiveStart, FROM_ISSUANCE_ZH, startsAtIssuance } from '../codes/effective-start.js';
import type { CodeFacts } from '../codes/facts.js';
import { REVOCATION_CATEGORY_ZH, type RevocationCategory } from '../codes/revocation.js';
import { signedMessage } from '../codes/signed-code.js';
import type { Db } from '../db/client.js';
import { agencies, enterprises, inspectionMatters, inspections } from '../db/schema/index.js';
import { findCode } from './repository.js';

/**
 * The public check of a code (no login): what an enterprise at its door needs to decide whether the
 * visit is authorised, and nothing more (Art. 8, 40(6)): officers' names masked, no other enterprise.
 * The stored signature is compared, not re-verified (DESIGN.md): the row was signed when issued.
 *
 * Minimal disclosure: a code id is short enough to guess or to read off a notice in passing, so who is
 * to be inspected, for what and when is shown only to whoever presents the code's signature (the QR
 * holder, who has those facts in the QR already), and only once the window has opened — before it, the
 * answer would tell a third party that an inspection is coming (a tip-off). Otherwise the check says only
 * that the code exists and its state. A revocation shows its category, never the head's free-text reason.
 */
export type CodeStatus = 'valid' | 'not_yet_valid' | 'expired' | 'closed' | 'revoked' | 'forged' | 'unknown';

export const CODE_STATUS_ZH: Record<CodeStatus, string> = {
  valid: '有效：本次检查已登记授权',
  not_yet_valid: '尚未生效：未到登记的检查时间',
  expired: '已过期：超过登记的检查时间',
  closed: '已结束：本次检查已办结',
  revoked: '已撤销：该检查码已被撤销，不得据此检查',
  forged: '伪造：签名与登记信息不符，请核验检查人员的执法证件并举报',
  unknown: '查无此码：请核实或举报',
};

export interface PublicCheck {
  code: string;
  status: CodeStatus;
  statusZh: string;
  signatureChecked: boolean;
  kind?: string;
  agencies?: { code: string; name: string }[];
  matters?: { code: string; name: string; legalBasis: string }[];
  enterprise?: { name: string; creditCodeMasked: string };
  /** The effective start: never before the code was issued (Art. 17(1)). */
  validFrom?: string;
  validTo?: string;
  /** The window had begun before issuance: the code authorises only from its issuance (自签发时起生效). */
  validFromIssuance?: boolean;
  validityNote?: string | null;
  inspectorCount?: number;
  inspectors?: { name: string; certificateNo: string }[];
  /** Art. 18(1): the legal basis recorded for fewer than two inspectors, shown with the team. */
  teamExceptionBasis?: string | null;
  /**
   * The signed message (canonical facts, base64url) — the `m` of a QR printed since it carries one — so the
   * holder of an older QR can keep the bytes and check them offline later (docs/CODE-FORMAT.md §5, §6).
   */
  signedMessage?: string;
  /** The kind of revocation (src/codes/revocation.ts); the free-text reason stays internal. */
  revokedCategory?: RevocationCategory | null;
  revokedCategoryZh?: string | null;
  /**
   * Only with a read replica configured (DATABASE_REPLICA_URL): where the answer was read and up to when it
   * reflects every change (a revocation after `asOf` may not show yet).
   */
  freshness?: { source: 'replica' | 'primary'; asOf: string; lagMs: number };
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise, not to profile (Art. 40(6)). */
export const maskName = (name: string) => (name.length <= 1 ? '*' : name[0] + '*'.repeat(name.length - 1));
const maskCertificate = (no: string) => (no.length <= 4 ? '****' : `${no.slice(0, 2)}****${no.slice(-2)}`);
const maskCredit = (c: string) => `${c.slice(0, 6)}********${c.slice(-4)}`;

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What the check shows about a code, independent of the moment it is asked (cacheable). */
export interface CodeView {
  code: string;
  /** The inspection the code was issued for (the lead's part of a joint visit): its changes change the view. */
  inspectionId: string;
  kid: string;
  signature: string;
  /** The v2 signature the printed QR presents as `s` (null for codes issued before v2). */
  compactSignature: string | null;
  state: 'active' | 'revoked' | 'closed';
  validFrom: Date;
  validTo: Date;
  body: Omit<PublicCheck, 'status' | 'statusZh' | 'signatureChecked'>;
}

export async function loadCodeView(db: Db, code: string): Promise<CodeView | null> {
  const row = await findCode(db, code);
  if (!row) return null;
  // The signed facts name every agency and matter (a joint visit names several), so the page lists them all.
  const facts = row.facts as CodeFacts;
  const [i] = await db.select().from(inspections).where(eq(inspections.id, row.inspectionId));
  const agencyRows = await db.select({ code: agencies.code, name: agencies.name }).from(agencies).where(inArray(agencies.code, facts.agencies));
  const matterRows = await db
    .select({ code: inspectionMatters.matterCode, name: inspectionMatters.name, legalBasis: inspectionMatters.legalBasis, version: inspectionMatters.version })
    .from(inspectionMatters)
    .where(and(inArray(inspectionMatters.agencyCode, facts.agencies), inArray(inspectionMatters.matterCode, facts.matters)));
  const [enterprise] = await db.select({ name: enterprises.name, creditCode: enterprises.creditCode }).from(enterprises).where(eq(enterprises.creditCode, facts.enterprise));
  // Art. 17(1): the code covers nothing before its issuance. Codes issued before the effective start was
  // stored carry the bare window start, so the later of the two is taken here as well.
  const validFrom = effectiveStart(row.validFrom, row.issuedAt);
  const fromIssuance = startsAtIssuance(i?.windowStart ?? row.validFrom, row.issuedAt);
  const latest = new Map<string, (typeof matterRows)[number]>();
  for (const m of matterRows) if ((latest.get(m.code)?.version ?? 0) < m.version) latest.set(m.code, m);
  return {
    code,
    inspectionId: row.inspectionId,
    kid: row.kid,
    signature: row.signature,
    compactSignature: row.compactSignature ?? null,
    state: row.state,
    validFrom,
    validTo: row.validTo,
    body: {
      code,
      kind: facts.kind,
      agencies: facts.agencies.map((c) => agencyRows.find((a) => a.code === c) ?? { code: c, name: c }),
      matters: facts.matters.map((c) => ({ code: c, name: latest.get(c)?.name ?? c, legalBasis: latest.get(c)?.legalBasis ?? '' })),
      enterprise: enterprise ? { name: enterprise.name, creditCodeMasked: maskCredit(enterprise.creditCode) } : undefined,
      validFrom: validFrom.toISOString(),
      validTo: row.validTo.toISOString(),
      validFromIssuance: fromIssuance,
      validityNote: fromIssuance ? FROM_ISSUANCE_ZH : null,
      inspectorCount: facts.inspectorCount,
      inspectors: (i?.inspectors ?? []).map((p) => ({ name: maskName(p.name), certificateNo: maskCertificate(p.certificateNo) })),
      teamExceptionBasis: i?.teamExceptionBasis ?? null,
      signedMessage: signedMessage(facts),
      revokedCategory: row.state === 'revoked' ? (row.revokedCategory ?? 'other') : null,
      revokedCategoryZh: row.state === 'revoked' ? REVOCATION_CATEGORY_ZH[row.revokedCategory ?? 'other'] : null,
    },
  };
}

/** The answer at `now` for what the QR presented; pure, so a cached view answers as well as a fresh one. */
export function checkAt(view: CodeView | null, code: string, now: Date, presented?: { kid?: string; signature?: string }): PublicCheck {
  if (!view) return { code, status: 'unknown', statusZh: CODE_STATUS_ZH.unknown, signatureChecked: false };
  const signatureChecked = Boolean(presented?.signature);
  // `s` is the v1 signature (electronic links, QR codes printed before v2) or the v2 one (printed QR codes).
  const matches = (s: string) => sameSignature(s, view.signature) || (view.compactSignature !== null && sameSignature(s, view.compactSignature));
  if (presented?.signature && (!matches(presented.signature) || (presented.kid && presented.kid !== view.kid))) {
    return { code, status: 'forged', statusZh: CODE_STATUS_ZH.forged, signatureChecked };
  }
  const status: CodeStatus =
    view.state === 'revoked' ? 'revoked' : view.state === 'closed' ? 'closed' : now < view.validFrom ? 'not_yet_valid' : now > view.validTo ? 'expired' : 'valid';
  // Existence and state only, unless the signature was presented (and matched) and the window has opened.
  // "Opened" is judged on the window, not the status: a code revoked before its window must not reveal it either.
  if (!signatureChecked || now < view.validFrom) return { code, status, statusZh: CODE_STATUS_ZH[status], signatureChecked };
  return { ...view.body, status, statusZh: CODE_STATUS_ZH[status], signatureChecked };
}
