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
  /** zh-CN sentence for the officer or supervisor: what is wrong when failed, that it complies when passed. */
  detail?: string;
}

/**
 * `detail` is the failure's explanation. A passed check never carries it (issue 22, point 16: a passed
 * SCOPE_EFFECTIVE_DATE read "早于施行日期"): it says that it complies, with the article, unless the rule
 * gives a passing sentence of its own (`passedDetail`, e.g. the legal basis that let a smaller team pass).
 */
export function ruleResult(
  rule: RuleId,
  passed: boolean,
  observed: unknown,
  limit: unknown,
  detail?: string,
  passedDetail?: string,
): RuleResult {
  const article = ruleArticle(rule);
  const text = passed ? (passedDetail ?? (detail ? `符合${article}的规定` : undefined)) : detail;
  return { rule, article, observed, limit, passed, ...(text ? { detail: text } : {}) };
}
