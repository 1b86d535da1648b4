/** Compatibility: the authority checks now live in their declarations (src/rules/declarations/authority.ts). */
export { AGENCY_OUT_OF_AUTHORITY, CROSS_REGION_NO_ASSISTANCE, JURISDICTION_TERRITORIAL, MATTER_UNPUBLISHED } from './declarations/authority.js';
