import { recordDeclaration } from '../../declarations/record.js';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import { effectiveStart } from '../../codes/effective-start.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { codeScans } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { raiseFlag } from '../../flags/raise.js';
import { CODE_OUTSIDE_WINDOW, ONSITE_WITHOUT_CODE } from '../../rules/declarations/onsite.js';
import type { RuleResult } from '../../rules/result.js';
import { findAgency } from '../../registry/agencies.repository.js';
import type { InspectionHooks } from '../hooks.js';
import { findCode, findInspection, updateInspection } from '../repository.js';
import { nextState } from '../transition.js';
import { distanceMetres, type Position } from '../../evidence/scan-location.js';
import { findEnterprise } from '../../registry/enterprises.repository.js';

export interface ScanInput {
  location?: string;
  /** Accepts a scan after the window (emergency, system failure); it is still flagged for review. */
  lateReason?: string;
  /** 亮码即定位: the scanning device's position, sent only with its user's consent (src/evidence/scan-location.ts). */
  position?: Position;
}

export interface ScanOutcome {
  scanId: string;
  accepted: boolean;
  refusal?: RuleResult;
  flagged: boolean;
  /**
   * The caller is not a party to this code (an enterprise scanning another's code): the scan and its flag
   * are recorded, and the route answers exactly as for a code that does not exist.
   */
  concealed: boolean;
}

/**
 * Scan on entry (Art. 17(2)) by the inspecting officer or by the enterprise itself. Refused scans are
 * recorded and flagged (CODE_OUTSIDE_WINDOW) in this transaction; the caller then answers with the
 * refusal, so the evidence survives the refusal.
 *
 * Nobody learns from this route that a code exists unless it is theirs (issue 15: unknown codes answered
 * 404 and other enterprises' codes 422, an oracle for guessing codes): an officer of another agency gets
 * the unknown code's answer; an enterprise scanning another enterprise's code gets it too, after its scan
 * is recorded and flagged. A flag is raised at most once per code, scanning enterprise and kind of breach
 * (another enterprise, too early, too late, late with a reason), so repeated scans cannot flood the register.
 */
export async function scanCode(tx: Db, { at, audit }: CommandScope, actor: Principal, code: string, input: ScanInput, hooks: InspectionHooks): Promise<ScanOutcome> {
  const row = await findCode(tx, code, true);
  if (!row) throw DomainError.notFound('检查码', code);
  const i = (await findInspection(tx, row.inspectionId, true))!;
  const isOfficer = (actor.role === 'officer' || actor.role === 'agency_head') && actor.agency === i.agencyCode;
  if (!isOfficer && actor.role !== 'enterprise') throw DomainError.notFound('检查码', code);
  const atEnterprise = actor.role === 'enterprise' ? actor.creditCode! : i.enterpriseCode;
  const concealed = atEnterprise !== i.enterpriseCode;

  // A non-party enterprise scanning a code it learnt of: recorded once per code and enterprise (its scan, audit
  // entry and flag), so repeating the request neither grows the log nor the flags (issue 23).
  if (concealed) {
    const [seen] = await tx.select({ id: codeScans.id }).from(codeScans).where(and(eq(codeScans.code, code), eq(codeScans.atEnterprise, atEnterprise))).limit(1);
    if (seen) return { scanId: seen.id, accepted: false, refusal: undefined, flagged: false, concealed };
  }
  if (!concealed && row.state !== 'active') {
    throw DomainError.fromRules([ONSITE_WITHOUT_CODE(row.state)]);
  }
  // Art. 17(1): a code vouches for nothing before its issuance (older rows stored the bare window start).
  const validFrom = effectiveStart(row.validFrom, row.issuedAt);
  const window = CODE_OUTSIDE_WINDOW({ atEnterprise, enterprise: i.enterpriseCode, at, validFrom, validTo: row.validTo, lateReason: input.lateReason });
  const refusal: RuleResult | undefined = window.passed ? undefined : window;
  // Which breach a scan is, for its flag (one per code, enterprise and breach): a late scan with its reason is accepted but flagged.
  const late = atEnterprise === i.enterpriseCode && at >= validFrom && at > row.validTo;
  const breach: 'enterprise' | 'early' | 'late' | 'late_with_reason' =
    atEnterprise !== i.enterpriseCode ? 'enterprise' : at < validFrom ? 'early' : late ? (input.lateReason ? 'late_with_reason' : 'late') : 'enterprise';

  const scanId = randomUUID();
  const premises = input.position ? await findEnterprise(tx, i.enterpriseCode) : undefined;
  const distanceM =
    input.position && premises?.latitude != null && premises.longitude != null ? Math.round(distanceMetres(input.position, { latitude: premises.latitude, longitude: premises.longitude })) : null;
  await tx.insert(codeScans).values({
    id: scanId,
    code,
    scannedAt: at,
    byRole: actor.role,
    bySub: actor.sub,
    atEnterprise,
    location: input.location ?? null,
    accepted: !refusal,
    lateReason: input.lateReason ?? null,
    refusedRule: refusal?.rule ?? null,
    latitude: input.position?.latitude ?? null,
    longitude: input.position?.longitude ?? null,
    accuracyM: input.position?.accuracyM ?? null,
    distanceM,
  });
  const agency = await findAgency(tx, i.agencyCode);
  let after = i.state;
  // Art. 17(2): the officers start the inspection by showing the code and scanning it on entry (进入……场所……出示检查码并扫码后开展行政检查工作).
  // The enterprise's own check of the code (Art. 18(2): the code is shown to it) is recorded, but starts nothing:
  // the officer's scan step stays theirs.
  if (!refusal && isOfficer && i.state === 'code_issued') {
    after = nextState(i, { type: 'SCAN' });
    await updateInspection(tx, i, { state: after }, at);
  }
  if (!refusal && isOfficer) await hooks.afterScan(tx, { at, audit }, row); // a joint code's scan moves every unit's part of the visit
  await audit({
    action: refusal ? 'code.scan_refused' : 'code.scanned',
    subjectType: 'inspection',
    subjectId: i.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    districtCode: agency?.districtCode ?? null,
    before: i.state,
    after,
    payload: { code, scanId, atEnterprise, location: input.location ?? null, position: input.position ?? null, distanceM, lateReason: input.lateReason ?? null, refusal: refusal?.detail ?? null },
  });
  // Art. 17(1): the reason an officer gives for a late scan is evidence for the supervisors, not a switch.
  if (!refusal && late && input.lateReason && isOfficer) {
    await recordDeclaration(tx, { at, audit }, actor, { kind: 'late_scan_reason', subjectType: 'inspection', subjectId: i.id, agencyCode: i.agencyCode, enterpriseCode: i.enterpriseCode, districtCode: agency?.districtCode ?? null, value: { reason: input.lateReason, code, scanId } });
  }
  let flagged = false;
  if (refusal || late) {
    flagged = Boolean(
      await raiseFlag(tx, at, { sub: actor.sub, role: actor.role }, {
        rule: 'CODE_OUTSIDE_WINDOW',
        subjectType: 'inspection',
        subjectId: i.id,
        // One flag per code, scanning enterprise and kind of breach; the scans themselves are all recorded.
        occurrence: `${code}:${atEnterprise}:${breach}`,
        agencyCode: i.agencyCode,
        enterpriseCode: i.enterpriseCode,
        districtCode: agency?.districtCode ?? null,
        observed: refusal?.observed ?? at.toISOString(),
        limit: refusal?.limit ?? { to: row.validTo.toISOString() },
        detail: refusal ? `扫码被拒绝：${refusal.detail}` : `超出登记时间补扫，理由：${input.lateReason}`,
        evidence: { code, scanId },
      }),
    );
  }
  return { scanId, accepted: !refusal, refusal, flagged, concealed };
}
