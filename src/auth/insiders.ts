import type { Principal } from './principal.js';

/**
 * Who works inside the administration: the agencies' officers and heads, the supervisors (司法行政部门),
 * administrators and the upper-level platforms. Everyone else — the public, and an enterprise — is an
 * outsider: internal working (a supervisor's login subject, the free text of a return or a revocation,
 * which may name a complainant) is never shown to them (issue 23).
 */
export function isInsider(p: Principal | undefined): boolean {
  return p !== undefined && p.role !== 'enterprise';
}
