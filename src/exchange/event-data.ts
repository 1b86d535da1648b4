/**
 * What an outbound event (对外共享的事件) carries, decided once for every audited change (Art. 8: 检查信息
 * 除国家秘密、商业秘密、个人隐私外 shared with other agencies). An allow-list, not a deny-list: a new field
 * in some command's audit payload stays inside the engine until it is added here on purpose.
 *
 * Carried: what changed (action, subject, state before/after), where (agency, enterprise credit code,
 * district: registry facts that are public), the caller's role, and these facts of the payload: the
 * inspection's kind, mode, matters, time window and counted date, a flag's rule and article, an imported
 * row's source. Never carried: who acted (the actor's id is a person's), inspectors' names and certificate
 * numbers, complainants, phone numbers, findings and evidence (trade secrets), free-text reasons and
 * details (they may name people). A consumer that needs more reads it through the API with its own rights.
 */
export const EVENT_PAYLOAD_FACTS = [
  'kind',
  'mode',
  'matterCodes',
  'windowStart',
  'windowEnd',
  'countedDate',
  'rule',
  'article',
  'sourceSystem',
  'sourceId',
  'sourceVersion',
] as const;

export interface EventSource {
  /** e.g. `plan.submitted`, `inspection.refused`, `flag.raised`, `enterprise.created` */
  action: string;
  subjectType: string;
  subjectId: string;
  role: string;
  agencyCode?: string | null;
  enterpriseCode?: string | null;
  districtCode?: string | null;
  before?: string | null;
  after?: string | null;
  payload?: unknown;
}

function plainFact(v: unknown): boolean {
  if (typeof v === 'string') return v.length <= 200;
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  return Array.isArray(v) && v.length <= 50 && v.every((x) => typeof x === 'string' && x.length <= 200);
}

export function eventData(input: EventSource): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  const payload = input.payload && typeof input.payload === 'object' && !Array.isArray(input.payload) ? (input.payload as Record<string, unknown>) : {};
  for (const key of EVENT_PAYLOAD_FACTS) {
    const v = payload[key];
    if (v instanceof Date) facts[key] = v.toISOString();
    else if (v !== undefined && v !== null && plainFact(v)) facts[key] = v;
  }
  return {
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    actorRole: input.role,
    agencyCode: input.agencyCode ?? null,
    enterpriseCode: input.enterpriseCode ?? null,
    districtCode: input.districtCode ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    facts,
  };
}
