import type { Role } from '../../src/auth/principal.js';

/**
 * THE ACCESS MATRIX: who may call every route. `test/integration/access-matrix.test.ts` calls each route
 * as every role and as no one, with an expired token and a token signed by another key, and compares
 * the answers with this table; a route missing here, or an entry for a route that no longer exists,
 * fails the test. Scope (own agency / other agency, own district / other district, own enterprise /
 * other enterprise) is declared per resource in SCOPED below.
 */
export type Declared = 'public' | readonly Role[];

const EVIDENCE_READERS: Declared = ['officer', 'agency_head', 'supervisor', 'enterprise'];

export const MATRIX: Record<string, Declared> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /api/v1/me': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/me/todo': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'GET /api/v1/inspections/{id}/checks': ['officer', 'agency_head', 'supervisor'],
  'GET /.well-known/inspection-keys': 'public',
  'GET /v/{code}': 'public',
  'GET /api/v1/districts': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/districts': ['admin'],
  'GET /api/v1/agencies': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/agencies': ['admin'],
  'GET /api/v1/agencies/{code}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'PATCH /api/v1/agencies/{code}': ['admin'],
  'GET /api/v1/enterprises': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/enterprises': ['admin'],
  'GET /api/v1/enterprises/{creditCode}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'PATCH /api/v1/enterprises/{creditCode}': ['admin'],
  'GET /api/v1/matters': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/matters': ['officer', 'agency_head'],
  'GET /api/v1/matters/public': 'public',
  'GET /api/v1/plans/public': 'public',
  'GET /api/v1/special-plans/public': 'public',
  'GET /api/v1/matters/published': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/matters/{id}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/matters/{id}/publish': ['agency_head'],
  'POST /api/v1/matters/{id}/withdraw': ['agency_head'],
  'GET /api/v1/calendar/days/{date}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/calendar/add-working-days': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/calendar/years': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'PUT /api/v1/calendar/years/{year}': ['admin'],
  'PUT /api/v1/calendar/days/{date}': ['admin'],
  'GET /api/v1/admin/alerts': ['admin'],
  'POST /api/v1/inspections': ['officer', 'agency_head'],
  'GET /api/v1/inspections': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'PATCH /api/v1/inspections/{id}': ['officer', 'agency_head'],
  'GET /api/v1/inspections/{id}': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'POST /api/v1/inspections/pre-check': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/code': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/approve': ['agency_head'],
  'POST /api/v1/inspections/{id}/return': ['agency_head'],
  'POST /api/v1/inspections/{id}/start': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/notify-result': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/close': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/archive': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/cancel': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/findings': ['officer', 'agency_head'],
  'POST /api/v1/inspections/{id}/merge': ['officer', 'agency_head'],
  'GET /api/v1/inspections/{id}/code.png': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'GET /api/v1/inspections/{id}/code.svg': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'GET /api/v1/inspections/{id}/notice.pdf': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'GET /api/v1/codes/{code}': 'public',
  'POST /api/v1/codes/{code}/scan': ['officer', 'agency_head', 'enterprise'],
  'POST /api/v1/codes/{code}/revoke': ['agency_head'],
  'GET /api/v1/audit': ['supervisor'],
  'GET /api/v1/audit/verify': ['supervisor'],
  'POST /api/v1/audit/checkpoints': ['supervisor'],
  'GET /api/v1/audit/export': ['supervisor'],
  'GET /api/v1/audit/export.csv': ['supervisor'],
  'GET /.well-known/audit-checkpoints': 'public',
  'GET /api/v1/regulation/articles': 'public',
  'GET /api/v1/regulation/articles/{number}': 'public',
  'GET /api/v1/errors': 'public',
  'GET /api/v1/errors/{code}': 'public',
  'GET /api/v1/rules': 'public',
  'GET /api/v1/labels': 'public',
  'GET /api/v1/plans': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/plans': ['officer', 'agency_head'],
  'GET /api/v1/plans/{id}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/plans/{id}/versions': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/plans/{id}/versions/compare': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'PATCH /api/v1/plans/{id}': ['officer', 'agency_head'],
  'POST /api/v1/plans/{id}/submit': ['agency_head'],
  'POST /api/v1/plans/{id}/file': ['supervisor'],
  'POST /api/v1/plans/{id}/return': ['supervisor'],
  'POST /api/v1/plans/{id}/publish': ['agency_head'],
  'POST /api/v1/plans/{id}/amend': ['agency_head'],
  'POST /api/v1/referrals': ['officer', 'agency_head'],
  'GET /api/v1/referrals': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/referrals/{id}': ['officer', 'agency_head', 'supervisor'],
  'POST /api/v1/referrals/{id}/send': ['officer', 'agency_head'],
  'POST /api/v1/referrals/{id}/receive': ['officer', 'agency_head'],
  'POST /api/v1/referrals/{id}/accept': ['officer', 'agency_head'],
  'POST /api/v1/referrals/{id}/refuse': ['officer', 'agency_head'],
  'POST /api/v1/referrals/{id}/escalate': ['officer', 'agency_head'],
  'POST /api/v1/referrals/{id}/crime-transfer': ['agency_head'],
  'POST /api/v1/crime-transfers': ['agency_head'],
  'GET /api/v1/crime-transfers': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/crime-transfers/{id}': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/devices/public': 'public',
  'POST /api/v1/devices': ['officer', 'agency_head'],
  'GET /api/v1/devices': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/devices/{id}': ['officer', 'agency_head', 'supervisor'],
  'POST /api/v1/devices/{id}/legal-review': ['officer', 'agency_head'],
  'POST /api/v1/devices/{id}/technical-review': ['officer', 'agency_head'],
  'POST /api/v1/devices/{id}/publish': ['officer', 'agency_head'],
  'POST /api/v1/devices/{id}/activate': ['agency_head'],
  'POST /api/v1/devices/{id}/maintenance': ['officer', 'agency_head'],
  'POST /api/v1/devices/{id}/retire': ['officer', 'agency_head'],
  'POST /api/v1/offsite-inspections': ['officer', 'agency_head'],
  'GET /api/v1/offsite-inspections/{id}': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/enterprise-notices': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'GET /api/v1/enterprise-notices/{id}': ['officer', 'agency_head', 'supervisor', 'enterprise'],
  'POST /api/v1/enterprise-notices/{id}/read': ['enterprise'],
  'GET /api/v1/special-plans': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/special-plans': ['officer', 'agency_head'],
  'GET /api/v1/special-plans/{id}': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'PATCH /api/v1/special-plans/{id}': ['officer', 'agency_head'],
  'POST /api/v1/special-plans/{id}/approve': ['agency_head'],
  'POST /api/v1/special-plans/{id}/file': ['supervisor'],
  'POST /api/v1/special-plans/{id}/publish': ['agency_head'],
  'POST /api/v1/special-plans/{id}/return': ['supervisor'],
  'POST /api/v1/special-plans/{id}/amend': ['agency_head'],
  'GET /api/v1/special-plans/{id}/versions': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/frequency-rules': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/frequency-rules': ['admin'],
  'POST /api/v1/frequency-rules/{id}/retire': ['admin'],
  'GET /api/v1/no-disturb': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'POST /api/v1/no-disturb': ['supervisor', 'admin'],
  'GET /api/v1/enterprises/{creditCode}/frequency': ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'],
  'GET /api/v1/flags': ['supervisor'],
  'GET /api/v1/flags/export.csv': ['supervisor'],
  'GET /api/v1/flags/{id}': ['supervisor'],
  'POST /api/v1/flags/{id}/acknowledge': ['supervisor'],
  'POST /api/v1/flags/{id}/resolve': ['supervisor'],
  'POST /api/v1/flags/{id}/dismiss': ['supervisor'],
  'POST /api/v1/enterprise-reports': ['enterprise'],
  'GET /api/v1/enterprise-reports': ['supervisor', 'enterprise'],
  'GET /api/v1/enterprise-reports/{id}': ['supervisor', 'enterprise'],
  'GET /api/v1/enterprise-reports/{id}/photo': ['supervisor', 'enterprise'],
  'GET /api/v1/case-visits': ['enterprise'],
  'POST /api/v1/inspections/{id}/rating': ['enterprise'],
  'GET /api/v1/ratings': ['supervisor', 'enterprise'],
  'GET /api/v1/inspections/export.csv': ['supervisor'],
  'GET /api/v1/stats/dashboard': ['supervisor'],
  'GET /api/v1/joint-lists': 'public',
  'POST /api/v1/joint-lists': ['agency_head'],
  'GET /api/v1/joint-lists/{id}': 'public',
  'PATCH /api/v1/joint-lists/{id}': ['agency_head'],
  'POST /api/v1/joint-lists/{id}/review': ['supervisor'],
  'POST /api/v1/joint-lists/{id}/approve': ['agency_head'],
  'POST /api/v1/joint-lists/{id}/publish': ['agency_head'],
  'POST /api/v1/joint-lists/{id}/amend': ['agency_head'],
  'POST /api/v1/joint-tasks': ['agency_head'],
  'POST /api/v1/proposals/match': ['supervisor'],
  'GET /api/v1/proposals': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/proposals/{id}': ['officer', 'agency_head', 'supervisor'],
  'POST /api/v1/proposals/{id}/accept': ['agency_head'],
  'POST /api/v1/proposals/{id}/decline': ['agency_head'],
  'GET /api/v1/stats/joint-proposals': ['supervisor'],
  'GET /api/v1/stats/joint-proposals/enterprises': ['supervisor'],
  'GET /api/v1/joint-tasks': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/joint-tasks/{id}': ['officer', 'agency_head', 'supervisor'],
  'POST /api/v1/joint-tasks/{id}/assign': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/accept': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/decline': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/approve': ['agency_head'],
  'POST /api/v1/joint-tasks/{id}/code': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/findings': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/notify-result': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/close': ['officer', 'agency_head'],
  'POST /api/v1/joint-tasks/{id}/cancel': ['agency_head'],
  'GET /api/v1/joint-tasks/{id}/checklist': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/joint-tasks/{id}/checklist.pdf': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/joint-tasks/{id}/notice.pdf': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/stats/joint-inspections': ['supervisor'],
  // Data exchange with upper-level platforms (Art. 8, 24, 29): admins keep the registry, platforms exchange.
  'POST /api/v1/platform-clients': ['admin'],
  'GET /api/v1/platform-clients': ['admin'],
  'GET /api/v1/platform-clients/{id}': ['admin'],
  'PATCH /api/v1/platform-clients/{id}': ['admin'],
  'POST /api/v1/platform-clients/{id}/key': ['admin'],
  'GET /api/v1/platform-clients/{id}/dead-letters': ['admin'],
  'POST /api/v1/platform-clients/{id}/dead-letters/{position}/retry': ['admin'],
  'PUT /api/v1/platform-clients/{id}/cursor': ['admin'],
  'GET /api/v1/events': ['platform'],
  'POST /api/v1/imports/inspections': ['platform'],
  // Declarations are evidence (issue 22): the register for own-level supervisors, the registry's Art. 2 ¶2 relations.
  'GET /api/v1/declarations/kinds': ['officer', 'agency_head', 'supervisor', 'admin'],
  'GET /api/v1/declarations': ['supervisor'],
  'GET /api/v1/declarations/counts': ['supervisor'],
  'GET /api/v1/declarations/{id}': ['supervisor'],
  'POST /api/v1/declarations/{id}/confirm': ['supervisor'],
  'POST /api/v1/declarations/{id}/reject': ['supervisor'],
  'GET /api/v1/agency-relations': ['officer', 'agency_head', 'supervisor', 'admin'],
  'POST /api/v1/agency-relations': ['admin'],
  'DELETE /api/v1/agency-relations': ['admin'],
  // Evidence on the phone and the 现场检查笔录 (issue 24): the agency attaches and signs; whoever may read the inspection reads them.
  'POST /api/v1/inspections/{id}/evidence': ['officer', 'agency_head'],
  'GET /api/v1/inspections/{id}/evidence': EVIDENCE_READERS,
  'GET /api/v1/inspections/{id}/evidence/{evidenceId}/file': EVIDENCE_READERS,
  'GET /api/v1/inspections/{id}/evidence/{evidenceId}/verify': EVIDENCE_READERS,
  'GET /api/v1/inspections/{id}/record': EVIDENCE_READERS,
  'POST /api/v1/inspections/{id}/record/signature': ['officer', 'agency_head'],
  'GET /api/v1/inspections/{id}/record/signature.png': EVIDENCE_READERS,
  'GET /api/v1/inspections/{id}/record.pdf': EVIDENCE_READERS,
  // 督办 (Art. 6 ¶2): supervisors send and review; the addressed agency reads, its head answers.
  'POST /api/v1/supervision-notices': ['supervisor'],
  'GET /api/v1/supervision-notices': ['officer', 'agency_head', 'supervisor'],
  'GET /api/v1/supervision-notices/{id}': ['officer', 'agency_head', 'supervisor'],
  'POST /api/v1/supervision-notices/{id}/answer': ['agency_head'],
  'POST /api/v1/supervision-notices/{id}/accept': ['supervisor'],
  'POST /api/v1/supervision-notices/{id}/return': ['supervisor'],
};

/** Who, beyond the role, may act on one concrete record of agency A in district D1 at enterprise E1. */
export type Caller =
  | 'ownOfficer'
  | 'otherOfficer'
  | 'ownHead'
  | 'otherHead'
  | 'citySupervisor'
  | 'ownDistrictSupervisor'
  | 'otherDistrictSupervisor'
  | 'ownEnterprise'
  | 'otherEnterprise'
  // District bureaus whose tokens carry no `district` claim: their reach comes from their registry row.
  | 'ownDistrictBureauNoClaim'
  | 'otherDistrictBureauNoClaim';

/**
 * Tokens that are authentic but whose unit the registry refuses (src/auth/directory.ts): each must be
 * answered 403 with this code on every route that needs a token, whatever the route's roles.
 */
export const REFUSED_PRINCIPALS = {
  supervisorOfNonJusticeAgency: 'SUPERVISOR_NOT_JUSTICE_BUREAU',
  supervisorOfUnknownAgency: 'PRINCIPAL_UNKNOWN',
  officerOfUnknownAgency: 'PRINCIPAL_UNKNOWN',
  headOfInactiveAgency: 'PRINCIPAL_INACTIVE',
  unregisteredEnterprise: 'PRINCIPAL_UNKNOWN',
} as const;
export type RefusedPrincipal = keyof typeof REFUSED_PRINCIPALS;

export interface ScopedCase {
  route: string;
  /** Fixture key → URL (built by the test from its world). */
  url: string;
  /** Mutating cases run the denied callers first, then exactly one allowed caller. */
  allowed: readonly Caller[];
  denied: readonly Caller[];
}

export const SCOPED: readonly ScopedCase[] = [
  {
    route: 'GET /api/v1/inspections/{id}/checks',
    url: '/api/v1/inspections/:inspection/checks',
    allowed: ['ownOfficer', 'ownHead', 'citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim'],
    denied: ['otherOfficer', 'otherHead', 'otherDistrictSupervisor', 'otherDistrictBureauNoClaim'],
  },
  {
    route: 'GET /api/v1/inspections/{id}',
    url: '/api/v1/inspections/:inspection',
    allowed: ['ownOfficer', 'ownHead', 'citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim', 'ownEnterprise'],
    denied: ['otherOfficer', 'otherHead', 'otherDistrictSupervisor', 'otherDistrictBureauNoClaim', 'otherEnterprise'],
  },
  {
    route: 'GET /api/v1/inspections/{id}/notice.pdf',
    url: '/api/v1/inspections/:inspection/notice.pdf',
    allowed: ['ownOfficer', 'citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim', 'ownEnterprise'],
    denied: ['otherOfficer', 'otherDistrictSupervisor', 'otherDistrictBureauNoClaim', 'otherEnterprise'],
  },
  {
    route: 'GET /api/v1/inspections',
    url: '/api/v1/inspections?agency=:agency',
    allowed: ['ownOfficer', 'ownHead', 'citySupervisor'],
    denied: ['otherOfficer', 'otherHead'],
  },
  {
    route: 'POST /api/v1/inspections/{id}/approve',
    url: '/api/v1/inspections/:draft/approve',
    allowed: ['ownHead'],
    denied: ['otherHead'],
  },
  {
    route: 'GET /api/v1/enterprises/{creditCode}',
    url: '/api/v1/enterprises/:enterprise',
    allowed: ['ownEnterprise', 'ownOfficer', 'otherOfficer', 'citySupervisor'],
    denied: ['otherEnterprise'],
  },
  {
    route: 'GET /api/v1/audit',
    url: '/api/v1/audit?district=:district',
    allowed: ['citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim'],
    denied: ['otherDistrictSupervisor', 'otherDistrictBureauNoClaim'],
  },
  {
    route: 'GET /api/v1/audit/export.csv',
    url: '/api/v1/audit/export.csv?district=:district',
    allowed: ['citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim'],
    denied: ['otherDistrictSupervisor', 'otherDistrictBureauNoClaim'],
  },
  {
    route: 'POST /api/v1/plans/{id}/file',
    url: '/api/v1/plans/:submittedPlan/file',
    allowed: ['ownDistrictSupervisor'],
    denied: ['otherDistrictSupervisor', 'otherDistrictBureauNoClaim', 'citySupervisor'],
  },
  {
    route: 'GET /api/v1/flags/{id}',
    url: '/api/v1/flags/:flag',
    allowed: ['citySupervisor', 'ownDistrictSupervisor', 'ownDistrictBureauNoClaim'],
    denied: ['otherDistrictSupervisor', 'otherDistrictBureauNoClaim'],
  },
  {
    // A district bureau without a district claim is still one district: it cannot dismiss another's flag.
    route: 'POST /api/v1/flags/{id}/dismiss',
    url: '/api/v1/flags/:flag/dismiss',
    allowed: ['ownDistrictBureauNoClaim'],
    denied: ['otherDistrictSupervisor', 'otherDistrictBureauNoClaim'],
  },
  {
    route: 'POST /api/v1/codes/{code}/revoke',
    url: '/api/v1/codes/:revocableCode/revoke',
    allowed: ['ownHead'],
    denied: ['otherHead'],
  },
];
