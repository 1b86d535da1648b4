/** Compatibility: the scope checks now live in their declarations (src/rules/declarations/scope.ts). */
export { REGULATION_EFFECTIVE, SCOPE_EFFECTIVE_DATE, SCOPE_ENTITY, SCOPE_EXCLUDED_RELATION, SCOPE_NO_CODE, SCOPE_RELATION_CONTRADICTED, type RelationFacts } from './declarations/scope.js';
