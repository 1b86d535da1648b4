import { GUARD_RULES, ruleArticle, type RuleId } from '../rules/catalog.js';

/**
 * The one error registry (fastify's lib/errors.js pattern): every error the API returns has a stable
 * code, an HTTP status and zh/en titles; errors that come from a rule carry its id and article.
 * Codes are never reused. docs/errors.md is kept in step with this file by a test.
 */
export interface ErrorDef {
  code: string;
  status: number;
  titleZh: string;
  titleEn: string;
  rule?: RuleId;
  article?: string;
}

const plain = (code: string, status: number, titleZh: string, titleEn: string): ErrorDef => ({
  code,
  status,
  titleZh,
  titleEn,
});

const PLAIN_ERRORS = [
  // Request shape
  plain('VALIDATION', 400, '请求参数无效', 'Invalid request'),
  plain('CREDIT_CODE_INVALID', 400, '统一社会信用代码校验未通过（GB 32100-2015）', 'Unified social credit code fails the GB 32100-2015 check'),
  plain('PAYLOAD_TOO_LARGE', 413, '请求内容过大', 'Request body too large'),
  plain('URI_TOO_LONG', 414, '请求地址过长', 'Request URI or path parameter too long'),
  plain('UNSUPPORTED_MEDIA_TYPE', 415, '不支持的请求内容类型', 'Unsupported content type'),
  // Identity and access
  plain('UNAUTHENTICATED', 401, '未登录或令牌无效', 'Missing or invalid bearer token'),
  plain('TOKEN_EXPIRED', 401, '令牌已过期', 'Token expired'),
  plain('FORBIDDEN_ROLE', 403, '当前角色无权执行此操作', 'This role may not perform the action'),
  plain('OUT_OF_SCOPE', 403, '超出本单位或本辖区的权限范围', 'Outside the caller’s agency, district or enterprise'),
  // The token is authentic but the registry does not know, or no longer admits, the unit it names (src/auth/directory.ts).
  plain('PRINCIPAL_UNKNOWN', 403, '令牌所称单位或企业未登记', 'The agency or enterprise the token names is not registered'),
  plain('PRINCIPAL_INACTIVE', 403, '令牌所称行政执法主体已停用', 'The agency the token names is no longer active'),
  // GET /metrics without METRICS_TOKEN answers this host only (src/metrics/route.ts).
  plain('METRICS_FORBIDDEN', 403, '运行指标仅对本机或持有指标令牌者开放', 'Metrics are served to this host, or to holders of METRICS_TOKEN, only'),
  plain('SUPERVISOR_NOT_JUSTICE_BUREAU', 403, '监督人员须属于本市司法行政部门', 'A supervisor must belong to a Wuhan justice bureau'),
  // Resources and state
  plain('NOT_FOUND', 404, '资源不存在', 'Not found'),
  plain('METHOD_NOT_ALLOWED', 405, '该地址不接受此请求方法', 'Method not allowed on this path (see the Allow header)'),
  plain('ALREADY_EXISTS', 409, '资源已存在', 'Already exists'),
  plain('INVALID_TRANSITION', 409, '当前状态下不允许该操作', 'Not allowed in the current state'),
  plain('VERSION_CONFLICT', 409, '数据已被他人修改，请刷新后重试', 'Modified concurrently; reload and retry'),
  plain('IDEMPOTENCY_KEY_REUSED', 422, '幂等键已用于不同的请求', 'Idempotency-Key already used for a different request'),
  plain('REFERENCE_INVALID', 422, '引用的数据不存在或不可用', 'A referenced record does not exist or cannot be used'),
  // The head approves a scheme with failed checks only on the officer's stated reason: the platform's policy (src/visits/approval-checks.ts).
  plain('FAILED_CHECKS_UNEXPLAINED', 422, '检查方案有未通过的规则检查且未说明理由，负责人不能批准', 'The scheme fails some checks and the officer has not stated why; the head cannot approve it'),
  plain('CALENDAR_YEAR_UNPUBLISHED', 422, '该年度的法定节假日安排尚未发布', 'No official holiday calendar for that year'),
  plain('REPORT_DUPLICATE_VISIT', 409, '该次检查已报告过', 'This visit has already been reported'),
  plain('REPORT_PHOTO_QUOTA', 422, '今日上传照片已达上限', 'The daily photo quota for reports is used up'),
  plain('AUDIT_LOG_EMPTY', 409, '审计日志尚无已入链的记录', 'The audit chain is empty; there is no head to sign'),
  plain('AUDIT_ROLLBACK', 409, '审计日志已被回退，拒绝签发检查点', 'The audit chain is behind the last signed checkpoint; no checkpoint is signed'),
  // Infrastructure
  plain('RATE_LIMITED', 429, '请求过于频繁，请稍后再试', 'Too many requests'),
  plain('INTERNAL', 500, '服务器内部错误', 'Internal server error'),
  plain('DATABASE_UNAVAILABLE', 503, '数据库暂不可用，请稍后重试', 'Database unavailable; retry later'),
] as const;

/** Rule refusals answer 422: the request is well-formed but the regulation forbids it. */
const RULE_ERRORS: ErrorDef[] = GUARD_RULES.map((r) => ({
  code: r.id,
  status: 422,
  titleZh: r.titleZh,
  titleEn: r.titleEn,
  rule: r.id,
  article: ruleArticle(r.id),
}));

export const ERRORS: readonly ErrorDef[] = [...PLAIN_ERRORS, ...RULE_ERRORS];

export type PlainErrorCode = (typeof PLAIN_ERRORS)[number]['code'];
export type ErrorCode = PlainErrorCode | (typeof GUARD_RULES)[number]['id'];

const byCode = new Map(ERRORS.map((e) => [e.code, e]));
if (byCode.size !== ERRORS.length) throw new Error('duplicate error code in the registry');

export function errorDef(code: string): ErrorDef {
  const def = byCode.get(code);
  if (!def) throw new Error(`unknown error code ${code}`);
  return def;
}
