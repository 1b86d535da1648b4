import { describe, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { approvedInspection, type InspectionWorld } from '../support/inspection-world.js';
import { inspectionWorldPerFile } from '../support/inspection-world-suite.js';
import type { TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第二十条: 分别作出下列处理 — five outcomes, several of which one visit may need; the follow-up duty of ¶2
 * goes with a stop or rectification order; ¶3's no-penalty ground is not a penalty.
 */
describeDb('inspection outcomes (第二十条)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  inspectionWorldPerFile({ cap: 50, now: '2026-04-08T10:00:00+08:00' }, (s) => ({ t, w } = s));

  /** An on-site case inspection started on site (no code needed for a case inspection), ready for findings. */
  async function startedCase(ref: string): Promise<string> {
    const id = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: ref });
    const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} });
    expect(started.statusCode, started.body).toBe(200);
    return id;
  }
  const findings = (id: string, outcome: object, result = 'violation') =>
    t.call({ method: 'POST', url: `/api/v1/inspections/${id}/findings`, as: w.officer, payload: { methods: ['documents'], items: [{ item: '进货查验记录', result }], outcome } });

  describe('第二十条 分别作出下列处理', () => {
    it('第二十条第一款第（三）项、第（四）项 records 责令改正 together with a penalty referral, and keeps the follow-up duty of 第二款', async () => {
      const id = await startedCase('TS-OUT-001');
      const res = await findings(id, { kinds: ['rectification', 'penalty_referral'], noticeNo: '武昌市监责改〔2026〕31号', dueDate: '2026-04-30', proportionalityNote: '情节轻微', noPenaltyGround: null });
      expect(res.statusCode, res.body).toBe(200);
      const i = res.json().inspection ?? res.json();
      expect(i.outcome).toMatchObject({ kind: 'penalty_referral', kinds: ['rectification', 'penalty_referral'], noticeNo: '武昌市监责改〔2026〕31号' });
      expect(i.followUpDue).toBe('2026-04-30');
      expect(i.outcome.summaryZh).toBe('责令改正；需要实施行政处罚，按照有关法律、法规和规章的规定处理');
    });

    it('第二十条第三款 shows a penalty referral with a recorded no-penalty ground (首违不罚) to the enterprise as no penalty', async () => {
      const id = await startedCase('TS-OUT-002');
      const res = await findings(id, { kinds: ['rectification', 'penalty_referral'], noticeNo: '武昌市监责改〔2026〕32号', dueDate: '2026-04-30', proportionalityNote: '首次违法且危害后果轻微并及时改正', noPenaltyGround: '首违不罚' });
      expect(res.statusCode, res.body).toBe(200);
      const seen = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: as.enterprise(w.enterprise.creditCode) })).json();
      const outcome = (seen.inspection ?? seen).outcome;
      expect(outcome.summaryZh).toBe('责令改正；依法不予处罚或者免于处罚（首违不罚）');
      expect(outcome.summaryZh).not.toContain('依法予以行政处罚');
    });

    it('第二十条第一款第（五）项 records 法律、法规、规章规定的其他情形 with the provision it rests on', async () => {
      const id = await startedCase('TS-OUT-003');
      const missing = await findings(id, { kinds: ['other'] }, 'compliant');
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors?.[0]?.field ?? missing.json().field ?? missing.body).toContain('body.outcome.otherBasis');
      const res = await findings(id, { kinds: ['other'], otherBasis: '《中华人民共和国安全生产法》第六十五条' }, 'compliant');
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json().inspection ?? res.json()).outcome).toMatchObject({ kind: 'other', kinds: ['other'], otherBasis: '《中华人民共和国安全生产法》第六十五条' });
    });

    it('第二十条 still accepts the single `kind` and refuses 未发现违法行为 combined with another outcome', async () => {
      const id = await startedCase('TS-OUT-004');
      const both = await findings(id, { kinds: ['no_violation', 'rectification'], noticeNo: 'X', dueDate: '2026-04-30' });
      expect(both.statusCode).toBe(400);
      expect(both.body).toContain('body.outcome.kinds');
      const single = await findings(id, { kind: 'no_violation' }, 'compliant');
      expect(single.statusCode, single.body).toBe(200);
      expect((single.json().inspection ?? single.json()).outcome).toMatchObject({ kind: 'no_violation', kinds: ['no_violation'], summaryZh: '未发现违法行为，予以记录' });
    });
  });
});
