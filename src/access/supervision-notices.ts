import { eq, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import { supervisionNotices } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { supervisedDistrict } from '../supervision/jurisdiction.js';

/**
 * Who sees a 督办: the supervisors whose flags it concerns (the city bureau, and the bureau of the addressed
 * agency's district — the same level rule as flags, Art. 6) and the addressed agency's own officers and head.
 * Nobody else: an enterprise never sees a supervision notice about an agency.
 */
export function noticeScope(p: Principal): SQL | undefined {
  if (p.role === 'supervisor') {
    const district = supervisedDistrict(p);
    // The agency's district as recorded when the notice was sent: the bureau that received the flag follows it.
    return district ? eq(supervisionNotices.districtCode, district) : undefined;
  }
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency) return eq(supervisionNotices.agencyCode, p.agency);
  // Routes admit only these roles; an impossible condition keeps any other caller out all the same.
  return eq(supervisionNotices.agencyCode, '\u0000');
}

/** The same test on one loaded notice; a refusal never says what the notice holds. */
export function assertMayReadNotice(p: Principal, notice: { agencyCode: string; districtCode: string | null }): void {
  if (p.role === 'supervisor') {
    const district = supervisedDistrict(p);
    if (district && notice.districtCode !== district) throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看本辖区（${district}）行政执法主体的督办`);
    return;
  }
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === notice.agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', '只能查看本单位收到的督办');
}

/** The answer speaks for the agency, so its head gives it (行政执法主体负责人); officers read it. */
export function assertMayAnswer(p: Principal, notice: { agencyCode: string }): void {
  if (p.role === 'agency_head' && p.agency === notice.agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', '督办由被督办单位的负责人答复');
}
