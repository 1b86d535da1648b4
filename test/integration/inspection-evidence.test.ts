import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newJusticeBureau } from '../support/factories.js';
import { exifJpeg, mp4Head, notAPhoto } from '../support/evidence-files.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const MAX = 4096;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Buffer) => b.toString('base64');

describeDb('现场取证：照片和短视频记入检查，哈希上审计链，仅向可查看该检查者提供（第十九条）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let id: string;
  const photo = exifJpeg({ taken: '2026:04:08 10:15:30', offset: '+08:00', latitude: 30.5431, longitude: 114.3162 });

  beforeAll(async () => {
    t = await createTestApp({ config: { evidence: { maxBytes: MAX, scanFarMetres: 500 } } });
    w = await newInspectionWorld(t);
    id = await approvedInspection(t, w);
    const issued = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    expect(issued.statusCode).toBe(201);
    t.clock.set('2026-04-08T10:20:00+08:00');
  });
  afterAll(() => t.close());

  const attach = (payload: Record<string, unknown>, by = w.officer) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/evidence`, as: by, payload });

  it('records a photo with the time and place its EXIF gives, and its SHA-256 on the audit chain', async () => {
    const res = await attach({ contentType: 'image/jpeg', dataBase64: b64(photo), note: '仓库货架', device: { capturedAt: '2026-04-08T02:19:00Z', latitude: 30.6, longitude: 114.4, accuracyM: 20 } });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ kind: 'photo', kindZh: '照片', contentType: 'image/jpeg', bytes: photo.length, sha256: sha(photo), capturedAt: '2026-04-08T02:15:30.000Z', capturedAtSource: 'exif' });
    expect(e.location).toMatchObject({ source: 'exif', accuracyM: null });
    expect(e.location.latitude).toBeCloseTo(30.5431, 4);
    expect(e.location.longitude).toBeCloseTo(114.3162, 4);
    const log = (await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=inspection_evidence&subjectId=${e.id}`, as: w.supervisor })).json();
    const entries = Array.isArray(log) ? log : log.entries;
    expect(entries.some((x: { action: string; payload: { sha256: string } }) => x.action === 'evidence.attached' && x.payload.sha256 === sha(photo))).toBe(true);
  });

  it('takes time and place from the device when the file has none, and tells a video by its bytes', async () => {
    const video = mp4Head();
    const res = await attach({ dataBase64: b64(video), device: { capturedAt: '2026-04-08T02:18:00Z', latitude: 30.55, longitude: 114.32, accuracyM: 35 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'video', kindZh: '视频', contentType: 'video/mp4', capturedAt: '2026-04-08T02:18:00.000Z', capturedAtSource: 'device', location: { latitude: 30.55, longitude: 114.32, accuracyM: 35, source: 'device' } });
  });

  it('serves the files to the inspection’s readers, each verified against its recorded hash', async () => {
    const list = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/evidence`, as: as.enterprise(w.enterprise.creditCode) });
    expect(list.statusCode).toBe(200);
    const first = list.json().find((e: { kind: string }) => e.kind === 'photo');
    for (const reader of [w.officer, w.head, w.supervisor, as.enterprise(w.enterprise.creditCode)]) {
      const file = await t.call({ method: 'GET', url: first.url, as: reader });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('image/jpeg');
      expect(file.headers['x-content-sha256']).toBe(first.sha256);
      expect(sha(file.rawPayload)).toBe(first.sha256);
    }
    const check = (await t.call({ method: 'GET', url: `${first.url.replace(/\/file$/, '')}/verify`, as: w.supervisor })).json();
    expect(check).toMatchObject({ recordedSha256: sha(photo), storedSha256: sha(photo), auditSha256: sha(photo), intact: true });
    expect(check.auditEntryId).toBeGreaterThan(0);
  });

  it('refuses the files, the list and the check to those who may not see the inspection', async () => {
    const first = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/evidence`, as: w.officer })).json()[0];
    const outsiders = [as.enterprise(w.outsider.creditCode), as.officer(w.city.code), as.supervisor((await newJusticeBureau(t.db, { districtCode: w.otherDistrictCode })).code, w.otherDistrictCode)];
    for (const p of outsiders) {
      for (const url of [`/api/v1/inspections/${id}/evidence`, first.url, `${first.url.replace(/\/file$/, '')}/verify`]) {
        const res = await t.call({ method: 'GET', url, as: p });
        expect(res.statusCode, `${p.sub} ${url}`).toBe(403);
        expect(res.body).not.toContain(first.sha256);
      }
    }
    const byEnterprise = await attach({ dataBase64: b64(photo) }, as.enterprise(w.enterprise.creditCode));
    expect(byEnterprise.statusCode).toBe(403);
    const byOtherAgency = await attach({ dataBase64: b64(photo) }, as.officer(w.city.code));
    expect(byOtherAgency.json().code).toBe('OUT_OF_SCOPE');
  });

  it('refuses a file by its real type and size, naming the field, and writes nothing', async () => {
    const before = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/evidence`, as: w.officer })).json().length;
    const html = await attach({ contentType: 'image/jpeg', dataBase64: b64(notAPhoto()) });
    expect(html.statusCode).toBe(415);
    expect(html.headers['content-type']).toContain('application/problem+json');
    expect(html.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ field: 'body.dataBase64' }] });
    const mislabelled = await attach({ contentType: 'image/png', dataBase64: b64(photo) });
    expect(mislabelled.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ field: 'body.contentType' }] });
    const big = await attach({ dataBase64: b64(Buffer.concat([photo, Buffer.alloc(MAX)])) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: [{ field: 'body.dataBase64' }] });
    expect(big.json().detail).toContain('EVIDENCE_MAX_BYTES');
    const future = await attach({ dataBase64: b64(mp4Head()), device: { capturedAt: '2026-04-09T00:00:00Z' } });
    expect(future.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.device.capturedAt' }] });
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/evidence`, as: w.officer })).json()).toHaveLength(before);
  });
});
