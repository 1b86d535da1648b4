import type { FastifyDynamicSwaggerOptions as SwaggerOptions } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { ERRORS } from '../errors/registry.js';
import { exemptFromBudget } from './rate-limit.js';
import { Problem } from './schemas.js';

/**
 * The OpenAPI document, made to say what the API does (issue 15): every error as
 * application/problem+json with the statuses the operation can actually give, binary, CSV and HTML
 * answers under their own media types, an operationId on every operation and a `servers` entry.
 *
 * It is done here, centrally, in @fastify/swagger's `transform` (per route) and `transformObject` (the
 * whole document), so a route only declares its success schema (and `produces` when it is not JSON) and
 * every route — including those added later — gets the rest. Nothing here changes how fastify
 * validates or serialises: the transforms touch only the document.
 */

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
/** Operation key carrying the problem statuses from `transform` to `transformObject`; removed there. */
const STATUSES_KEY = 'x-problem-statuses';

/** What each problem status means here; the codes it carries are listed from the registry. */
const STATUS_TEXT: Record<number, string> = {
  400: '请求参数无效 / invalid request: a field, a path or query parameter (an unlisted query parameter is refused by name), the JSON body',
  401: '未登录或令牌无效 / missing, invalid or expired bearer token',
  403: '无权执行 / the role may not do this, or the record is outside the caller’s agency, district or enterprise',
  404: '资源不存在 / not found',
  409: '状态冲突 / conflicts with the current state or a concurrent change',
  413: '请求内容过大 / request body too large',
  414: '请求地址过长 / a path parameter too long',
  415: '不支持的请求内容类型 / the body is not application/json',
  422: '规则拒绝或引用无效 / refused by a rule of the Order — `code`, `rule` and `article` name it (GET /api/v1/errors lists them) — or a referenced record cannot be used',
  429: '请求过于频繁 / rate limited; retry after the time in Retry-After',
  500: '服务器内部错误 / internal error; the body carries no internals',
  503: '数据库暂不可用 / database unavailable; retry after Retry-After',
};

// @fastify/swagger says 'Default Response' where a success schema has no description of its own.
const SUCCESS_TEXT: Record<string, string> = { '200': '成功 / OK', '201': '已创建 / created', '202': '已受理 / accepted', '204': '成功，无内容 / no content' };

function statusDescription(status: number): string {
  // Rule refusals are many and listed at /api/v1/errors; the plain codes are few enough to name here.
  const codes = ERRORS.filter((e) => e.status === status && !e.rule).map((e) => e.code);
  const text = STATUS_TEXT[status] ?? '错误 / error';
  return codes.length ? `${text} (${codes.join(', ')})` : text;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A stable, readable operationId from method and path: `GET /api/v1/inspections/:id/code.png` →
 * `getInspectionsByIdCodePng`. Unique because method + path is; a route may still set its own.
 */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', ...segment.slice(1).split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * The problem statuses an operation can answer, from what every route shares: the schema and the
 * control-character and unknown-query checks (400, 500) on all; the door (401; 403 unless public);
 * a missing record and the router's parameter length limit (404, 414) where the path has parameters;
 * state conflicts, body limits and rule refusals (409, 413, 415, 422) on writes; 429 on every route the
 * rate limiter counts (src/http/rate-limit.ts: all but the API docs, /health, /ready and /.well-known/*, per address or per caller); 503 wherever the database is read. A route adds the statuses it gives beyond these by naming
 * them in its response schema (`responses(ok, 200, [404])`).
 */
export function problemStatuses(route: Pick<RouteOptions, 'url' | 'method' | 'config'>, declared: Iterable<number> = []): number[] {
  const method = String(Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
  const config = (route.config ?? {}) as { access?: unknown };
  const out = new Set<number>([400, 500, ...declared]);
  // A public route still authenticates a token it is given, so a bad one answers 401 there too.
  out.add(401);
  if (config.access !== 'public') out.add(403);
  if (route.url.includes(':')) [404, 414].forEach((s) => out.add(s));
  if (WRITE_METHODS.has(method)) [409, 413, 415, 422].forEach((s) => out.add(s));
  if (!exemptFromBudget(route.url)) out.add(429);
  if (route.url !== '/health') out.add(503);
  return [...out].sort((a, b) => a - b);
}

const isProblemKey = (key: string) => /^[45]/.test(key);
const isJson = (media: string) => /[/+]json$/.test(media.split(';')[0]!.trim());

/** Operation key carrying which headers an operation takes or answers, from `transform` to `transformObject`. */
const HEADERS_KEY = 'x-declared-headers';
interface DeclaredHeaders {
  /** The route runs through runIdempotent (config.idempotent): it takes Idempotency-Key. */
  idempotent: boolean;
  /** The list answers its total in x-total-count (its summary says so). */
  totalCount: boolean;
  /** The answer is a file a client saves (PDF, CSV, a photo): it may carry Content-Disposition. */
  attachment: boolean;
}
/**
 * A route whose body its own parser reads (NDJSON, CSV) names it under this schema key; the document then
 * declares it as the operation's requestBody.
 */
export const RAW_BODY_KEY = 'x-raw-body';
export interface RawBody {
  mediaTypes: string[];
  description: string;
}
const ATTACHMENT_TYPES = new Set(['application/pdf', 'text/csv', 'application/x-ndjson', 'image/jpeg', 'image/webp']);

/**
 * A query parameter with a default is optional to the client (the server fills it in), whatever the
 * validation schema's `required` says — TypeBox lists every non-Optional member there, and generated
 * clients then demanded `limit` and `offset` on 26 operations (issue 23). The document only: a copy.
 */
function optionalDefaults(querystring: unknown): unknown {
  const q = querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] };
  if (!q.required || !q.properties) return querystring;
  const required = q.required.filter((name) => q.properties![name]?.default === undefined);
  const { required: _old, ...rest } = q;
  return required.length ? { ...rest, required } : rest;
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: '幂等键：同一持有人以同一角色和单位重发同一请求时返回首次结果，不重复办理 / replays the first answer to the same subject, role and unit',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_\\-:.]{8,128}$' },
};
const HEADER_TEXT = {
  retryAfter: { description: '建议的重试等待秒数 / seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  totalCount: { description: '符合条件的记录总数 / the total number of matching records', schema: { type: 'integer', minimum: 0 } },
  disposition: { description: '文件名（下载时）/ the file name, for a download', schema: { type: 'string' } },
};

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown>; produces?: string[]; operationId?: string; hide?: boolean };

/** Per route: operationId, the success response under its real media type, the problem statuses. */
const transform: NonNullable<SwaggerOptions['transform']> = ({ schema, url, route }) => {
  const s = schema as unknown as RouteSchema | undefined;
  if (!s || s.hide) return { schema, url };
  const response: Record<string, unknown> = {};
  const declared: number[] = [];
  for (const [key, value] of Object.entries(s.response ?? {})) {
    if (!isProblemKey(key)) response[key] = value;
    else if (/^\d{3}$/.test(key)) declared.push(Number(key));
  }
  const produces = s.produces?.filter((m) => !isJson(m));
  if (produces?.length) {
    // Binary (images, PDF) as bytes, text (CSV, HTML, SVG) as a string.
    const text = produces.every((m) => m.startsWith('text/') || m === 'image/svg+xml');
    const body = text ? { type: 'string' } : { type: 'string', format: 'binary' };
    const successes = Object.keys(response);
    for (const key of successes.length ? successes : ['200']) {
      const description = (response[key] as { description?: string } | undefined)?.description;
      response[key] = { ...body, ...(description ? { description } : {}) };
    }
  }
  const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
  const config = (route.config ?? {}) as { idempotent?: boolean };
  const out = {
    ...s,
    ...(s.querystring ? { querystring: optionalDefaults(s.querystring) } : {}),
    operationId: s.operationId ?? operationIdFor(method, route.url),
    response,
    [STATUSES_KEY]: problemStatuses(route, declared),
    [HEADERS_KEY]: {
      idempotent: config.idempotent === true,
      totalCount: typeof s.summary === 'string' && s.summary.includes('x-total-count'),
      attachment: Boolean(produces?.some((m) => ATTACHMENT_TYPES.has(m.split(';')[0]!.trim()))),
    } satisfies DeclaredHeaders,
  };
  return { schema: out as unknown as typeof schema, url };
};

type Operation = { responses?: Record<string, unknown>; parameters?: unknown[]; [STATUSES_KEY]?: number[]; [HEADERS_KEY]?: DeclaredHeaders };

/** The whole document: the shared Problem schema, and each operation's problems referring to it. */
const transformObject: NonNullable<SwaggerOptions['transformObject']> = (documentObject) => {
  const doc = ('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as {
    components?: { schemas?: Record<string, unknown> };
    paths?: Record<string, Record<string, Operation>>;
  };
  // The Problem schema, with `code` closed over the registry: a client can switch on it exhaustively.
  const problem = JSON.parse(JSON.stringify(Problem)) as { properties: { code: Record<string, unknown> } };
  problem.properties.code = { ...problem.properties.code, enum: ERRORS.map((e) => e.code) };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: problem } };
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      const statuses = op[STATUSES_KEY];
      if (!statuses) continue;
      delete op[STATUSES_KEY];
      const responses = { ...op.responses } as Record<string, { description?: string; content?: unknown }>;
      for (const [status, response] of Object.entries(responses)) {
        if (response.description === 'Default Response') response.description = SUCCESS_TEXT[status] ?? '成功 / success';
      }
      const headers = op[HEADERS_KEY];
      delete op[HEADERS_KEY];
      for (const [status, response] of Object.entries(responses)) {
        if (!/^2/.test(status)) continue;
        const declared: Record<string, unknown> = {};
        if (headers?.totalCount) declared['x-total-count'] = HEADER_TEXT.totalCount;
        if (headers?.attachment) declared['Content-Disposition'] = HEADER_TEXT.disposition;
        if (Object.keys(declared).length) (response as { headers?: unknown }).headers = declared;
      }
      for (const status of statuses) {
        responses[String(status)] = {
          description: statusDescription(status),
          // 429 and 503 say when to come back (the rate limiter, and the database being unavailable).
          ...(status === 429 || status === 503 ? { headers: { 'Retry-After': HEADER_TEXT.retryAfter } } : {}),
          content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
        };
      }
      op.responses = responses;
      // A body read raw by its route (an import batch): declared here, since a `body` schema would be validated.
      const raw = (op as { [RAW_BODY_KEY]?: RawBody })[RAW_BODY_KEY];
      if (raw) {
        delete (op as { [RAW_BODY_KEY]?: RawBody })[RAW_BODY_KEY];
        (op as { requestBody?: unknown }).requestBody = {
          required: true,
          description: raw.description,
          content: Object.fromEntries(raw.mediaTypes.map((m) => [m, { schema: { type: 'string' } }])),
        };
      }
      if (headers?.idempotent) op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY_PARAMETER];
    }
  }
  return doc as ReturnType<NonNullable<SwaggerOptions['transformObject']>>;
};

/** For @fastify/swagger's options (src/app.ts holds the document's header: info, servers, tags). */
export const openapiTransforms = {
  // Server URLs may carry a reverse proxy's path prefix; the routes' own paths are kept whole.
  stripBasePath: false,
  transform,
  transformObject,
} satisfies Partial<SwaggerOptions>;
