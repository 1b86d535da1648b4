import { DomainError } from '../errors/domain-error.js';

/**
 * 第二十条: how an inspection ends. 分别作出下列处理 lists five ways, and one visit can call for more than
 * one: a violation that must be corrected and also penalised is ordered corrected (三) and goes to the
 * penalty procedure (四), and the follow-up duty of ¶2 attaches to the order whatever else was decided.
 * So an outcome holds a list of kinds; `kind` stays on every stored outcome as the most serious of them,
 * for the readers (and clients) that knew one kind only. Pure: validation and wording, no I/O.
 */
export const OUTCOME_KINDS = ['no_violation', 'stop_order', 'rectification', 'penalty_referral', 'other'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** What a client sends: `kind` (one, as before) or `kinds` (several); the rest as each kind needs. */
export interface OutcomeInput {
  kind?: OutcomeKind;
  kinds?: OutcomeKind[];
  /** Written notice or decision number for stop and rectification orders (Art. 20 ¶2). */
  noticeNo?: string;
  /** When the enterprise must have stopped or rectified; the follow-up inspection is due then. */
  dueDate?: string;
  /** Art. 20 ¶3: proportionality and whether a no-penalty / exemption ground applied. */
  proportionalityNote?: string;
  noPenaltyGround?: string | null;
  /** (五) 法律、法规、规章规定的其他情形: the provision the agency acted under. */
  otherBasis?: string;
}

/** What is stored: every kind, `kind` the most serious one, and the enterprise-facing words (outcomeSummaryZh). */
export type Outcome = Omit<OutcomeInput, 'kind' | 'kinds'> & { kind: OutcomeKind; kinds: OutcomeKind[]; summaryZh?: string };

/** Most serious first: the one `kind` older readers see. */
const SEVERITY: readonly OutcomeKind[] = ['penalty_referral', 'stop_order', 'rectification', 'other', 'no_violation'];

/** The kinds of a stored outcome, old rows (one `kind`) included. */
export function outcomeKinds(o: unknown): OutcomeKind[] {
  const v = o as { kind?: string; kinds?: string[] } | null;
  if (!v) return [];
  if (Array.isArray(v.kinds) && v.kinds.length) return v.kinds as OutcomeKind[];
  return v.kind ? [v.kind as OutcomeKind] : [];
}

/** Art. 20 ¶2: an order to stop or to correct is followed up, so its due date is the follow-up's. */
export function followUpDueOf(o: Outcome): string | null {
  return o.kinds.includes('stop_order') || o.kinds.includes('rectification') ? (o.dueDate ?? null) : null;
}

/**
 * Checks an outcome against the visit's item results and returns it normalised. `at` is the field path
 * (`body.outcome`, `body.outcomes[2]`) the refusals name, on the field the client sent (`kind` or `kinds`);
 * `unit` is set for a joint visit's unit, whose refusals speak of 该单位的检查项目 and name its outcome field.
 */
export function normaliseOutcome(input: OutcomeInput, violations: number, at: string, unit = false): Outcome {
  const { kind, kinds: listed, ...rest } = input;
  const kinds = [...new Set(listed?.length ? listed : kind ? [kind] : [])];
  const kindField = listed?.length ? `${at}.kinds` : `${at}.kind`;
  const subject = unit ? '该单位的' : '';
  if (!kinds.length) throw DomainError.field(`${at}.kinds`, '须记录处理结果（第二十条）');
  if (kind && listed?.length && !listed.includes(kind)) throw DomainError.field(`${at}.kind`, '单项处理结果须为所列处理结果之一');
  if (kinds.includes('no_violation') && kinds.length > 1) throw DomainError.field(kindField, '“未发现违法行为”不能与其他处理结果同时作出');
  if (kinds.includes('no_violation') && violations > 0) throw DomainError.field(kindField, `${subject}检查项目中有 ${violations} 项违法，处理结果不能为“未发现违法行为”`);
  // (二)(三)(四) answer a violation found; (五) is whatever else the law provides, which need not be one.
  const needViolation = kinds.filter((k) => k === 'stop_order' || k === 'rectification' || k === 'penalty_referral');
  if (needViolation.length && violations === 0) {
    throw DomainError.field(unit ? kindField : 'body.items', unit ? '该单位的检查项目没有任何一项记为违法，不能认定违法' : '处理结果认定违法，但没有任何检查项目记为违法');
  }
  if ((kinds.includes('stop_order') || kinds.includes('rectification')) && (!rest.noticeNo || !rest.dueDate)) {
    throw DomainError.field(!rest.noticeNo ? `${at}.noticeNo` : `${at}.dueDate`, '责令停止或改正须发出书面通知或者作出决定并确定期限，以便跟踪检查（第二十条第二款）');
  }
  if (kinds.includes('penalty_referral') && (!rest.proportionalityNote || rest.noPenaltyGround === undefined)) {
    throw DomainError.field(
      !rest.proportionalityNote ? `${at}.proportionalityNote` : `${at}.noPenaltyGround`,
      '需要实施行政处罚的，须说明过罚相当的理由，并载明是否依法不予处罚或者免于处罚（不适用的填空值）（第二十条第三款）',
    );
  }
  if (kinds.includes('other') && !rest.otherBasis?.trim()) throw DomainError.field(`${at}.otherBasis`, '“法律、法规、规章规定的其他情形”须载明所依据的规定（第二十条第一款第（五）项）');
  const primary = SEVERITY.find((k) => kinds.includes(k))!;
  const out: Outcome = { ...rest, kind: primary, kinds: OUTCOME_KINDS.filter((k) => kinds.includes(k)) };
  return { ...out, summaryZh: outcomeSummaryZh(out) };
}

/** The enterprise-facing wording of each kind (第二十条第一款). */
export const OUTCOME_KIND_ZH: Record<OutcomeKind, string> = {
  no_violation: '未发现违法行为，予以记录',
  stop_order: '责令停止违法行为',
  rectification: '责令改正',
  penalty_referral: '需要实施行政处罚，按照有关法律、法规和规章的规定处理',
  other: '法律、法规、规章规定的其他情形',
};

/**
 * The outcome in words, as the enterprise reads it. A penalty referral with a recorded no-penalty ground
 * (第二十条第三款: 依法不予处罚或者免于处罚, e.g. 首违不罚) says so, never that a penalty follows.
 */
export function outcomeSummaryZh(o: unknown): string {
  const v = o as Partial<Outcome> | null;
  if (!v) return '';
  return outcomeKinds(v)
    .map((k) => {
      if (k === 'penalty_referral' && v.noPenaltyGround) return `依法不予处罚或者免于处罚（${v.noPenaltyGround}）`;
      if (k === 'other' && v.otherBasis) return `${OUTCOME_KIND_ZH.other}（${v.otherBasis}）`;
      return OUTCOME_KIND_ZH[k];
    })
    .join('；');
}
