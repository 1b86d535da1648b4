// The whole path of an inspection as an integrator writes it against the generated types (no casts):
// checked by test/integration/generated-client.test.ts beside the types it generates (./api.js exists only there,
// so the project's own tsconfig leaves this folder out), never run.
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function inspectionFlow(baseUrl: string, token: string, agencyCode: string, enterpriseCode: string, matterCode: string): Promise<string> {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
  const drafted = await api.POST('/api/v1/inspections', {
    body: {
      agencyCode,
      enterpriseCode,
      matterCodes: [matterCode],
      checklist: ['食品安全管理制度'],
      kind: 'routine',
      mode: 'onsite',
      windowStart: '2026-04-09T09:00:00+08:00',
      windowEnd: '2026-04-09T17:00:00+08:00',
      inspectors: [
        { name: '王晓明', certificateNo: '42010620230001' },
        { name: '陈丽华', certificateNo: '42010620230002' },
      ],
    },
  });
  if (!drafted.data) throw new Error(drafted.error?.detail ?? 'draft refused');
  const id = drafted.data.inspection.id;
  const approved = await api.POST('/api/v1/inspections/{id}/approve', { params: { path: { id } }, body: {} });
  if (!approved.data) throw new Error(approved.error?.detail ?? 'approval refused');
  const issued = await api.POST('/api/v1/inspections/{id}/code', { params: { path: { id } } });
  if (!issued.data) throw new Error(issued.error?.detail ?? 'code refused');
  const code = issued.data.code;
  const scanned = await api.POST('/api/v1/codes/{code}/scan', { params: { path: { code } }, body: { location: '企业大门' } });
  if (!scanned.data) throw new Error(scanned.error?.detail ?? 'scan refused');
  const findings = await api.POST('/api/v1/inspections/{id}/findings', {
    params: { path: { id } },
    body: { methods: ['site_survey'], items: [{ item: '食品安全管理制度', result: 'compliant' }], outcome: { kind: 'no_violation' } },
  });
  if (!findings.data) throw new Error(findings.error?.detail ?? 'findings refused');
  const notified = await api.POST('/api/v1/inspections/{id}/notify-result', { params: { path: { id } }, body: { method: 'on_site' } });
  if (!notified.data) throw new Error(notified.error?.detail ?? 'notification refused');
  const closed = await api.POST('/api/v1/inspections/{id}/close', { params: { path: { id } }, body: {} });
  if (!closed.data) throw new Error(closed.error?.detail ?? 'close refused');
  return closed.data.state;
}
