import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveWebhookTarget } from './webhook-address.js';

/** What delivery needs of an HTTP client: one POST, its status, cancellable. Tests substitute their own. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

/** A lookup that answers the address already checked, so the connection goes where the check looked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

/**
 * The delivery's HTTP client: resolves and checks the destination at every attempt (webhook-address.ts),
 * connects to the checked address (TLS still verifies the certificate for the host name), follows no
 * redirect (a 3xx is a failed delivery: following it would re-post the signed body wherever the receiver
 * points, past the address check), reuses no connection, and reads no more of the answer than its status.
 */
export function webhookPoster(opts: { allowPrivate: boolean }): FetchLike {
  return async (raw, init) => {
    const { url, addresses } = await resolveWebhookTarget(raw, opts);
    const first = addresses[0]!;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const options: RequestOptions = {
      method: init.method,
      headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
      signal: init.signal,
      agent: false,
      lookup: pinnedLookup(first.address, first.family),
    };
    return new Promise((resolve, reject) => {
      const req = request(url, options, (res) => {
        resolve({ status: res.statusCode ?? 0 });
        res.destroy();
      });
      req.on('error', reject);
      req.end(init.body);
    });
  };
}
