import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import type { Referral } from '../referrals/repository.js';

/**
 * Who acts on a referral (Art. 23): the finding agency sends it (and, before sending, may turn it into a
 * criminal-case transfer); the competent agency receives, accepts or disputes it; either party may take a
 * dispute over competence to the common superior. Supervisors read within their city or district; a
 * refusal never reveals the referral's content.
 */
export type ReferralSide = 'finding' | 'competent' | 'either';

const actsFor = (p: Principal, agencyCode: string) => (p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode;

export function assertActsOn(p: Principal, r: Referral, side: ReferralSide): void {
  const finding = actsFor(p, r.agencyCode);
  const competent = actsFor(p, r.competentAgencyCode);
  if (side === 'finding' && finding) return;
  if (side === 'competent' && competent) return;
  if (side === 'either' && (finding || competent)) return;
  const who = side === 'finding' ? '移送机关' : side === 'competent' ? '有管辖权的接收机关' : '移送或接收机关';
  throw new DomainError('OUT_OF_SCOPE', `此操作只能由${who}办理`);
}

export async function assertMayReadReferral(db: Db, p: Principal, r: Referral): Promise<void> {
  if (p.role === 'officer' || p.role === 'agency_head') {
    if ([r.agencyCode, r.competentAgencyCode, r.superiorAgencyCode].includes(p.agency ?? '')) return;
  } else if (p.role === 'supervisor') {
    if (!p.district) return;
    const [a, b] = await Promise.all([findAgency(db, r.agencyCode), findAgency(db, r.competentAgencyCode)]);
    if (a?.districtCode === p.district || b?.districtCode === p.district) return;
  }
  throw new DomainError('OUT_OF_SCOPE', '无权查看该移送记录');
}
