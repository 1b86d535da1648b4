import type { GuardFacts } from '../rules/guard-facts.js';
import { AGENCY_OUT_OF_AUTHORITY, CROSS_REGION_NO_ASSISTANCE, JURISDICTION_TERRITORIAL, MATTER_UNPUBLISHED } from '../rules/declarations/authority.js';
import { CASE_WITHOUT_LEAD, INSPECTOR_UNCERTIFIED, ONSITE_WHEN_OFFSITE_SUFFICES, TEAM_TOO_SMALL } from '../rules/declarations/onsite.js';
import type { RuleResult } from '../rules/result.js';
import { SCOPE_EFFECTIVE_DATE } from '../rules/declarations/scope.js';

/**
 * The guards checked before an inspection code is issued (Art. 3, 7, 9, 11, 12, 18, 32, 43): the pure
 * checks of src/rules, each named by its rule id, over the facts the command loaded. Plan, special-plan
 * and frequency results come from their own modules and are appended by the caller.
 */
export function basicGuards(f: GuardFacts): RuleResult[] {
  return [
    SCOPE_EFFECTIVE_DATE(f),
    MATTER_UNPUBLISHED(f),
    AGENCY_OUT_OF_AUTHORITY(f),
    CASE_WITHOUT_LEAD(f),
    TEAM_TOO_SMALL(f),
    INSPECTOR_UNCERTIFIED(f),
    CROSS_REGION_NO_ASSISTANCE(f),
    JURISDICTION_TERRITORIAL(f),
    ONSITE_WHEN_OFFSITE_SUFFICES(f),
  ];
}
