import { Type } from 'typebox';
import { AgencyCode, AnyJson } from '../http/schemas.js';

const ActionPrefix = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_]+(\\.[a-z_]*)*$', description: '事件类型前缀（审计动作），如 inspection.、flag. / audit-action prefix' });

export const ClientBody = Type.Object(
  {
    id: Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]+$', description: '平台客户端标识 / client id' }),
    name: Type.String({ minLength: 1, maxLength: 100, description: '平台名称 / platform name' }),
    sourceSystem: Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: '来源系统代码（导入记录的来源）/ source system of its imports' }),
    eventTypes: Type.Array(ActionPrefix, { maxItems: 50, default: [], description: '可接收的事件类型；空为全部 / event types it receives; empty = all' }),
    agencies: Type.Array(AgencyCode, { maxItems: 500, default: [], description: '可接收哪些行政执法主体的事件；空为全部 / agencies whose events it receives; empty = all' }),
    importAgencies: Type.Array(AgencyCode, { maxItems: 500, default: [], description: '可为哪些行政执法主体报送检查；空为不可报送 / agencies it may import for; empty = none' }),
    webhookUrl: Type.Optional(Type.Union([Type.String({ pattern: '^https?://', maxLength: 500 }), Type.Null()], { description: '推送地址 / webhook URL' })),
  },
  { additionalProperties: false },
);

export const ClientPatchBody = Type.Object(
  {
    name: Type.Optional(ClientBody.properties.name),
    eventTypes: Type.Optional(ClientBody.properties.eventTypes),
    agencies: Type.Optional(ClientBody.properties.agencies),
    importAgencies: Type.Optional(ClientBody.properties.importAgencies),
    webhookUrl: ClientBody.properties.webhookUrl,
    active: Type.Optional(Type.Boolean({ description: '启用 / active' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeliveryView = Type.Union([
  Type.Null(),
  Type.Object({
    cursor: Type.String({ description: '已确认送达的最后位置 / last acknowledged cursor' }),
    delivered: Type.Integer(),
    failures: Type.Integer({ description: '连续失败次数 / failures in a row' }),
    nextAttemptAt: Type.String(),
    lastStatus: Type.Union([Type.Integer(), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastAttemptAt: Type.Union([Type.String(), Type.Null()]),
    lastDeliveredAt: Type.Union([Type.String(), Type.Null()]),
  }),
]);

export const ClientView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sourceSystem: Type.String(),
  eventTypes: Type.Array(Type.String()),
  agencies: Type.Array(Type.String()),
  importAgencies: Type.Array(Type.String()),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String(),
  delivery: DeliveryView,
});

export const CloudEventSchema = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String(),
  source: Type.String(),
  type: Type.String(),
  subject: Type.String(),
  time: Type.String(),
  datacontenttype: Type.Literal('application/json'),
  sequence: Type.String({ description: '该事件的游标 / the event’s cursor' }),
  data: AnyJson('事件数据：仅限允许公开共享的事实（src/exchange/event-data.ts，第八条）/ the event’s allow-listed facts'),
});
