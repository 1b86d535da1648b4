/**
 * Who may see and do what is decided here, one policy file per aggregate; the rest of the code asks this
 * module and nowhere else. A refusal is OUT_OF_SCOPE (403) or FORBIDDEN_ROLE and never reveals the row's content.
 * - plans.ts: annual and special plans (the agency acts for itself; the bureau files; who sees a draft)
 * - referrals.ts: the finding and the competent agency, and who reads a referral
 * - declarations.ts: a declaration's jurisdiction, and no one confirms their own unit's
 * - supervision-notices.ts: 督办 — who reads a notice and who answers it
 * - visits.ts: inspections and joint tasks — the acting unit, the lead unit, who reads a visit (Art. 40(6))
 */
export { assertActsForAgency, assertFilingBureau, mayView as mayViewPlan, visibilityFilter as planVisibility } from './plans.js';
export { assertActsOn, assertMayReadReferral, type ReferralSide } from './referrals.js';
export { assertDeclarationWithinJurisdiction, assertNotOwnUnit, declarationJurisdiction } from './declarations.js';
export { assertMayAnswer, assertMayReadNotice, noticeScope } from './supervision-notices.js';
export * from './visits.js';
