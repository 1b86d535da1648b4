import type { RuleResult } from '../rules/result.js';
import { errorDef, type ErrorCode } from './registry.js';

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `body.creditCode`. */
  field: string;
  message: string;
}

/**
 * A refusal the API explains: the registry gives status and titles; `detail` says what happened in
 * zh-CN; `extensions` carry machine-readable context (current state, allowed events, rule results).
 */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
    this.status = errorDef(code).status;
  }

  static field(field: string, message: string, code: ErrorCode = 'VALIDATION'): DomainError {
    return new DomainError(code, `字段 ${field} 无效：${message}`, { errors: [{ field, message }] });
  }

  /** The first failed result names the error; every failed result travels along for the caller. */
  static fromRules(failed: RuleResult[]): DomainError {
    const first = failed[0];
    if (!first) throw new Error('fromRules needs at least one failed result');
    return new DomainError(first.rule as ErrorCode, first.detail ?? errorDef(first.rule).titleZh, {
      rule: first.rule,
      observed: first.observed,
      limit: first.limit,
      violations: failed,
    });
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} ${id} 不存在`);
  }
}
