import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it collects
 * again, in percent. V8's own factor scales with the heap limit it derives from the machine's memory: with
 * several GiB it lets the old generation grow to up to 4× its live size. Under a sustained load the API promotes
 * tens of MB a second into the old generation (the public check at ~20 k requests/s, mostly per-request objects
 * that outlive a scavenge), so its ~50 MB of live objects let the old generation fill with ~150 MB of garbage
 * before a mark-compact: 150–250 MiB of resident memory at peak that is garbage. At 50 % the full collections
 * (incremental, their marking mostly on a background thread) come one to two times a second under that load, for
 * ~10 % more CPU per request there; at rest nothing changes. Unlike --max-old-space-size this is no ceiling:
 * a heap that needs more still gets it. bench/probe-rss.ts measures it.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Applied when this module is evaluated, so every way of starting the API imports it FIRST — src/server.ts
 * (`npm start`, the Docker image) and bench/lib/check-server.ts (the memory figure) — and the limits V8 sets
 * while the rest of the module graph loads already use it. The flag is only read when V8 recomputes its limits
 * at the end of a full collection, so setting it at run time is safe. A --heap-growing-percent given to node
 * (it is not allowed in NODE_OPTIONS) wins.
 */
if (!process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
