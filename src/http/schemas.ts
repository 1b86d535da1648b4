import { Type, type TSchema } from 'typebox';

/** Schemas shared by several resources. Descriptions carry the Chinese term beside the English one. */
export const CalendarDate = Type.String({ format: 'date', description: '日期 YYYY-MM-DD（北京时间）/ calendar date in Asia/Shanghai' });
export const Instant = Type.String({ format: 'date-time', description: '时刻 / instant (ISO 8601)' });
export const CreditCode = Type.String({
  minLength: 18,
  maxLength: 18,
  description: '统一社会信用代码 / unified social credit code (GB 32100-2015)',
  // Passes the GB 32100-2015 check the API applies (test/unit/openapi-examples.test.ts keeps it so).
  examples: ['91420100MA4K12345K'],
});
export const AgencyCode = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: '行政执法主体代码 / agency code' });
export const DistrictCode = Type.String({ minLength: 2, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$', description: '行政区代码 / district code' });
export const Uuid = Type.String({ format: 'uuid' });
export const ShortText = (description: string, maxLength = 200) => Type.String({ minLength: 1, maxLength, description });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String({ description: '中文标题 / title in zh-CN' }),
    titleEn: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: '稳定错误码 / stable error code' }),
    article: Type.Optional(Type.String({ description: '所依据的条款，如“第十五条” / article of the regulation' })),
    rule: Type.Optional(Type.String()),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'application/problem+json (RFC 9457)' },
);

/**
 * The success schema plus the problem shapes, for `schema.response`. The OpenAPI document lists the
 * problem statuses every route of its kind can give (src/http/openapi.ts); `also` names those this route
 * gives beyond them (a 404 on a path without parameters, a 422 on a read).
 */
export function responses(ok: TSchema, status = 200, also: number[] = []) {
  const base = { [status]: ok, '4xx': Problem, '5xx': Problem };
  return Object.assign(base, Object.fromEntries(also.map((s) => [s, Problem]))) as typeof base;
}

/**
 * Any JSON value, by design: what an audit entry or a rule recorded as it was (a count, a date, a list).
 * The description says so, so the document never carries a bare `{}`.
 */
export const AnyJson = (description: string) => Type.Unknown({ description: `任意 JSON 值 / any JSON value: ${description}` });

/** A JSON object whose members vary with its kind (a review's answers, a notification), or null. */
export const OpenObject = (description: string) =>
  Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description });

export const Page = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: '每页条数 / page size' }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

