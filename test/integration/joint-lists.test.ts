import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency } from '../support/factories.js';
import { launchBody, listBody, newJointWorld, publishedJointList, restaurantEntry, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('“综合查一次”事项清单: proposed, reviewed, approved, published, versioned (Art. 27)', () => {
  let t: TestApp;
  let w: JointWorld;
  let id: string;
  const head = () => as.head(w.market.code);

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t);
  });
  afterAll(() => t.close());

  it('refuses an entry without one lead and a cooperating unit, or without standards, naming the field', async () => {
    const entry = restaurantEntry(w);
    expect((await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head(), payload: { title: '清单', entries: [{ ...entry, units: [entry.units[0]] }] } })).json()).toMatchObject({
      code: 'VALIDATION',
      errors: [{ field: 'body.entries.0.units' }],
    });
    const allLead = { ...entry, units: entry.units.map((u) => ({ ...u, role: 'lead' })) };
    const res = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head(), payload: { title: '清单', entries: [allLead] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([expect.stringContaining('只能明确一个发起单位'), expect.stringContaining('至少一个协同单位')]);
    expect(res.json().errors[0].field).toBe('body.entries[0].units');
    const noStandard = { ...entry, items: entry.items.filter((i) => i.agencyCode !== w.fire.code) };
    const res2 = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head(), payload: { title: '清单', entries: [noStandard] } });
    expect(res2.json().errors[0]).toMatchObject({ field: 'body.entries[0].units[1].matterCodes' });
  });

  it('refuses matters that are not on the units’ published lists (Art. 7, 27)', async () => {
    const entry = restaurantEntry(w);
    entry.units[1] = { ...entry.units[1]!, matterCodes: ['XF-NOT-PUBLISHED'] };
    entry.items = entry.items.map((i) => (i.agencyCode === w.fire.code ? { ...i, matterCode: 'XF-NOT-PUBLISHED' } : i));
    const res = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head(), payload: { title: '清单', entries: [entry] } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'MATTER_UNPUBLISHED', article: '第七条' });
    expect(res.json().detail).toContain('XF-NOT-PUBLISHED');
  });

  it('lets only an authority’s head propose, and sends it to the same-level justice bureau', async () => {
    expect((await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: as.officer(w.market.code), payload: listBody(w) })).statusCode).toBe(403);
    const res = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head(), payload: listBody(w) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ state: 'proposed', listVersion: 1, reviewBureauCode: w.bureau.code, level: 'district', stateZh: '已提出，待司法行政部门审核' });
    id = res.json().id;
  });

  it('keeps a list under review away from the public, and from tasks', async () => {
    expect((await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}` })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}`, as: w.supervisor })).statusCode).toBe(200);
    const launch = await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: head(), payload: launchBody(w, id) });
    expect(launch.statusCode).toBe(422);
    expect(launch.json()).toMatchObject({ code: 'REFERENCE_INVALID', rule: 'JOINT_LIST_UNAPPROVED', article: '第二十七条' });
  });

  it('is reviewed only by the same-level bureau, which may return it with a reason', async () => {
    const otherBureau = await newAgency(t.db, { name: '汉阳区司法局（测试）', isJusticeBureau: true, domains: [] });
    const wrong = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/review`, as: as.supervisor(otherBureau.code), payload: { decision: 'pass', opinion: '同意' } });
    expect(wrong.json().code).toBe('OUT_OF_SCOPE');
    const early = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/approve`, as: head(), payload: { approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' } });
    expect(early.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'proposed', allowedEvents: ['EDIT', 'REVIEW_PASS', 'REVIEW_RETURN'] });
    const returned = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/review`, as: w.supervisor, payload: { decision: 'return', opinion: '检查标准表述不一致，请统一' } });
    expect(returned.json()).toMatchObject({ state: 'returned', returnedReason: '检查标准表述不一致，请统一' });
    const edited = await t.call({ method: 'PATCH', url: `/api/v1/joint-lists/${id}`, as: head(), payload: { title: '武昌区“综合查一次”事项清单（2026年，修改稿）' } });
    expect(edited.json()).toMatchObject({ state: 'proposed' });
    const passed = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/review`, as: w.supervisor, payload: { decision: 'pass', opinion: '审核通过' } });
    expect(passed.json()).toMatchObject({ state: 'reviewed', reviewOpinion: '审核通过', reviewedBy: w.supervisor.sub });
  });

  it('records the government’s approval with its document number, then publishes it for everyone', async () => {
    const blank = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/approve`, as: head(), payload: { approverName: '武昌区人民政府', approvalDocNo: '' } });
    expect(blank.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.approvalDocNo' }] });
    const approved = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/approve`, as: head(), payload: { approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' } });
    expect(approved.json()).toMatchObject({ state: 'approved', approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' });
    expect((await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/publish`, as: head(), payload: {} })).json().state).toBe('published');
    const pub = await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().history.map((h: { action: string }) => h.action)).toEqual([
      'joint_list.proposed',
      'joint_list.returned',
      'joint_list.resubmitted',
      'joint_list.reviewed',
      'joint_list.approved',
      'joint_list.published',
    ]);
  });

  it('adjusts through a new version that stays pending while the published one is in force', async () => {
    const entry = restaurantEntry(w);
    const amended = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/amend`, as: head(), payload: { ...listBody(w), entries: [{ ...entry, name: '餐饮服务单位“综合查一次”（调整）' }], reason: '增加空气质量检查标准' } });
    expect(amended.statusCode).toBe(201);
    const v2 = amended.json();
    expect(v2).toMatchObject({ state: 'proposed', listVersion: 2, amendsId: id, amendmentReason: '增加空气质量检查标准' });
    const again = await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/amend`, as: head(), payload: { ...listBody(w), reason: '再次调整' } });
    expect(again.statusCode).toBe(409);
    expect((await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}` })).json().state).toBe('published');
    // A task launched meanwhile uses the version in force.
    expect((await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: head(), payload: launchBody(w, id) })).statusCode).toBe(201);

    await t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2.id}/review`, as: w.supervisor, payload: { decision: 'pass', opinion: '同意' } });
    await t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2.id}/approve`, as: head(), payload: { approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕15号' } });
    expect((await t.call({ method: 'POST', url: `/api/v1/joint-lists/${v2.id}/publish`, as: head(), payload: {} })).json().state).toBe('published');
    const v1 = (await t.call({ method: 'GET', url: `/api/v1/joint-lists/${id}` })).json();
    expect(v1).toMatchObject({ state: 'superseded', supersededById: v2.id });
    const stale = await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: head(), payload: launchBody(w, id) });
    expect(stale.json()).toMatchObject({ rule: 'JOINT_LIST_UNAPPROVED' });
    const published = (await t.call({ method: 'GET', url: '/api/v1/joint-lists?state=published' })).json();
    expect(published.map((l: { id: string }) => l.id)).toEqual([v2.id]);
  });

  it('refuses a page size that is not a finite number, naming the field', async () => {
    for (const url of ['/api/v1/joint-lists?limit=1e309', '/api/v1/joint-tasks?limit=Infinity']) {
      const res = await t.call({ method: 'GET', url, as: w.supervisor });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'querystring.limit' }] });
    }
  });

  it('can be built end to end by the test helper', async () => {
    const other = await publishedJointList(t, w, { ...listBody(w), title: '另一份清单' });
    expect((await t.call({ method: 'GET', url: `/api/v1/joint-lists/${other}` })).json().state).toBe('published');
  });
});
