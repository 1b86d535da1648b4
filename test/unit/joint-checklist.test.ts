import { describe, expect, it } from 'vitest';
import type { JointEntryItem } from '../../src/db/schema/index.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { lineAgencies, linesOf, mergeChecklist, normalizeItemText } from '../../src/visits/joint/checklist.js';
import { splitFindings, type JointFindingsInput } from '../../src/visits/joint/findings-split.js';
import { entryProblems } from '../../src/visits/joint/list-entry.js';
import { JOINT_TEAM_TOO_LARGE } from '../../src/visits/joint/task-guards.js';

const item = (agencyCode: string, matterCode: string, text: string, standard: string): JointEntryItem => ({ agencyCode, matterCode, text, standard });
const ITEMS = [
  item('SCJG', 'M1', '营业执照公示', '证照齐全有效，并在显著位置公示'),
  item('SCJG', 'M1', '从业人员健康证明', '取得健康证明后方可上岗'),
  item('XFJY', 'F1', '安全出口', '保持畅通'),
  item('WSJK', 'H1', '营业执照 公示', '证照齐全有效，并在显著位置公示。'),
  item('WSJK', 'H1', '从业人员健康证明', '持有效健康合格证明'),
  item('WSJK', 'H2', '集中空调', '定期清洗'),
];
const ALL = [
  { agencyCode: 'SCJG', matterCodes: ['M1'] },
  { agencyCode: 'XFJY', matterCodes: ['F1'] },
  { agencyCode: 'WSJK', matterCodes: ['H1', 'H2'] },
];

describe('一表通查: merging the units’ items into one checklist (Art. 30)', () => {
  it('merges items whose text and standard agree into one line serving both units', () => {
    const lines = mergeChecklist(ITEMS, ALL);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[0]).toEqual({ line: 1, text: '营业执照公示', standard: '证照齐全有效，并在显著位置公示', serves: [{ agencyCode: 'SCJG', matterCode: 'M1' }, { agencyCode: 'WSJK', matterCode: 'H1' }] });
    expect(lineAgencies(lines[0]!)).toEqual(['SCJG', 'WSJK']);
  });

  it('keeps apart the same item checked against different standards', () => {
    const certificates = mergeChecklist(ITEMS, ALL).filter((l) => l.text === '从业人员健康证明');
    expect(certificates.map((l) => [l.standard, lineAgencies(l)])).toEqual([
      ['取得健康证明后方可上岗', ['SCJG']],
      ['持有效健康合格证明', ['WSJK']],
    ]);
  });

  it('ignores whitespace, full-width forms and a closing full stop when comparing', () => {
    expect(normalizeItemText('营业执照 公示')).toBe(normalizeItemText('营业执照公示'));
    expect(normalizeItemText('保持畅通。')).toBe(normalizeItemText('保持畅通'));
    expect(normalizeItemText('ＡＢＣ１２３')).toBe('ABC123');
    expect(normalizeItemText('保持畅通')).not.toBe(normalizeItemText('保持通畅'));
  });

  it('leaves out units that do not take part and matters a unit was not assigned', () => {
    const lines = mergeChecklist(ITEMS, [{ agencyCode: 'SCJG', matterCodes: ['M1'] }, { agencyCode: 'WSJK', matterCodes: ['H2'] }]);
    expect(lines.map((l) => l.text)).toEqual(['营业执照公示', '从业人员健康证明', '集中空调']);
    expect(lineAgencies(lines[0]!)).toEqual(['SCJG']);
    expect(linesOf(lines, 'WSJK').map((l) => l.line)).toEqual([3]);
  });

  it('serves a unit’s matter once even when the entry repeats an item', () => {
    const lines = mergeChecklist([...ITEMS, ITEMS[0]!], ALL);
    expect(lines[0]!.serves).toHaveLength(2);
  });
});

describe('splitting one form into each unit’s findings (Art. 20, 23, 30)', () => {
  const lines = mergeChecklist(ITEMS, ALL);
  const units = ['SCJG', 'XFJY', 'WSJK'];
  const form = (over: Partial<JointFindingsInput> = {}): JointFindingsInput => ({
    methods: ['site_survey'],
    items: lines.map((l) => ({ line: l.line, result: 'compliant' as const })),
    outcomes: units.map((agencyCode) => ({ agencyCode, kind: 'no_violation' as const })),
    ...over,
  });
  const fieldOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as DomainError).extensions.errors?.[0]?.field;
    }
    throw new Error('expected a refusal');
  };

  it('gives a shared line’s result to every unit it serves', () => {
    const violation = form({
      items: lines.map((l) => ({ line: l.line, result: l.line === 1 ? ('violation' as const) : ('compliant' as const) })),
      outcomes: [
        { agencyCode: 'SCJG', kind: 'rectification', noticeNo: '市监责改1号', dueDate: '2026-05-01' },
        { agencyCode: 'XFJY', kind: 'no_violation' },
        { agencyCode: 'WSJK', kind: 'rectification', noticeNo: '卫监责改1号', dueDate: '2026-05-01' },
      ],
    });
    const split = splitFindings(lines, units, violation);
    expect(split.get('SCJG')!.items).toEqual([
      { item: '营业执照公示', result: 'violation' },
      { item: '从业人员健康证明', result: 'compliant' },
    ]);
    expect(split.get('WSJK')!.joint.lines[0]).toEqual({ line: 1, standard: '证照齐全有效，并在显著位置公示', servesAlso: ['SCJG'] });
    expect(split.get('XFJY')!.items).toEqual([{ item: '安全出口', result: 'compliant' }]);
  });

  it('refuses an outcome that does not follow from the unit’s own items', () => {
    const onlyFire = form({ items: lines.map((l) => ({ line: l.line, result: l.line === 3 ? ('violation' as const) : ('compliant' as const) })) });
    expect(fieldOf(() => splitFindings(lines, units, onlyFire))).toBe('body.outcomes[1].kind');
    const penaltyWithoutNote = { ...onlyFire, outcomes: onlyFire.outcomes.map((o) => (o.agencyCode === 'XFJY' ? { agencyCode: 'XFJY', kind: 'penalty_referral' as const } : o)) };
    expect(fieldOf(() => splitFindings(lines, units, penaltyWithoutNote))).toBe('body.outcomes[1].proportionalityNote');
  });

  it('needs every line once and one outcome per unit', () => {
    expect(fieldOf(() => splitFindings(lines, units, form({ items: form().items.slice(1) })))).toBe('body.items');
    expect(fieldOf(() => splitFindings(lines, units, form({ items: [...form().items, { line: 1, result: 'compliant' }] })))).toBe('body.items[5].line');
    expect(fieldOf(() => splitFindings(lines, units, form({ items: [...form().items, { line: 9, result: 'compliant' }] })))).toBe('body.items[5].line');
    expect(fieldOf(() => splitFindings(lines, units, form({ outcomes: form().outcomes.slice(0, 2) })))).toBe('body.outcomes');
    expect(fieldOf(() => splitFindings(lines, units, form({ outcomes: [...form().outcomes, { agencyCode: 'OTHER', kind: 'no_violation' }] })))).toBe('body.outcomes[3].agencyCode');
  });

  it('files an out-of-jurisdiction violation with the unit whose line it was found at, never a participating unit', () => {
    const ok = splitFindings(lines, units, form({ outOfJurisdiction: [{ line: 3, agencyCode: 'XFJY', description: '燃气管道私接', competentAgencyCode: 'CGZF' }] }));
    expect(ok.get('XFJY')!.outOfJurisdiction).toEqual([{ description: '燃气管道私接', competentAgencyCode: 'CGZF' }]);
    expect(ok.get('SCJG')!.outOfJurisdiction).toEqual([]);
    expect(fieldOf(() => splitFindings(lines, units, form({ outOfJurisdiction: [{ line: 3, agencyCode: 'SCJG', description: 'x', competentAgencyCode: 'CGZF' }] })))).toBe('body.outOfJurisdiction[0].agencyCode');
    expect(fieldOf(() => splitFindings(lines, units, form({ outOfJurisdiction: [{ line: 3, agencyCode: 'XFJY', description: 'x', competentAgencyCode: 'WSJK' }] })))).toBe('body.outOfJurisdiction[0].competentAgencyCode');
  });
});

describe('entry rules and the team cap (Art. 27, 31)', () => {
  const units = [
    { agencyCode: 'SCJG', role: 'lead' as const, matterCodes: ['M1'] },
    { agencyCode: 'XFJY', role: 'cooperating' as const, matterCodes: ['F1'] },
  ];
  const entry = { code: 'E1', name: '餐饮', content: '食品、消防', basis: '法', units, items: [ITEMS[0]!, ITEMS[2]!] };

  it('accepts a complete entry and names what is missing otherwise', () => {
    expect(entryProblems([entry])).toEqual([]);
    expect(entryProblems([entry, entry]).map((p) => p.field)).toEqual(['body.entries[1].code']);
    expect(entryProblems([{ ...entry, items: [ITEMS[0]!] }]).map((p) => p.field)).toEqual(['body.entries[0].units[1].matterCodes']);
    expect(entryProblems([{ ...entry, items: [...entry.items, item('WSJK', 'H1', 'x', 'y')] }]).map((p) => p.field)).toEqual(['body.entries[0].items[2].agencyCode']);
  });

  it('refuses more officers than the configured cap, with the count and the limit', () => {
    const team = (n: number) => Array.from({ length: n }, (_, k) => ({ name: `员${k}`, certificateNo: `C${k}` }));
    expect(JOINT_TEAM_TOO_LARGE(team(6), 6)).toMatchObject({ passed: true });
    expect(JOINT_TEAM_TOO_LARGE(team(7), 6)).toMatchObject({ passed: false, rule: 'JOINT_TEAM_TOO_LARGE', article: '第三十一条', observed: 7, limit: 6 });
  });
});
