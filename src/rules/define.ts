import { articlesLabel, type ArticleRef } from './article.js';
import type { RuleId } from './catalog.js';
import { registerArticle, ruleResult, type RuleResult } from './result.js';

/**
 * One declaration per rule (issue 25): what the catalogue lists (id, articles, kind, severity, titles),
 * what the check reads and how it judges (`check`), and how the rule is applied (`raisers`: the commands
 * that refuse with it, the commands or sweeper jobs that flag it, the commands that record what a
 * record-only article asks, or why the data cannot show it). src/rules/catalog.ts, raisers.ts, the error
 * registry's rule codes, docs/COMPLIANCE.md, the guards, the refusals and the sweeper all read it.
 */
export type RuleKind = 'guard' | 'detector' | 'guard+detector' | 'classification' | 'state_machine' | 'advice+detector' | 'feature';
export type Severity = 'low' | 'medium' | 'high';

/** A command: the exported function and the file that holds it (its code, or what it imports, names the rule). */
export interface CommandRef {
  command: string;
  file: string;
}
/** A due-date job of the sweeper (src/sweeper/registry.ts). */
export interface JobRef {
  job: string;
}
export type Raiser = CommandRef | JobRef;

export interface Reason {
  zh: string;
  en: string;
}

export interface RuleRaisers {
  /** Guards: the commands that refuse with this rule. */
  guardedBy?: readonly CommandRef[];
  /** Detectors: where the flag is raised. */
  raisedBy?: readonly Raiser[];
  /** Detectors the engine's data cannot show, and why. */
  notCheckable?: Reason;
  /** Record-only rules: the commands that record what the article asks (their code names the rule). */
  recordedBy?: readonly CommandRef[];
  /** A detector half another change in flight adds; listed so nobody takes it for watched. */
  pending?: Reason;
}

export interface RuleSpec<Id extends string, Check> {
  id: Id;
  articles: readonly ArticleRef[];
  kind: RuleKind;
  severity: Severity;
  titleZh: string;
  titleEn: string;
  /** What the check reads, in a sentence, where its parameter's type does not say it all. */
  facts?: string;
  /**
   * The pure check: facts in, `{ rule, article, observed, limit, passed, detail? }` out. Guards refuse on
   * a failed result; the sweeper's detectors run it on every candidate row and flag only `passed === false`.
   * Absent for rules judged by a machine's state, recorded only, or that the data cannot show (`raisers`).
   */
  check?: Check;
  raisers: RuleRaisers;
}

export interface RuleDeclaration<Id extends string = string, Check = unknown> extends Omit<RuleSpec<Id, Check>, 'check'> {
  check: Check;
  /**
   * The rule's result where the judging reads rows a pure function is not given (a plan's filing state, a
   * device's registrant): the command decides, the declaration words nothing but states the result.
   */
  fail(observed: unknown, limit: unknown, detail: string): RuleResult;
  pass(observed: unknown, limit: unknown, passedDetail?: string): RuleResult;
}

export function defineRule<const Id extends string, Check = undefined>(spec: RuleSpec<Id, Check>): RuleDeclaration<Id, Check> {
  registerArticle(spec.id, articlesLabel(spec.articles));
  return {
    ...spec,
    check: spec.check as Check,
    fail: (observed, limit, detail) => ruleResult(spec.id as unknown as RuleId, false, observed, limit, detail),
    pass: (observed, limit, passedDetail) => ruleResult(spec.id as unknown as RuleId, true, observed, limit, undefined, passedDetail),
  };
}

/** Where a rule is applied: a command (function and file) or a sweeper job. */
export const cmd = (command: string, file: string): CommandRef => ({ command, file });
export const job = (name: string): JobRef => ({ job: name });

/** Article references, as the catalogue writes them. */
export const a = (article: number, item?: number): ArticleRef => (item === undefined ? { article } : { article, item });
