import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The access log (issue 17): one line per request, written when it completes, instead of Fastify's two
 * ("incoming request" now at debug level). Under a morning burst the public check alone would otherwise
 * write two lines per request — 77 MB in a minute's load test — so successful requests are sampled by a
 * counter, one in N (ACCESS_LOG_EVERY, and PUBLIC_CHECK_LOG_EVERY for the public check and the check page).
 * A refusal or an error (status 400 and above) is never sampled away: those are what an operator and a
 * supervisor look for.
 */
export interface AccessLogSettings {
  accessLogEvery: number;
  publicCheckLogEvery: number;
}

// The anonymous public code check (GET /api/v1/codes/{code}) and the check page (/v/{code}).
const isPublicCheck = (req: FastifyRequest) =>
  req.method === 'GET' && (req.routeOptions.url === '/api/v1/codes/:code' || req.routeOptions.url === '/v/:code');

export class AccessLogController extends LogController {
  #seen = 0;
  #seenPublic = 0;

  constructor(private readonly settings: AccessLogSettings) {
    super({});
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    if (reply.statusCode < 400 && !this.#sampled(request)) return;
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  /** One in N successful requests: a counter, so the share is exact and costs no random number. */
  #sampled(request: FastifyRequest): boolean {
    if (isPublicCheck(request)) return this.#seenPublic++ % this.settings.publicCheckLogEvery === 0;
    return this.#seen++ % this.settings.accessLogEvery === 0;
  }
}
