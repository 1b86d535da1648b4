import autocannon from 'autocannon';

/**
 * The load generator in a process of its own (bench/lib/harness.ts starts it), so it does not share the
 * server's event loop: options as JSON on stdin, the result as JSON on stdout.
 */
interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  paths?: string[];
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const opts = JSON.parse(input) as LoadOptions;
let i = 0;
const paths = opts.paths;
const result = await autocannon({
  url: opts.url,
  connections: opts.connections,
  duration: opts.seconds,
  method: opts.method,
  headers: opts.headers,
  ...(paths ? { requests: [{ setupRequest: (req: { path?: string }) => ({ ...req, path: paths[i++ % paths.length] }) }] } : {}),
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
