/**
 * Who is calling. Roles follow DESIGN.md; the scope claims say where the caller may act:
 * officers and agency heads for one agency, supervisors for a justice bureau (city-wide when the
 * bureau is the city's, else one district), an enterprise for one 统一社会信用代码, admins for reference data.
 */
export const ROLES = ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin', 'platform'] as const;
export type Role = (typeof ROLES)[number];
/**
 * The roles of people. `platform` is a machine client of an upper-level or peer platform (Art. 8, 24, 29):
 * its scope is its registry row (src/exchange/clients.repository.ts), and it reaches only the exchange routes.
 */
export const PERSON_ROLES = ['officer', 'agency_head', 'supervisor', 'enterprise', 'admin'] as const satisfies readonly Role[];

export const ROLE_NAMES_ZH: Record<Role, string> = {
  officer: '执法人员',
  agency_head: '行政执法主体负责人',
  supervisor: '司法行政部门监督人员',
  enterprise: '企业',
  admin: '系统管理员',
  platform: '对接平台',
};

export interface Principal {
  sub: string;
  role: Role;
  name?: string;
  /** Agency code: the officer's or head's agency, or the supervisor's justice bureau. */
  agency?: string;
  /** District code for district-level supervisors; absent for the city bureau (city-wide). */
  district?: string;
  /** The enterprise's 统一社会信用代码. */
  creditCode?: string;
  /** An officer's 执法证号, when the identity provider states it (shown beside the name). */
  certificateNo?: string;
}

/** Checks the claims a role needs; returns the reason when a token lacks them. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | string {
  const role = claims.role;
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) return '令牌未载明持有人';
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return '令牌未载明可识别的角色';
  const str = (k: string) => (typeof claims[k] === 'string' && claims[k] !== '' ? (claims[k] as string) : undefined);
  const p: Principal = { sub: claims.sub, role: role as Role };
  const name = str('name');
  if (name) p.name = name;
  const certificateNo = str('certificateNo');
  if (certificateNo && role === 'officer') p.certificateNo = certificateNo;
  const agency = str('agency');
  const district = str('district');
  const creditCode = str('creditCode');
  if (role === 'officer' || role === 'agency_head' || role === 'supervisor') {
    if (!agency) return `${ROLE_NAMES_ZH[role as Role]}的令牌须载明所属行政执法主体或司法行政部门`;
    p.agency = agency;
  }
  if (role === 'supervisor' && district) p.district = district;
  if (role === 'platform' && !claims.sub.startsWith('platform:')) return '对接平台的令牌须以已登记的对接平台为持有人';
  if (role === 'enterprise') {
    if (!creditCode) return '企业的令牌须载明统一社会信用代码';
    p.creditCode = creditCode;
  }
  return p;
}
