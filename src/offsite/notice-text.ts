/**
 * 违法行为告知提示信息 (Art. 37(2): 简明扼要，便于企业查询和及时纠正): the notice an enterprise reads,
 * assembled from five short facts — what was observed, when, which rule, how to correct, whom to contact —
 * in that order, in plain sentences. Pure: no I/O, no clock.
 */
export const OFFSITE_SOURCE_ZH = {
  document_review: '书面核查',
  data_sharing: '信息共享',
  monitoring: '电子技术监控',
  internet_plus: '“互联网+监管”',
  big_data: '大数据分析',
} as const;

export type OffsiteSource = keyof typeof OFFSITE_SOURCE_ZH;

export interface NoticeFacts {
  enterpriseName: string;
  agencyName: string;
  source: OffsiteSource;
  observed: string;
  observedAt: Date;
  ruleBasis: string;
  howToCorrect: string;
  correctBy?: string | null;
  contact: { department: string; phone: string; name?: string };
}

/** 2026年4月8日 14时30分 (Asia/Shanghai). */
export function shanghaiDateTimeZh(instant: Date): string {
  const local = new Date(instant.getTime() + 8 * 3600_000);
  const [y, m, d, h, min] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()];
  return `${y}年${m}月${d}日 ${h}时${String(min).padStart(2, '0')}分`;
}

const dateZh = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const sentence = (s: string) => (/[。！？.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}。`);

export function noticeTitle(agencyName: string): string {
  return `${agencyName}违法行为告知提示`;
}

export function noticeBody(f: NoticeFacts): string {
  const contact = `${f.contact.department}${f.contact.name ? `（${f.contact.name}）` : ''}，电话 ${f.contact.phone}`;
  return [
    `${f.enterpriseName}：`,
    `一、发现了什么：我单位通过${OFFSITE_SOURCE_ZH[f.source]}发现，${sentence(f.observed)}`,
    `二、什么时候：${shanghaiDateTimeZh(f.observedAt)}。`,
    `三、涉嫌违反：${sentence(f.ruleBasis)}`,
    `四、如何改正：${f.correctBy ? `请于${dateZh(f.correctBy)}前改正。` : '请及时改正。'}${sentence(f.howToCorrect)}`,
    `五、联系方式：如有疑问或已改正，请联系${contact}。`,
    `${f.agencyName}（依据《武汉市规范涉企行政检查办法》第三十七条告知提示）`,
  ].join('\n');
}
