import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { PUBLIC_DEVICE_STATES } from '../../machines/device.machine.js';
import { listAudit } from '../audit/query.js';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { runCommand, type CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { activateDevice, maintainDevice, publishDevice, registerDevice, retireDevice, reviewLegal, reviewTechnical } from './commands.js';
import { findDevice, listDevices, type Device } from './repository.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, DistrictCode, Page, responses, ShortText } from '../http/schemas.js';
import { findAgency } from '../registry/agencies.repository.js';
import { DeviceView, deviceView, LegalReviewBody, PublicDeviceView, publicDeviceView, RegisterDevice, TechnicalReviewBody } from './schemas.js';
import { HistoryEntry, historyView } from '../plans/schemas.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

type DeviceCommand = (tx: Db, scope: CommandScope, actor: Principal, id: string, body: never) => Promise<Device>;

async function assertMayReadDevice(db: Db, p: Principal, d: Device): Promise<void> {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === d.agencyCode) return;
  if (p.role === 'supervisor' && (!p.district || (await findAgency(db, d.agencyCode))?.districtCode === p.district)) return;
  throw new DomainError('OUT_OF_SCOPE', '无权查看该设备的内部信息');
}

export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/devices/public',
    {
      config: { access: 'public' },
      schema: {
        tags: ['devices'],
        summary: '电子技术监控设备设置地点公示（第三十四条），无需登录 / public list of device locations',
        security: [],
        querystring: Type.Object({ district: Type.Optional(DistrictCode), ...Page }),
        response: responses(Type.Array(PublicDeviceView)),
      },
    },
    async (req) => {
      const rows = await listDevices(app.services.db, { district: req.query.district, states: PUBLIC_DEVICE_STATES, limit: req.query.limit, offset: req.query.offset });
      return rows.map((r) => publicDeviceView(r.device, r.agencyName));
    },
  );

  app.post(
    '/devices',
    {
      config: { idempotent: true, access: ['officer', 'agency_head'] },
      schema: { tags: ['devices'], summary: '登记电子技术监控设备 / register a monitoring device; accepts Idempotency-Key', body: RegisterDevice, response: responses(DeviceView, 201) },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const input = { ...req.body, agencyCode: req.body.agencyCode ?? actor.agency ?? '' };
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'agency', subjectId: input.agencyCode, agencyCode: input.agencyCode }), 201, async (tx, scope) => deviceView(await registerDevice(tx, scope, actor, input)));
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/devices',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['devices'],
        summary: '本单位（或辖区）的监控设备 / devices of the caller’s agency or jurisdiction',
        querystring: Type.Object({ agency: Type.Optional(AgencyCode), state: Type.Optional(Type.String({ maxLength: 30 })), ...Page }),
        response: responses(Type.Array(DeviceView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      let agency = req.query.agency;
      if (p.role !== 'supervisor') {
        if (agency && agency !== p.agency) throw new DomainError('OUT_OF_SCOPE', '只能查看本单位的监控设备');
        agency = p.agency;
      }
      const rows = await listDevices(app.services.db, {
        agency,
        agencyDistrict: p.role === 'supervisor' ? p.district : undefined,
        states: req.query.state ? [req.query.state] : undefined,
        limit: req.query.limit,
        offset: req.query.offset,
      });
      return rows.map((r) => deviceView(r.device));
    },
  );

  app.get(
    '/devices/:id',
    {
      config: { access: ['officer', 'agency_head', 'supervisor'] },
      schema: {
        tags: ['devices'],
        summary: '设备详情、审核记录与审计历史 / one device, its reviews and history',
        params: IdParams,
        response: responses(Type.Intersect([DeviceView, Type.Object({ history: Type.Array(HistoryEntry) })])),
      },
    },
    async (req) => {
      const db = app.services.db;
      const d = await findDevice(db, req.params.id);
      if (!d) throw DomainError.notFound('电子技术监控设备', req.params.id);
      await assertMayReadDevice(db, principalOf(req), d);
      const history = await listAudit(db, { subjectType: 'device', subjectId: d.id, limit: 500, offset: 0 });
      return { ...deviceView(d), history: historyView(history) };
    },
  );

  function step(name: string, summary: string, body: TSchema, command: DeviceCommand, access: readonly ('officer' | 'agency_head')[] = ['officer', 'agency_head']) {
    app.post(
      `/devices/:id/${name}`,
      { config: { access }, schema: { tags: ['devices'], summary, params: IdParams, body, response: responses(DeviceView) } },
      async (req) => {
        const id = (req.params as { id: string }).id;
        const ctx = commandContext(req);
        const refusal = refusalSubjectOf(ctx.db, async () => {
          const d = await findDevice(ctx.db, id);
          return d ? { subjectType: 'device', subjectId: id, agencyCode: d.agencyCode } : null;
        });
        return deviceView(await runCommand(ctx, refusal, (tx, scope) => command(tx, scope, ctx.actor, id, req.body as never)));
      },
    );
  }

  step('legal-review', '法制审核（第三十五条，四项逐项记录）/ legal review, four points', LegalReviewBody, (tx, s, a, id, b: Parameters<typeof reviewLegal>[4]) => reviewLegal(tx, s, a, id, b));
  step('technical-review', '技术审核（第三十六条，含产品质量检验合格证明编号）/ technical review', TechnicalReviewBody, (tx, s, a, id, b: Parameters<typeof reviewTechnical>[4] & { qualityCertificateNo?: string }) =>
    reviewTechnical(tx, s, a, id, b, b.qualityCertificateNo),
  );
  step(
    'publish',
    '向社会公布设置地点（第三十四条）/ publish the location',
    Type.Object({ publicationRef: ShortText('公告文号或网址 / where it was published', 300) }, { additionalProperties: false }),
    (tx, s, a, id, b: { publicationRef: string }) => publishDevice(tx, s, a, id, b.publicationRef),
  );
  // The head approves putting a device into use, first time or after maintenance.
  step('activate', '负责人批准投入使用（或维护后恢复使用）/ the head puts it into use, or back from maintenance', Note, (tx, s, a, id, b: { note?: string }) => activateDevice(tx, s, a, id, b.note), ['agency_head']);
  step('maintenance', '维护、保养、检测（第三十四条第二款）/ maintenance', Note, (tx, s, a, id, b: { note?: string }) => maintainDevice(tx, s, a, id, b.note));
  step(
    'retire',
    '停用 / retire',
    Type.Object({ reason: ShortText('停用理由 / reason', 500) }, { additionalProperties: false }),
    (tx, s, a, id, b: { reason: string }) => retireDevice(tx, s, a, id, b.reason),
  );
};

export default deviceRoutes;
