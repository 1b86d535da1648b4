import { DomainError } from '../../errors/domain-error.js';
import type { FindingsInput } from '../findings-input.js';
import { normaliseOutcome } from '../outcome.js';
import { linesOf, type ChecklistLine } from './checklist.js';

/**
 * 一表通查 findings (Art. 30): one result per line of the combined checklist, and one outcome per unit
 * (Art. 20), each following from that unit's own lines — a unit with a violation among its lines cannot
 * answer "no violation", one without cannot order rectification. Out-of-jurisdiction violations (Art. 23)
 * are recorded by a unit against one of its own lines. Pure: splits the visit's form into each unit's
 * findings, in the shape of a single inspection's (src/visits/commands/findings.ts), or refuses
 * naming the field.
 */
export type Outcome = FindingsInput['outcome'];

export type ItemResult = FindingsInput['items'][number]['result'];

export interface JointFindingsInput {
  enterpriseCode?: string;
  methods: string[];
  items: { line: number; result: ItemResult; note?: string }[];
  outcomes: (Outcome & { agencyCode: string })[];
  outOfJurisdiction?: { line: number; agencyCode: string; description: string; competentAgencyCode: string }[];
}

/** What a unit's part row records: a single inspection's findings, plus the lines they came from. */
export type UnitFindings = FindingsInput & { joint: { lines: { line: number; standard: string; servesAlso: string[] }[] } };

/** Pure; `nameOf` names agencies in the messages (registered names, issue 11), the code by default. */
export function splitFindings(
  lines: readonly ChecklistLine[],
  units: readonly string[],
  f: JointFindingsInput,
  nameOf: (agencyCode: string) => string = (c) => c,
): Map<string, UnitFindings> {
  const results = new Map<number, JointFindingsInput['items'][number]>();
  f.items.forEach((it, k) => {
    if (!lines.some((l) => l.line === it.line)) throw DomainError.field(`body.items[${k}].line`, `综合检查表单没有第 ${it.line} 项`);
    if (results.has(it.line)) throw DomainError.field(`body.items[${k}].line`, `第 ${it.line} 项重复填写`);
    results.set(it.line, it);
  });
  const missing = lines.filter((l) => !results.has(l.line)).map((l) => l.line);
  if (missing.length) throw DomainError.field('body.items', `综合检查表单须逐项填写（一表覆盖），第 ${missing.join('、')} 项未填写`);

  const outcomes = new Map<string, JointFindingsInput['outcomes'][number]>();
  f.outcomes.forEach((o, k) => {
    if (!units.includes(o.agencyCode)) throw DomainError.field(`body.outcomes[${k}].agencyCode`, `${nameOf(o.agencyCode)}不是本次联合检查的参与单位`);
    if (outcomes.has(o.agencyCode)) throw DomainError.field(`body.outcomes[${k}].agencyCode`, `${nameOf(o.agencyCode)}的处理结果重复`);
    outcomes.set(o.agencyCode, o);
  });
  const without = units.filter((u) => !outcomes.has(u));
  if (without.length) throw DomainError.field('body.outcomes', `须记录每个参与单位的处理结果，缺少：${without.map(nameOf).join('、')}`);

  (f.outOfJurisdiction ?? []).forEach((x, k) => {
    const line = lines.find((l) => l.line === x.line);
    if (!line) throw DomainError.field(`body.outOfJurisdiction[${k}].line`, `综合检查表单没有第 ${x.line} 项`);
    if (!line.serves.some((s) => s.agencyCode === x.agencyCode)) throw DomainError.field(`body.outOfJurisdiction[${k}].agencyCode`, `第 ${x.line} 项不是${nameOf(x.agencyCode)}的检查项目`);
    if (units.includes(x.competentAgencyCode)) {
      throw DomainError.field(`body.outOfJurisdiction[${k}].competentAgencyCode`, `${nameOf(x.competentAgencyCode)}参与了本次联合检查，应在其检查项目中记录，无需移送`);
    }
  });

  const out = new Map<string, UnitFindings>();
  f.outcomes.forEach((o, k) => {
    const own = linesOf(lines, o.agencyCode);
    const items = own.map((l) => ({ item: l.text, result: results.get(l.line)!.result, ...(results.get(l.line)!.note ? { note: results.get(l.line)!.note } : {}) }));
    const { agencyCode, ...given } = o;
    const outcome = normaliseOutcome(given, items.filter((i) => i.result === 'violation').length, `body.outcomes[${k}]`, true);
    out.set(agencyCode, {
      methods: f.methods,
      items,
      outcome,
      outOfJurisdiction: (f.outOfJurisdiction ?? []).filter((x) => x.agencyCode === agencyCode).map(({ description, competentAgencyCode }) => ({ description, competentAgencyCode })),
      joint: { lines: own.map((l) => ({ line: l.line, standard: l.standard, servesAlso: [...new Set(l.serves.map((s) => s.agencyCode))].filter((a) => a !== agencyCode) })) },
    });
  });
  return out;
}
