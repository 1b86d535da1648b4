import { formatCursor } from './cursor.js';

/** The CloudEvents type of an audited action: this prefix and the action, e.g. `cn.gov.wuhan.order327.inspection.drafted`. */
export const EVENT_TYPE_PREFIX = 'cn.gov.wuhan.order327.';

export interface EventRow {
  /** The feed position (audit chain seq). */
  position: number;
  id: string;
  occurredAt: Date;
  action: string;
  subjectType: string;
  subjectId: string;
  data: unknown;
}

/** CloudEvents 1.0 in its JSON format; `sequence` (the extension of that name) is the event's feed cursor. */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  sequence: string;
  data: unknown;
}

export function toCloudEvent(row: EventRow, source: string): CloudEvent {
  return {
    specversion: '1.0',
    id: row.id,
    source,
    type: EVENT_TYPE_PREFIX + row.action,
    subject: `${row.subjectType}/${row.subjectId}`,
    time: row.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    sequence: formatCursor(row.position),
    data: row.data,
  };
}
