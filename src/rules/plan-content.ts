/** Compatibility: PLAN_CONTENT now lives in its declaration (src/rules/declarations/plans.ts). */
export { PLAN_CONTENT, PLAN_FIELD_ZH, type PlanContent, type PlanItemContent } from './declarations/plans.js';
