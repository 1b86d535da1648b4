import type { Principal } from '../auth/principal.js';
import { DomainError } from '../errors/domain-error.js';
import type { Db } from '../db/client.js';
import { agencyNameOf, type Agency } from '../registry/agencies.repository.js';

/**
 * Who may act on a plan (DESIGN.md): officers and heads for their own agency only; the filing and return
 * only by the same-level justice bureau the plan was submitted to (Art. 13, 14).
 */
export async function assertActsForAgency(db: Db, p: Principal, agencyCode: string): Promise<void> {
  if (p.role === 'admin') return;
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode) return;
  // The agency is named by name (issue 11); the codes travel in the extensions.
  throw new DomainError('OUT_OF_SCOPE', `只能办理本单位的检查计划，不能办理${await agencyNameOf(db, agencyCode)}的检查计划`, {
    agencyCode,
    actorAgencyCode: p.agency ?? null,
  });
}

/** Art. 13/14: 报同级司法行政部门备案 — only that bureau's supervisors file or return. */
export function assertFilingBureau(p: Principal, agency: Agency, bureau: Agency | undefined): void {
  if (p.role === 'supervisor' && bureau && p.agency === bureau.code) return;
  const expected = bureau ? `（${bureau.name}）` : '';
  throw new DomainError(
    'OUT_OF_SCOPE',
    `${agency.name}的检查计划应由同级司法行政部门${expected}备案或退回，${p.agency ? '本单位' : '当前用户'}无权办理`,
    { filingBureauCode: bureau?.code ?? null },
  );
}

/**
 * Drafts stay inside the agency and its supervisors; a published plan is public (Art. 14). A district
 * supervisor sees the plans of their district's agencies.
 */
export function mayView(p: Principal, plan: { agencyCode: string; state: string }, agency: Agency | undefined): boolean {
  if (plan.state === 'published' || p.role === 'admin') return true;
  if (p.role === 'supervisor') return !p.district || agency?.districtCode === p.district;
  if (p.role === 'officer' || p.role === 'agency_head') return p.agency === plan.agencyCode;
  return false;
}

/** The SQL-side form of mayView for lists. */
export function visibilityFilter(p: Principal): { ownAgencyOrPublished?: string; districtOrPublished?: string; publishedOnly?: boolean } {
  if (p.role === 'admin') return {};
  if (p.role === 'supervisor') return p.district ? { districtOrPublished: p.district } : {};
  if (p.role === 'officer' || p.role === 'agency_head') return { ownAgencyOrPublished: p.agency };
  return { publishedOnly: true };
}
