import { DomainError } from '../errors/domain-error.js';

/**
 * A feed position: the audit chain position (audit_chain.seq) of the last event read, as decimal text.
 * The sealer gives positions to committed entries only, one batch at a time (src/audit/sealer.ts), so a
 * reader resuming after a cursor never skips an event that committed later. `0` is the start.
 */
export function formatCursor(position: number): string {
  return String(position);
}

export function parseCursor(text: string | undefined, field = 'querystring.after'): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,15}$/.test(text)) throw DomainError.field(field, '游标应为上一页返回的数字游标');
  return Number(text);
}
