import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import type { SweepReport } from '../sweeper/run.js';
import { SWEEP_JOBS } from '../sweeper/registry.js';
import type { Clock } from '../time/clock.js';

/**
 * The operators' view (GET /metrics, Prometheus text format). One registry per app instance, so two
 * instances in one process (tests, benchmarks) never mix their counts.
 *
 * Requests: one histogram by method, route PATTERN (never the raw URL: a code in the path would make a
 * series per code) and status — its _count is the request rate, status=~"5.." the errors, its buckets the
 * latency. The per-request cost is that one observe.
 * Database-derived gauges (webhook lag, audit sealing lag) are read when scraped, not per request.
 */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
// The rule of each sweeper job (src/sweeper/registry.ts), so flags are counted by rule id.
const RULE_OF_JOB = new Map(SWEEP_JOBS.map((j) => [j.name, j.rule as string]));

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly sweepPass: Histogram;
  private readonly sweepFlags: Counter<'rule' | 'job'>;
  private readonly sweepFailures: Counter<'job'>;

  constructor(database: Database, clock: Clock) {
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'wh327_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status: rate (_count), errors (status 5xx), latency',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sweepPass = new Histogram({
      name: 'wh327_sweeper_pass_seconds',
      help: 'Duration of one due-date sweeper pass (every job)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.sweepFlags = new Counter({ name: 'wh327_sweeper_flags_raised_total', help: 'Flags the sweeper raised, by rule id and job', labelNames: ['rule', 'job'], registers });
    this.sweepFailures = new Counter({ name: 'wh327_sweeper_job_failures_total', help: 'Sweeper jobs that failed in a pass (retried next pass)', labelNames: ['job'], registers });

    const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
    // A scrape while the database is down still answers (with the request and process metrics).
    const quietly = async (f: () => Promise<void>) => {
      try {
        await f();
      } catch {
        /* the gauge keeps no sample this scrape */
      }
    };

    // prom-client collects every family at once; a pair of families read from one query shares the reading
    // while it is in flight.
    const shared = (f: () => Promise<void>) => {
      let inFlight: Promise<void> | undefined;
      return () => (inFlight ??= quietly(f).finally(() => (inFlight = undefined)));
    };
    const readWebhookLag = shared(async () => {
      // Ages are computed in SQL: the drivers return timestamps in different shapes.
      const list = await rows<{ client_id: string; cursor: string | number; head: string | number | null; age: string | number | null }>(sql`
        SELECT d.client_id, d.cursor, (SELECT max(seq) FROM audit_chain) AS head,
               extract(epoch FROM ${clock.now().toISOString()}::timestamptz
                 - (SELECT e.occurred_at FROM audit_chain c JOIN audit_entries e ON e.id = c.entry_id WHERE c.seq = d.cursor + 1))::float8 AS age
        FROM webhook_deliveries d JOIN platform_clients p ON p.id = d.client_id WHERE p.active`);
      webhookLagEvents.reset();
      webhookLagSeconds.reset();
      for (const r of list) {
        webhookLagEvents.set({ subscriber: r.client_id }, Math.max(0, Number(r.head ?? 0) - Number(r.cursor)));
        webhookLagSeconds.set({ subscriber: r.client_id }, Math.max(0, Number(r.age ?? 0)));
      }
    });
    const webhookLagEvents = new Gauge({
      name: 'wh327_webhook_lag_events',
      help: 'Feed positions (audit chain) between the head and the subscriber’s acknowledged cursor (an upper bound: its filter may skip some)',
      labelNames: ['subscriber'],
      registers,
      collect: readWebhookLag,
    });
    const webhookLagSeconds = new Gauge({
      name: 'wh327_webhook_lag_seconds',
      help: 'Age of the oldest chained event after the subscriber’s cursor (0 when it has everything)',
      labelNames: ['subscriber'],
      registers,
      collect: readWebhookLag,
    });

    const readSealing = shared(async () => {
      const [r] = await rows<{ n: number | string; age: number | string | null }>(sql`
        SELECT count(*)::int AS n, extract(epoch FROM ${clock.now().toISOString()}::timestamptz - min(e.occurred_at))::float8 AS age
        FROM audit_pending p JOIN audit_entries e ON e.id = p.entry_id`);
      unsealed.set(Number(r?.n ?? 0));
      sealingLag.set(Math.max(0, Number(r?.age ?? 0)));
    });
    const unsealed = new Gauge({ name: 'wh327_audit_unsealed_entries', help: 'Committed audit entries not yet chained by the sealer', registers, collect: readSealing });
    const sealingLag = new Gauge({ name: 'wh327_audit_sealing_lag_seconds', help: 'Age of the oldest committed audit entry not yet chained (0 when none)', registers, collect: readSealing });

    // PGlite is one embedded session: it has no pool to saturate, so only the pg driver reports one.
    if (database.poolStats) {
      const stats = database.poolStats;
      new Gauge({
        name: 'wh327_db_pool_connections',
        help: 'Database pool connections by state: total (open), idle, waiting (requests queued for one), max (the pool size)',
        labelNames: ['state'],
        registers,
        collect() {
          const s = stats();
          this.set({ state: 'total' }, s.total);
          this.set({ state: 'idle' }, s.idle);
          this.set({ state: 'waiting' }, s.waiting);
          this.set({ state: 'max' }, s.max);
        },
      });
    }
    new Gauge({
      name: 'wh327_db_info',
      help: 'The database driver this instance uses (1)',
      labelNames: ['driver', 'replica'],
      registers,
      collect() {
        this.set({ driver: database.driver, replica: database.replica ? 'yes' : 'no' }, 1);
      },
    });
    const replica = database.replica;
    if (replica) {
      new Gauge({
        name: 'wh327_replica_lag_seconds',
        help: 'How far the public check’s read replica is behind (DATABASE_REPLICA_URL); absent when it cannot say',
        registers,
        async collect() {
          const f = await replica.freshness();
          if (f) this.set(f.lagMs / 1000);
          else this.reset();
        },
      });
    }
  }

  /** Process metrics (CPU, memory, event-loop lag, GC): the server turns them on, tests do not. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'wh327_' });
  }

  /** One request done; `route` is the matched pattern, or '(unmatched)' for a 404 outside every route. */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.requests.observe({ method, route: route ?? '(unmatched)', status }, seconds);
  }

  /** Runs a sweeper pass and records its time and the flags each job raised. */
  async sweep(pass: () => Promise<SweepReport[]>): Promise<SweepReport[]> {
    const end = this.sweepPass.startTimer();
    try {
      const reports = await pass();
      for (const r of reports) {
        if (r.error) this.sweepFailures.inc({ job: r.job });
        else this.sweepFlags.inc({ job: r.job, rule: RULE_OF_JOB.get(r.job) ?? r.job }, r.count);
      }
      return reports;
    } finally {
      end();
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
