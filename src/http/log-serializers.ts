import type { FastifyRequest } from 'fastify';

/**
 * What a log line may say about a request and an error (issue 15 items 5 and 6). Query strings are logged
 * by their parameter names only: a value may be a token put in a URL (`?access_token=`), a credit code or
 * a person's name typed into a filter. Errors keep their type, code and the SQL text, never the values
 * bound to it: drizzle's "Failed query … params: …" and PostgreSQL's `detail` ("Key (credit_code)=(…)")
 * carry inspectors' names, certificate numbers and credit codes.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const name = pair.split('=')[0] ?? '';
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return `${decoded.replace(/[^\w.[\]-]/g, '_').slice(0, 40)}=[redacted]`;
    });
  return `${url.slice(0, q)}?${names.join('&')}`;
}

const stripParams = (text: string | undefined) => text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '\nparams: [redacted]');

interface LoggedError {
  type: string;
  message?: string;
  code?: unknown;
  statusCode?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  stack?: string;
  cause?: LoggedError;
}

export function safeError(err: unknown, depth = 0): LoggedError | unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? stripParams(err) : err;
  const e = err as Error & Record<string, unknown>;
  const out: LoggedError = { type: e.constructor?.name ?? 'Error', message: stripParams(e.message), stack: stripParams(e.stack) };
  for (const k of ['code', 'statusCode', 'constraint', 'table', 'column'] as const) if (e[k] !== undefined) out[k] = e[k];
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1) as LoggedError;
  return out;
}

export function requestForLog(req: FastifyRequest) {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip };
}
