import type { Database } from '../db/client.js';
import { checkAt, loadCodeView, type CodeView, type PublicCheck } from './public-check.js';

export const CODE_CHANGED_CHANNEL = 'wh327_code_changed';

/**
 * The public check is the hottest read (every enterprise scanning at its door), so each instance keeps
 * the time-independent part of a code's answer in memory. A trigger announces every state change on
 * CODE_CHANGED_CHANNEL at commit and every instance drops that entry, so a revocation shows at once
 * everywhere. While the LISTEN connection is down, the cache is bypassed: correctness before speed.
 */
export class CodeCheckCache {
  private readonly views = new Map<string, { view: CodeView; at: number }>();
  private live = false;
  private stop?: () => Promise<void>;

  constructor(
    private readonly database: Database,
    // Bounded memory: ~1 KiB a view; the oldest entries go first.
    private readonly maxEntries = 20_000,
    // A safety net only: invalidation is by notification.
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async start(): Promise<void> {
    this.stop = await this.database.listen(
      CODE_CHANGED_CHANNEL,
      (code) => this.views.delete(code),
      (up) => {
        // Anything may have changed while notifications could not arrive.
        this.views.clear();
        this.live = up;
      },
    );
  }

  /** Idempotent: both the app and the process's shutdown path call it. */
  async close(): Promise<void> {
    this.live = false;
    const stop = this.stop;
    this.stop = undefined;
    await stop?.();
  }

  /**
   * Drops the views of codes whose inspection a command on this instance just changed (called after commit):
   * the database's notification reaches this instance too, but possibly after the command has answered, and
   * an enterprise checking right after a revocation or a close must not see the old state.
   */
  forget(subjects: readonly { subjectType: string; subjectId: string }[]): void {
    const changed = new Set(subjects.filter((s) => s.subjectType === 'inspection').map((s) => s.subjectId));
    if (changed.size === 0 || this.views.size === 0) return;
    for (const [code, { view }] of this.views) if (changed.has(view.inspectionId)) this.views.delete(code);
  }

  async check(code: string, now: Date, presented?: { kid?: string; signature?: string }): Promise<PublicCheck> {
    if (!this.live) return checkAt(await loadCodeView(this.database.db, code), code, now, presented);
    const hit = this.views.get(code);
    if (hit && Date.now() - hit.at < this.ttlMs) return checkAt(hit.view, code, now, presented);
    const view = await loadCodeView(this.database.db, code);
    // Unknown codes are not cached: guessing random codes must not fill memory.
    if (view && this.live) {
      if (this.views.size >= this.maxEntries) this.views.delete(this.views.keys().next().value!);
      this.views.set(code, { view, at: Date.now() });
    }
    return checkAt(view, code, now, presented);
  }
}
