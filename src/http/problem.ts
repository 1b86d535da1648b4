import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable, isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import { DomainError, type FieldError } from '../errors/domain-error.js';
import { errorDef, type ErrorCode } from '../errors/registry.js';
import { validationMessageZh } from './validation-zh.js';

/**
 * RFC 9457 problem+json for every error: `type` dereferences to the registry entry, `title` is zh-CN,
 * `code` is stable, `article` names the regulation where a rule refused. 5xx never carry internals.
 */
export function problemBody(req: FastifyRequest, code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}) {
  const def = errorDef(code);
  return {
    type: `/api/v1/errors/${code}`,
    title: def.titleZh,
    titleEn: def.titleEn,
    status: def.status,
    detail,
    code,
    ...(def.article ? { article: def.article, rule: def.rule } : {}),
    instance: req.url,
    requestId: req.id,
    ...extensions,
  };
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}) {
  const body = problemBody(req, code, detail, extensions);
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

function validationFields(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const context = err.validationContext ?? 'body';
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = [context, path, missing].filter(Boolean).join('.');
    return { field, message: validationMessageZh(v) };
  });
}

function classify(err: FastifyError): { code: ErrorCode; detail: string; ext?: Record<string, unknown> } {
  if (err instanceof DomainError) return { code: err.code, detail: err.detail, ext: err.extensions };
  if (err.validation) {
    const errors = validationFields(err);
    return { code: 'VALIDATION', detail: `请求参数无效：${errors.map((e) => `${e.field}${e.message}`).join('；')}`, ext: { errors } };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', detail: '请求内容超过允许的大小' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: '请使用 application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'VALIDATION', detail: '请求体不是有效的 JSON', ext: { errors: [{ field: 'body', message: '不是有效的 JSON' }] } };
    case 'FST_ERR_VALIDATION':
      return { code: 'VALIDATION', detail: '请求参数无效' };
  }
  if (err.statusCode === 429) return { code: 'RATE_LIMITED', detail: '请求过于频繁，请稍后再试' };
  if (err.statusCode === 400 && /JSON/i.test(err.name + (err.code ?? ''))) {
    return { code: 'VALIDATION', detail: '请求体不是有效的 JSON', ext: { errors: [{ field: 'body', message: '不是有效的 JSON' }] } };
  }
  if (isDatabaseUnavailable(err)) return { code: 'DATABASE_UNAVAILABLE', detail: '数据库暂不可用，请稍后重试' };
  if (isUniqueViolation(err)) return { code: 'ALREADY_EXISTS', detail: '记录已存在' };
  if (isForeignKeyViolation(err)) return { code: 'REFERENCE_INVALID', detail: '引用的数据不存在' };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { code: 'VALIDATION', detail: '请求无效' };
  }
  return { code: 'INTERNAL', detail: '服务器内部错误，请稍后重试或联系管理员' };
}

/**
 * No route for this method and path: 405 with `Allow` when the path exists under other methods (RFC 9110
 * §15.5.6; issue 15 found 400 and 404 here), otherwise 404.
 */
function notFoundOrNotAllowed(app: FastifyInstance, methods: ReadonlySet<string>, req: FastifyRequest, reply: FastifyReply) {
  const path = req.url.split('?')[0]!;
  const allow = [...methods].filter((m) => m !== req.method && app.findRoute({ method: m as HTTPMethods, url: path }) !== null);
  if (allow.length === 0) return sendProblem(reply, req, 'NOT_FOUND', `${req.method} ${path} 不存在`);
  reply.header('allow', allow.join(', '));
  return sendProblem(reply, req, 'METHOD_NOT_ALLOWED', `${path} 不接受 ${req.method} 方法，可用的方法：${allow.join('、')}`, { allowedMethods: allow });
}

export const problemPlugin = fp(
  async (app: FastifyInstance) => {
    // Every method some route answers, for the 405's Allow header.
    const methods = new Set<string>();
    // Literal paths (no parameter) and their methods: `PATCH /api/v1/plans/public` must not fall through to
    // `PATCH /api/v1/plans/:id` and answer 400 for an id "public" — the path exists, the method does not: 405.
    const literal = new Map<string, Set<string>>();
    app.addHook('onRoute', (route) => {
      for (const m of [route.method].flat()) methods.add(m);
      if (!/[:*]/.test(route.url)) for (const m of [route.method].flat()) literal.set(route.url, (literal.get(route.url) ?? new Set()).add(m));
    });
    app.addHook('onRequest', async (req, reply) => {
      if (!/[:*]/.test(req.routeOptions.url ?? '')) return;
      const path = req.url.split('?')[0]!;
      const allowed = literal.get(path);
      if (!allowed || allowed.has(req.method)) return;
      const allow = [...allowed];
      reply.header('allow', allow.join(', '));
      return sendProblem(reply, req, 'METHOD_NOT_ALLOWED', `${path} 不接受 ${req.method} 方法，可用的方法：${allow.join('、')}`, { allowedMethods: allow });
    });
    app.setErrorHandler((err: FastifyError, req, reply) => {
      // A request that matched no route but whose body or query failed first is still a 404 or 405.
      if (req.is404 && (err.statusCode ?? 500) < 500) return notFoundOrNotAllowed(app, methods, req, reply);
      const { code, detail, ext } = classify(err);
      const status = errorDef(code).status;
      if (status >= 500) req.log.error({ err }, 'request failed');
      else req.log.info({ code, detail }, 'request refused');
      const headers = (err as { headers?: Record<string, string> }).headers;
      if (code === 'RATE_LIMITED' && headers) reply.headers(headers);
      if (code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', '2');
      return sendProblem(reply, req, code, detail, status >= 500 ? {} : ext);
    });
    app.setNotFoundHandler((req, reply) => notFoundOrNotAllowed(app, methods, req, reply));
  },
  { name: 'problem' },
);

/**
 * Fastify's clientErrorHandler: a request Node's HTTP parser refused (issue 23: unencoded UTF-8 in the
 * request target got a plain-JSON 400). There is no request object, so the problem is written whole.
 */
export function clientErrorAsProblem(_err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (!socket.writable) return;
  const def = errorDef('VALIDATION');
  const body = JSON.stringify({
    type: '/api/v1/errors/VALIDATION',
    title: def.titleZh,
    titleEn: def.titleEn,
    status: 400,
    detail: '请求无法解析：请求地址中的中文等字符须先进行百分号编码',
    code: 'VALIDATION',
    instance: '',
    requestId: '',
    errors: [{ field: 'url', message: '格式不正确' }],
  });
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
