import { Type } from 'typebox';
import { CalendarDate, ShortText } from '../../http/schemas.js';
import { ITEM_RESULTS, METHODS } from '../findings-input.js';
import { OUTCOME_KINDS } from '../outcome.js';

const Kind = Type.Union(
  OUTCOME_KINDS.map((k) => Type.Literal(k)),
  { description: '第二十条：no_violation 未发现违法 | stop_order 责令停止 | rectification 责令改正 | penalty_referral 需要实施行政处罚 | other 法律、法规、规章规定的其他情形' },
);

/**
 * The Art. 20 outcome a client sends (single inspections and each unit of a joint visit): `kinds` for
 * several outcomes of one visit, or `kind` for one (the older form, still accepted). src/visits/outcome.ts
 * checks them against the item results.
 */
export const OutcomeFields = {
  kind: Type.Optional(Kind),
  kinds: Type.Optional(Type.Array(Kind, { minItems: 1, maxItems: 5, uniqueItems: true, description: '同一次检查可作出多项处理（如责令改正并需要实施行政处罚）/ several outcomes of one visit' })),
  noticeNo: Type.Optional(ShortText('书面通知或决定文号 / written notice number', 100)),
  dueDate: Type.Optional(CalendarDate),
  proportionalityNote: Type.Optional(ShortText('过罚相当说明 / proportionality', 1000)),
  noPenaltyGround: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], { description: '依法不予处罚或者免于处罚的理由（如首违不罚；第二十条第三款）/ the no-penalty ground, or null when none' })),
  otherBasis: Type.Optional(ShortText('“其他情形”所依据的规定（第二十条第一款第（五）项）/ the provision for (5)', 500)),
};

/**
 * The Art. 19 and 18(4) vocabularies every findings body uses (a single inspection's, a joint visit's one
 * form, an off-site record): one home, src/visits/findings-input.ts.
 */
export const Methods = (description: string) => Type.Array(Type.Union(METHODS.map((m) => Type.Literal(m))), { minItems: 1, maxItems: 7, uniqueItems: true, description });

export const ItemResult = Type.Union(ITEM_RESULTS.map((r) => Type.Literal(r)));
