import { a, cmd, defineRule, job } from '../define.js';
import { settingZh } from '../setting-text.js';
import { REFUSE_REFERRAL, SEND_REFERRAL } from './commands.js';
import { ruleResult, type RuleResult } from '../result.js';

/** Past the due date: the due day itself is still in time (as src/deadlines/working-days.ts isPast). */
const isPast = (deadline: string, day: string) => day > deadline;

export interface ReferralTiming {
  state: string;
  foundOn: string;
  /** Null while 期限待定: nothing can be late against a date not yet known. */
  dueDate: string | null;
  /** Shanghai date it was sent, when it was. */
  sentOn: string | null;
}

/**
 * REFERRAL_OVERDUE (Art. 23): sent after the due date, or still unsent when it has passed. A referral that
 * left the administrative path for a criminal-case transfer before sending is not "unsent".
 */
export function REFERRAL_OVERDUE(r: ReferralTiming, today: string): RuleResult {
  if (r.dueDate === null) return ruleResult('REFERRAL_OVERDUE', true, r.sentOn ?? r.state, 'due date pending');
  const late = r.sentOn !== null ? isPast(r.dueDate, r.sentOn) : r.state === 'opened' && isPast(r.dueDate, today);
  const observed = r.sentOn ?? (r.state === 'opened' ? `unsent on ${today}` : r.state);
  const detail =
    r.sentOn !== null
      ? `违法线索于${r.foundOn}发现，${r.sentOn}才移送，超过第二十三条规定的10个工作日（应于${r.dueDate}前移送）`
      : `违法线索于${r.foundOn}发现，截至${today}仍未移送有管辖权的行政执法主体，已超过第二十三条规定的10个工作日（应于${r.dueDate}前移送）`;
  return ruleResult('REFERRAL_OVERDUE', !late, observed, r.dueDate, detail);
}

/** REFERRAL_REFUSED (Art. 23): the competent agency 应当接收; a refusal is refused and recorded. */
export function REFERRAL_REFUSED(reason: string): RuleResult {
  return ruleResult(
    'REFERRAL_REFUSED',
    false,
    reason,
    'accept, or escalate a dispute over competence to the common superior',
    `有管辖权的行政执法主体应当接收移送（第二十三条），不能拒收；对管辖有争议的，请通过报请共同上级操作办理。拒收理由已记录：${reason}`,
  );
}


/** Art. 23 (有管辖权的行政执法主体应当接收): a sent referral, judged on `today` against the acceptance deadline. */
export interface ReceiptFacts {
  competentAgencyName: string;
  sentOn: string;
  state: string;
  /** REFERRAL_ACCEPT_WORKING_DAYS working days after sending, a setting. */
  deadline: string;
  days: number;
  today: string;
}

export function REFERRAL_NOT_RECEIVED(f: ReceiptFacts): RuleResult {
  const waiting = f.state === 'sent' || f.state === 'received';
  return ruleResult(
    'REFERRAL_NOT_RECEIVED',
    !waiting || !isPast(f.deadline, f.today),
    `${f.state} on ${f.today}`,
    f.deadline,
    `违法线索于${f.sentOn}移送${f.competentAgencyName}，截至${f.today}该机关既未接收受理，也未就管辖争议报请共同上级，违反第二十三条“有管辖权的行政执法主体应当接收”的规定；${settingZh('接收移送的期限', f.days, '个工作日')}，应于${f.deadline}前办理`,
  );
}

// ---- Referral (Art. 23): one declaration per rule ----

export const ReferralOverdue = defineRule({
  id: 'REFERRAL_OVERDUE',
  articles: [a(23)],
  kind: 'detector',
  severity: 'high',
  titleZh: '未在10个工作日内移送有管辖权的行政执法主体',
  titleEn: 'Referral not sent within 10 working days',
  check: REFERRAL_OVERDUE,
  raisers: { raisedBy: [job('referral-overdue'), SEND_REFERRAL] },
});

export const ReferralRefused = defineRule({
  id: 'REFERRAL_REFUSED',
  articles: [a(23)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '有管辖权的行政执法主体应当接收移送',
  titleEn: 'The competent agency must accept a referral',
  check: REFERRAL_REFUSED,
  raisers: { guardedBy: [REFUSE_REFERRAL], raisedBy: [cmd('flagRefusalAttempt', 'src/referrals/refusal-flag.ts')] },
});

export const ReferralNotReceived = defineRule({
  id: 'REFERRAL_NOT_RECEIVED',
  articles: [a(23)],
  kind: 'detector',
  severity: 'high',
  titleZh: '有管辖权的行政执法主体逾期未接收移送',
  titleEn: 'The competent agency neither accepted nor escalated a sent referral in time',
  check: REFERRAL_NOT_RECEIVED,
  raisers: { raisedBy: [job('referral-not-received')] },
});

export const CrimeTransfer = defineRule({
  id: 'CRIME_TRANSFER',
  articles: [a(23), { law: '《行政执法机关移送涉嫌犯罪案件的规定》', article: 3 }],
  kind: 'state_machine',
  severity: 'medium',
  titleZh: '涉嫌犯罪的依照《行政执法机关移送涉嫌犯罪案件的规定》移送公安机关',
  titleEn: 'Suspected crime transferred to the public security organ under the criminal-case rules',
  raisers: { recordedBy: [cmd('transferCrime', 'src/referrals/steps.ts'), cmd('recordCrimeTransfer', 'src/referrals/crime-transfer.ts')] },
});
