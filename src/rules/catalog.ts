import { articlesLabel, type ArticleRef } from './article.js';
import { DECLARATIONS } from './declarations/index.js';

/**
 * The regulation read as rules (shared/regulation/RULES.md). A guard refuses an action; a detector
 * raises a flag for supervisors; some rules are both. Every refusal and flag carries `id` and `article`.
 * Each rule is declared once (src/rules/define.ts, src/rules/declarations/*.ts); this module lists them.
 */
export type { RuleKind, Severity } from './define.js';
import type { RuleKind, Severity } from './define.js';

export interface RuleDef {
  id: string;
  articles: readonly ArticleRef[];
  kind: RuleKind;
  severity: Severity;
  titleZh: string;
  titleEn: string;
}

/** The catalogue is the declarations (src/rules/declarations/), one per rule id. */
export const RULES = DECLARATIONS;

export type RuleId = (typeof RULES)[number]['id'];

const byId = new Map<string, RuleDef>(RULES.map((r) => [r.id, r]));

export function ruleDef(id: RuleId): RuleDef {
  return byId.get(id)!;
}

/** The declaration of a rule named by a string another module holds (a machine state's `meta.refusedBy`). */
export function declarationOf(id: string): (typeof RULES)[number] {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id} is declared`);
  return found;
}

export function ruleArticle(id: RuleId): string {
  return articlesLabel(ruleDef(id).articles);
}

/** Rules that can refuse an action (their ids double as error codes). */
export const GUARD_RULES = RULES.filter((r) => r.kind === 'guard' || r.kind === 'guard+detector');
