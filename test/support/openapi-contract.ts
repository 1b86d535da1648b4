import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * The contract test (issue 15): every response an integration test receives through the test app is
 * checked against the app's own OpenAPI document — the status is documented for that operation, the
 * media type is one the status lists, and a JSON body matches the documented schema. A mismatch fails the
 * test that received it, naming the operation, so the document cannot drift from the API again.
 *
 * Requests that reach no documented operation must still answer problem+json in the Problem shape: a path
 * the document lacks (404), a method the path lacks (405). Routes hidden from the document (the console's
 * and portal's static files, the document's own pages) are not checked.
 */

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
}

interface PathMatcher {
  path: string;
  re: RegExp;
  params: number;
  literal: number;
}

interface Contract {
  doc: OpenApiDocument;
  ajv: Ajv2020;
  matchers: PathMatcher[];
  validators: Map<string, ValidateFunction>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// Per worker: one compiled contract per distinct document (documents differ only by config such as
// PUBLIC_BASE_URL and the public rate limit), shared by the files the worker runs.
const CONTRACTS = Symbol.for('wh327.openapiContracts');
const store = globalThis as { [CONTRACTS]?: Map<string, Contract> };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matchersOf(doc: OpenApiDocument): PathMatcher[] {
  return Object.keys(doc.paths)
    .map((path) => {
      const parts = path.split(/(\{[^}]+\})/);
      const re = new RegExp(`^${parts.map((p) => (p.startsWith('{') ? '[^/]+' : escapeRe(p))).join('')}$`);
      const params = parts.filter((p) => p.startsWith('{')).length;
      return { path, re, params, literal: parts.filter((p) => !p.startsWith('{')).join('').length };
    })
    .sort((a, b) => a.params - b.params || b.literal - a.literal); // static beats parametric, as in the router
}

/** The compiled contract for a document (its JSON text), cached per worker. */
export function contractFor(payload: string): Contract {
  const key = createHash('sha256').update(payload).digest('hex');
  const contracts = (store[CONTRACTS] ??= new Map());
  let c = contracts.get(key);
  if (!c) {
    const doc = JSON.parse(payload) as OpenApiDocument;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(ajv);
    ajv.addFormat('binary', true);
    ajv.addSchema(doc as object, 'openapi.json');
    c = { doc, ajv, matchers: matchersOf(doc), validators: new Map() };
    contracts.set(key, c);
  }
  return c;
}

const pointer = (...segments: string[]) => segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

function validatorFor(c: Contract, path: string, method: string, status: string, media: string): ValidateFunction {
  const ref = `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', media, 'schema')}`;
  let v = c.validators.get(ref);
  if (!v) {
    v = c.ajv.compile({ $ref: ref });
    c.validators.set(ref, v);
  }
  return v;
}

function problemValidator(c: Contract): ValidateFunction {
  const ref = 'openapi.json#/components/schemas/Problem';
  let v = c.validators.get(ref);
  if (!v) {
    v = c.ajv.compile({ $ref: ref });
    c.validators.set(ref, v);
  }
  return v;
}

const isJson = (media: string) => /[/+]json$/.test(media);

function documentedStatus(responses: Record<string, ResponseObject>, status: number): string | undefined {
  const s = String(status);
  if (responses[s]) return s;
  const range = `${s[0]}XX`;
  if (responses[range]) return range;
  return responses.default ? 'default' : undefined;
}

/**
 * OPENAPI_CONTRACT_COVERAGE=<file>: append each checked operation and status, one line each, so a run
 * can tell which documented operations the suite exercised (`sort -u` the file).
 */
const coverageFile = process.env.OPENAPI_CONTRACT_COVERAGE;
function noteCoverage(line: string) {
  if (coverageFile) appendFileSync(coverageFile, `${line}\n`);
}

export interface Exchange {
  method: string;
  url: string;
}

/** Why a response breaks the contract, or null when it keeps it. */
export function contractViolation(c: Contract, app: FastifyInstance, req: Exchange, res: LightMyRequestResponse): string | null {
  const method = req.method.toLowerCase();
  const path = req.url.split('?')[0]!;
  const media = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const status = res.statusCode;
  const what = `${req.method} ${path} → ${status} ${media || '(no content type)'}`;
  const body = () => {
    try {
      return JSON.parse(res.payload) as unknown;
    } catch {
      return undefined;
    }
  };
  const asProblem = (why: string): string | null => {
    if (media !== 'application/problem+json') return `${what}: ${why}, and not application/problem+json`;
    const v = problemValidator(c);
    return v(body()) ? null : `${what}: ${why}; the body is not a Problem: ${c.ajv.errorsText(v.errors)}`;
  };

  // HEAD answers carry no body; OPTIONS is no operation here, so it can only be refused.
  if (method === 'head') return null;
  if (method === 'options') return asProblem('no OPTIONS operation');
  const matched = c.matchers.find((m) => m.re.test(path));
  if (!matched) {
    // Not in the document: a hidden route (static files, the document's pages) or no route at all.
    if (app.findRoute({ method: req.method.toUpperCase() as 'GET', url: path })) return null;
    return asProblem('no documented path');
  }
  const operation = c.doc.paths[matched.path]![method];
  if (!operation) {
    if (status !== 405) return `${what}: ${matched.path} has no ${req.method} operation, so the answer must be 405`;
    if (!res.headers.allow) return `${what}: a 405 without an Allow header`;
    return asProblem('405');
  }
  const op = `${operation.operationId ?? `${req.method} ${matched.path}`} (${req.method} ${matched.path})`;
  noteCoverage(`${req.method.toUpperCase()} ${matched.path} ${status}`);
  const key = documentedStatus(operation.responses, status);
  if (!key) return `${op} answered ${status}${problemCode(body())}, which the document does not list (it lists ${Object.keys(operation.responses).join(', ')})`;
  const documented = operation.responses[key]!;
  const content = documented.content ?? {};
  if (Object.keys(content).length === 0) {
    return res.rawPayload.length === 0 ? null : `${op} answered ${status} with a ${media || 'typeless'} body, but the document lists no content for it`;
  }
  if (!content[media]) return `${op} answered ${status} as ${media || '(no content type)'}, but the document lists ${Object.keys(content).join(', ')}${problemCode(body())}`;
  if (!isJson(media) || content[media]!.schema === undefined) return null;
  if (media === 'application/problem+json' && (body() as { status?: unknown } | undefined)?.status !== status) return `${op} answered ${status} with a problem whose status says otherwise`;
  const v = validatorFor(c, matched.path, method, key, media);
  return v(body()) ? null : `${op} answered ${status} ${media} with a body outside its schema: ${c.ajv.errorsText(v.errors, { dataVar: 'body' })}`;
}

function problemCode(body: unknown): string {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (code ${code})` : '';
}

// Per worker: the contract of the document an app with this configuration serves. The test apps differ only by
// their configuration (test-app.ts builds every one with the same code and dependencies), and building the 1 MB
// document anew cost each app ~0.1–0.2 s of CPU, for the same document as the last app of that configuration.
const BY_CONFIG = Symbol.for('wh327.openapiContractsByConfig');
const byConfigStore = globalThis as { [BY_CONFIG]?: Map<string, Contract> };

/**
 * Wraps `app.inject(options)` so every response is checked against the app's document; the document
 * is fetched from the app once, on the first request, unless an app of the same configuration (`config`,
 * as test-app.ts passes it) already fetched it in this worker.
 */
export function checkContract(app: FastifyInstance, config?: object): void {
  const inject = app.inject.bind(app);
  let contract: Promise<Contract> | undefined;
  const key = config ? createHash('sha256').update(JSON.stringify(config)).digest('hex') : undefined;
  const byConfig = (byConfigStore[BY_CONFIG] ??= new Map());
  const fetchDocument = () =>
    inject({ method: 'GET', url: '/docs/json' }).then((r) => {
      const c = contractFor(r.payload);
      if (key) byConfig.set(key, c);
      return c;
    });
  const load = () => (contract ??= (key && byConfig.has(key) ? Promise.resolve(byConfig.get(key)!) : fetchDocument()));
  const checked = async (opts: InjectOptions) => {
    const res = await inject(opts);
    const o = opts as { method?: string; url?: string | { pathname?: string }; path?: string };
    const url = typeof o.url === 'string' ? o.url : (o.path ?? o.url?.pathname ?? '/');
    const violation = contractViolation(await load(), app, { method: o.method ?? 'GET', url }, res);
    if (violation) throw new Error(`OpenAPI contract: ${violation}`);
    return res;
  };
  // The chain API (no argument) and bare URLs are passed through unchecked.
  (app as { inject: unknown }).inject = (opts?: InjectOptions | string) => (opts === undefined || typeof opts === 'string' ? inject(opts as never) : checked(opts));
}
