import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isEmpty, seedDemo } from '../seeds/demo.js';
import { buildApp } from './app.js';
import { configureChainHash } from './audit/canonical.js';
import { auditMacKeysFor, withAuditMac } from './audit/mac.js';
import { CheckpointWitness, sealPending } from './audit/sealer.js';
import { witnessProblem } from './audit/witness.js';
import { migrateAsOwner, runtimeRoleWeakness } from './db/roles.js';
import { sql } from 'drizzle-orm';
import { loadOrCreateDevKey } from './auth/dev-key.js';
import { loadKeyring } from './codes/keyring.js';
import type { Config } from './config/config.js';
import { openDatabase, type Database } from './db/client.js';
import { runSweep, sweepOptions } from './sweeper/run.js';
import { clockStartingAt, systemClock, type Clock } from './time/clock.js';

export function clockFor(config: Config): Clock {
  return config.clockStart ? clockStartingAt(new Date(config.clockStart)) : systemClock;
}

/**
 * The database as configured, for the server and the CLIs alike. With DATABASE_OWNER_URL, `migrate()` runs
 * as the owner role and grants the runtime role its rights (src/db/roles.ts).
 */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  configureChainHash(config.auditChainHash);
  if (config.databaseUrl) {
    const database = await openDatabase({ url: config.databaseUrl, replicaUrl: config.databaseReplicaUrl, replicaMaxLagMs: config.replicaMaxLagMs });
    const { databaseOwnerUrl: ownerUrl, databaseAppRole: appRole } = config;
    if (ownerUrl && appRole) database.migrate = () => migrateAsOwner(ownerUrl, appRole);
    return database;
  }
  const dir = resolve(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  return openDatabase({ dataDir: dir });
}

/**
 * Everything a running server needs beyond the app itself: the database migrated, the demo data on an
 * empty database (when configured), the audit sealer and the due-date sweeper on their intervals.
 */
export async function boot(config: Config): Promise<{ app: FastifyInstance; database: Database; seeded: boolean }> {
  // The signing keys first: a missing or group-readable key stops production before it touches the database.
  const keyring = loadKeyring({ keysDir: config.codeKeysDir, dataDir: config.dataDir, production: config.env === 'production', signingAlg: config.codeSigningAlg });
  const auditMac = auditMacKeysFor(config);
  const database = await openConfiguredDatabase(config);
  await database.migrate();
  const clock = clockFor(config);
  let seeded = false;
  if (config.seedDemo && (await isEmpty(database.db))) {
    await withAuditMac(auditMac, () => seedDemo(database.db, clock.now()));
    seeded = true;
  }
  const devKey = config.auth.devTokens || config.oidc.devProvider ? loadOrCreateDevKey(config.dataDir) : undefined;
  // The last signed checkpoint, kept outside the database: the sealer never signs behind it.
  const auditWitness = new CheckpointWitness(config.auditWitnessFile ?? resolve(config.dataDir, 'audit-witness.json'));
  const app = await buildApp(config, { database, clock, devKey, keyring, auditMac, auditWitness });
  app.services.metrics.collectProcessMetrics();
  if (auditWitness.latest) {
    const rollback = await witnessProblem(database.db, auditWitness.latest);
    if (rollback) {
      auditWitness.rollback = rollback;
      app.log.error({ audit: rollback }, `audit log rolled back behind the witnessed checkpoint ${auditWitness.latest.seq}: ${rollback.detail}`);
    }
  }
  if (database.driver === 'pg') {
    const weakness = await runtimeRoleWeakness((text) => database.db.execute(sql.raw(text)) as unknown as Promise<{ rows: Record<string, unknown>[] }>).catch(() => undefined);
    if (weakness) app.log.warn(weakness);
  }
  const checkpoints = { keyring, intervalMs: config.auditCheckpointIntervalMs, witness: app.services.auditWitness };

  let sealing: Promise<unknown> = Promise.resolve();
  let reportedRollback = auditWitness.rollback;
  const timer = setInterval(() => {
    sealing = sealPending(database.db, clock, checkpoints)
      .then(() => {
        // Said once: the sealer keeps refusing to sign until the log is restored, and verification names it.
        const rollback = auditWitness.rollback;
        if (rollback && rollback !== reportedRollback) {
          reportedRollback = rollback;
          app.log.error({ audit: rollback }, `audit sealer refuses to sign: ${rollback.detail}`);
        }
      })
      .catch((err) => app.log.warn({ err }, 'audit sealer pass failed; will retry'));
  }, config.auditSealIntervalMs);
  timer.unref();

  // One pass at a time per instance; other instances split the due rows through SKIP LOCKED.
  let sweeping: Promise<unknown> | null = null;
  const sweepTimer = setInterval(() => {
    if (sweeping) return;
    sweeping = app.services.metrics.sweep(() => runSweep(database.db, clock, { ...sweepOptions(config), auditMac }))
      .then((reports) => {
        for (const r of reports) {
          if (r.error) app.log.warn({ job: r.job, error: r.error }, 'sweeper job failed; will retry');
          else if (r.count > 0) app.log.info({ job: r.job, flags: r.count }, 'sweeper raised flags');
        }
      })
      .catch((err) => app.log.warn({ err }, 'sweeper pass failed; will retry'))
      .finally(() => {
        sweeping = null;
      });
  }, config.sweepIntervalMs);
  sweepTimer.unref();
  // Webhook delivery (Art. 8, 29): one pass at a time per instance (the dispatcher returns the pass running);
  // subscribers are leased across instances and served independently within a pass.
  let delivering: Promise<unknown> | null = null;
  const webhookTimer = setInterval(() => {
    if (delivering) return;
    delivering = app.services.webhooks
      .run()
      .then((passes) => {
        for (const p of passes) {
          if (p.deadLettered) app.log.warn({ client: p.clientId }, 'webhook event dead-lettered after WEBHOOK_MAX_ATTEMPTS failures; the subscriber moves on');
          else if (p.failed) app.log.warn({ client: p.clientId, delivered: p.delivered }, 'webhook delivery failed; will retry with back-off');
        }
      })
      .catch((err) => app.log.warn({ err }, 'webhook pass failed; will retry'))
      .finally(() => {
        delivering = null;
      });
  }, config.exchange.webhookIntervalMs);
  webhookTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    clearInterval(sweepTimer);
    clearInterval(webhookTimer);
    // Aborts the requests in flight: shutdown waits for bookkeeping, not for receivers.
    await app.services.webhooks.close();
    await delivering;
    await sweeping;
    await sealing;
    await sealPending(database.db, clock, checkpoints).catch(() => {});
    // The code-check listener holds the database too; stop it before the database goes (this hook may
    // run before the app's own).
    await app.services.codeChecks.close();
    await app.services.principals.close();
    await database.close();
  });
  return { app, database, seeded };
}

