import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { projectPath } from '../../src/paths.js';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The largest resident set size of THIS process (the server under test) seen during the load, in MiB. */
  serverRssMiB: number;
}

/**
 * Runs autocannon against a listening app on loopback, bounded in time and connections — in a child process
 * (bench/lib/load-child.ts), so the load generator and the server each have their own event loop and the
 * server's figure and its baseline are measured alike. `paths` are requested in turn.
 */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; method?: 'GET' | 'POST'; headers?: Record<string, string>; paths?: string[] } = {},
): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/load-child.ts'], { cwd: projectPath(), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 200);
  child.stdin.end(JSON.stringify({ url, connections: opts.connections ?? 10, seconds: opts.seconds ?? 5, method: opts.method ?? 'GET', headers: opts.headers, paths: opts.paths }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return { ...(JSON.parse(out) as Omit<LoadResult, 'serverRssMiB'>), serverRssMiB: Math.round(rss / 2 ** 20) };
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
