import type { RuleId } from './catalog.js';

/**
 * Each rule's article citation, registered by its declaration (src/rules/define.ts) when its module loads:
 * a result is built only by a declaration's own code, so its rule is always registered. Kept here, not
 * read from the catalogue, so a declaration module never imports the catalogue that lists it.
 */
const ARTICLES = new Map<string, string>();

export function registerArticle(rule: string, article: string): void {
  ARTICLES.set(rule, article);
}

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
  const article = ARTICLES.get(rule);
  if (article === undefined) throw new Error(`rule ${rule} has no declaration loaded`);
  const text = passed ? (passedDetail ?? (detail ? `符合${article}的规定` : undefined)) : detail;
  return { rule, article, observed, limit, passed, ...(text ? { detail: text } : {}) };
}
