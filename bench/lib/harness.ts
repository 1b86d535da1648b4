import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';

/** Runs autocannon against a listening app on loopback, bounded in time and connections. */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; method?: 'GET' | 'POST'; headers?: Record<string, string>; paths?: () => string } = {},
): Promise<{ rps: number; p50: number; p99: number; non2xx: number; errors: number }> {
  const result = await autocannon({
    url,
    connections: opts.connections ?? 10,
    duration: opts.seconds ?? 5,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    ...(opts.paths ? { requests: [{ setupRequest: (req: { path?: string }) => ({ ...req, path: opts.paths!() }) }] } : {}),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** Repeats `fn` for at least `ms` milliseconds and returns operations per second. */
export function opsPerSecond(fn: () => void, ms = 2000): number {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (n / elapsed) * 1000;
}

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
