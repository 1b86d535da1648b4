import type { Database } from '../db/client.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { NotifiedCache } from '../db/notified-cache.js';
import { checkAt, loadCodeView, type CodeView, type PublicCheck } from './public-check.js';

export const CODE_CHANGED_CHANNEL = 'wh327_code_changed';

/**
 * The public check is the hottest read (every enterprise scanning at its door), so each instance keeps
 * the time-independent part of a code's answer in memory. A trigger announces every state change on
 * CODE_CHANGED_CHANNEL at commit and every instance drops that entry, so a revocation shows at once
 * everywhere. While the LISTEN connection is down, the cache is bypassed: correctness before speed.
 */
export class CodeCheckCache {
  // Bounded memory: ~1 KiB a view. Unknown codes are not kept: guessing random codes must not fill memory.
  private readonly views: NotifiedCache<CodeView | null>;

  constructor(private readonly database: Database) {
    this.views = new NotifiedCache(database, CODE_CHANGED_CHANNEL, {
      maxEntries: 20_000,
      ttlMs: 5 * 60_000,
      onNotify: (code, cache) => cache.delete(code),
      keep: (view) => view !== null,
    });
  }

  start(): Promise<void> {
    return this.views.start();
  }

  /** Idempotent: both the app and the process's shutdown path call it. */
  close(): Promise<void> {
    return this.views.close();
  }

  /**
   * Drops the views of codes whose inspection a command on this instance just changed (called after commit):
   * the database's notification reaches this instance too, but possibly after the command has answered, and
   * an enterprise checking right after a revocation or a close must not see the old state.
   */
  forget(subjects: readonly { subjectType: string; subjectId: string }[]): void {
    const changed = new Set(subjects.filter((s) => s.subjectType === 'inspection').map((s) => s.subjectId));
    if (changed.size === 0 || this.views.size === 0) return;
    this.views.deleteWhere((view) => view !== null && changed.has(view.inspectionId));
  }

  async check(code: string, now: Date, presented?: { kid?: string; signature?: string }): Promise<PublicCheck> {
    const replica = this.database.replica;
    if (replica) {
      // From the replica (DATABASE_REPLICA_URL) when it is fresh enough, never through the cache: the primary's
      // notification can arrive before the replica has replayed the change, and a view cached then would stay
      // old. The answer says how fresh it is (src/db/replica.ts).
      const fresh = await replica.freshness();
      if (fresh?.usable) {
        try {
          const view = await loadCodeView(replica.db, code);
          // A code the replica does not know yet may have been issued a moment ago: "查无此码" at the door would be
          // wrong, so an unknown code is asked of the primary (unknown codes are rate-limited, never cached).
          if (view) return { ...checkAt(view, code, now, presented), freshness: { source: 'replica', asOf: fresh.asOf.toISOString(), lagMs: fresh.lagMs } };
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
        }
      }
      const answer = checkAt(await this.views.get(code, () => loadCodeView(this.database.db, code)), code, now, presented);
      return { ...answer, freshness: { source: 'primary', asOf: new Date().toISOString(), lagMs: 0 } };
    }
    return checkAt(await this.views.get(code, () => loadCodeView(this.database.db, code)), code, now, presented);
  }
}
