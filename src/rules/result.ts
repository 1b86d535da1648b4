import { ruleArticle, type RuleId } from './catalog.js';

/**
 * What every rule function returns (json-rules-engine style): the fact observed and the limit, so the
 * caller can explain a refusal or build a flag from it without recomputing anything.
 */
export interface RuleResult {
  rule: RuleId;
  article: string;
  observed: unknown;
  limit: unknown;
  passed: boolean;
  /** zh-CN sentence for the officer or supervisor. */
  detail?: string;
}

export function ruleResult(
  rule: RuleId,
  passed: boolean,
  observed: unknown,
  limit: unknown,
  detail?: string,
): RuleResult {
  return { rule, article: ruleArticle(rule), observed, limit, passed, ...(detail ? { detail } : {}) };
}
