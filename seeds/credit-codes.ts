import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../src/registry/credit-code.js';
import type { EntityType } from '../src/registry/entity-scope.js';

/**
 * Builds valid 统一社会信用代码 for demo data and tests: registration-authority and category prefix by
 * entity type, the district's administrative code, a GB 11714 organisation code with its own check
 * digit, and the GB 32100 check character.
 */
const PREFIX: Record<EntityType, string> = {
  limited_company: '91',
  joint_stock_company: '91',
  sole_proprietorship: '91',
  partnership_enterprise: '91',
  other_enterprise: '91',
  individual_business: '92',
  individual_partnership: '92',
  farmers_cooperative: '93',
  public_institution: '12',
  social_organization: '51',
  foundation: '53',
  social_service_organization: '52',
};

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function orgValue(ch: string): number {
  return /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55; // A = 10 … Z = 35
}

/** GB 11714 check digit over the 8-character body. */
function orgCheck(body: string): string {
  const sum = [...body].reduce((s, ch, i) => s + orgValue(ch) * ORG_WEIGHTS[i]!, 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** `n` picks the organisation code deterministically; `adminCode` is the 6-digit division code. */
export function makeCreditCode(entityType: EntityType, adminCode: string, n: number): string {
  // 48271 is coprime to 10^8, so distinct n below 10^8 give distinct organisation codes.
  const body = String((n * 48271 + 10_000_000) % 100_000_000).padStart(8, '0');
  let org = body + orgCheck(body);
  // The organisation check may be X, which the 31-symbol alphabet allows; anything else is remapped.
  if (!CREDIT_CODE_ALPHABET.includes(org[8]!)) org = org.slice(0, 8) + '0';
  const first17 = PREFIX[entityType] + adminCode + org;
  return first17 + creditCodeCheckChar(first17);
}
