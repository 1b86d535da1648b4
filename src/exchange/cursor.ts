import { DomainError } from '../errors/domain-error.js';

/**
 * A feed position: the writing transaction's id and the event's sequence, `<txId>-<seq>`. Events are read
 * in (txId, seq) order and only once every older transaction has ended (src/exchange/feed.ts), so a reader
 * resuming after a cursor never skips an event that committed later. `0-0` is the start.
 */
export interface Cursor {
  txId: string;
  seq: number;
}

export const START: Cursor = { txId: '0', seq: 0 };

export function formatCursor(c: Cursor): string {
  return `${c.txId}-${c.seq}`;
}

export function parseCursor(text: string | undefined, field = 'querystring.after'): Cursor {
  if (text === undefined || text === '') return START;
  const m = /^(\d{1,20})-(\d{1,15})$/.exec(text);
  if (!m) throw DomainError.field(field, '游标格式应为“事务号-序号”，请使用上一页返回的游标');
  return { txId: BigInt(m[1]!).toString(), seq: Number(m[2]) };
}
