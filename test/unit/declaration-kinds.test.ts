import { describe, expect, it } from 'vitest';
import { DECLARATION_KINDS, declarationsRelaxing } from '../../src/declarations/kinds.js';
import { againstPeers, median } from '../../src/declarations/peers.js';
import { teamExceptionText } from '../../src/declarations/team-exception.js';
import { RULE_IDS, raisersOf } from '../../src/rules/raisers.js';

describe('声明事项的种类（第六条：不予认可即以所放宽规则的条款标记）', () => {
  it('names for every registered kind a catalogued rule that a rejection raises', () => {
    for (const k of DECLARATION_KINDS) {
      expect(RULE_IDS, k.kind).toContain(k.relaxes);
      if (k.registered) expect(raisersOf(k.relaxes).raisedBy?.some((r) => 'command' in r && r.command === 'rejectDeclaration'), k.kind).toBe(true);
      expect(k.checked ?? k.registered, k.kind).not.toBeNull();
    }
    expect(declarationsRelaxing('TEAM_TOO_SMALL').map((k) => k.kind)).toEqual(['team_exception_basis']);
  });

  it('第十八条第（一）项 keeps a cited law and article as one citation', () => {
    expect(teamExceptionText({ law: '中华人民共和国某某法', article: '第二十条' })).toBe('《中华人民共和国某某法》第二十条');
    expect(teamExceptionText({ law: '《某某条例》', article: ' 第三条第二款 ' })).toBe('《某某条例》第三条第二款');
    expect(teamExceptionText(undefined)).toBeNull();
  });

  it('sets each count against its peers’ median, leaving itself out', () => {
    expect(median([])).toBe(0);
    expect(median([1, 9, 3])).toBe(3);
    const rows = againstPeers([{ g: 'd', n: 12 }, { g: 'd', n: 2 }, { g: 'd', n: 4 }, { g: 'c', n: 7 }], (r) => r.g);
    expect(rows[0]).toMatchObject({ peerMedian: 3, ratio: 4 });
    expect(rows[3]).toMatchObject({ peerMedian: 0, ratio: null });
  });
});
