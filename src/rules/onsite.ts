/** Compatibility: the on-site checks now live in their declarations (src/rules/declarations/onsite.ts). */
export {
  CASE_WITHOUT_LEAD,
  CODE_OUTSIDE_WINDOW,
  INSPECTOR_UNCERTIFIED,
  LEAD_KINDS,
  LEAD_KINDS_ZH,
  ONSITE_WHEN_OFFSITE_SUFFICES,
  ONSITE_WITHOUT_CODE,
  TEAM_TOO_SMALL,
  type ScanFacts,
} from './declarations/onsite.js';
