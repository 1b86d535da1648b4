/**
 * What the 行政检查通知书 tells the enterprise about its rights and duties (Art. 18(3): the notice
 * "告知企业依法享有的权利和应当承担的义务"). Each line names its source, so the enterprise can look it up
 * and so a change in the law is traced to the sentence that must change. 本办法 = 武汉市规范涉企行政检查办法.
 */
export interface NoticeClause {
  text: string;
  basis: string;
}

export const ENTERPRISE_RIGHTS: readonly NoticeClause[] = [
  {
    text: '检查人员应当主动出示执法证件和检查码；检查人员不出示执法证件的，企业有权拒绝接受检查。',
    basis: '本办法第十八条第（二）项；《中华人民共和国行政处罚法》第五十五条',
  },
  {
    text: '企业可以扫描本通知书上的检查码，核验本次检查是否已在武汉市行政执法管理与监督云平台登记。',
    basis: '本办法第十七条',
  },
  {
    text: '现场检查的执法人员不得少于两人，法律另有规定的除外。',
    basis: '本办法第十八条第（一）项',
  },
  {
    text: '检查不得刻意要求企业法定代表人到场，不得干扰企业正常生产经营。',
    basis: '本办法第四十条第（二）项',
  },
  {
    text: '需要抽取样品进行检验、检疫、检测或者技术鉴定的，相关费用由实施检查的行政执法主体支付，不由企业承担。',
    basis: '本办法第二十二条第二款',
  },
  {
    text: '检查人员不得接受企业的任何馈赠、报酬、福利待遇，不得参加企业提供的宴请、娱乐、旅游等活动，不得由企业支付消费开支。',
    basis: '本办法第四十条第（一）项',
  },
  {
    text: '企业的商业秘密和相关个人隐私受保护，检查人员不得泄露。',
    basis: '本办法第四十条第（六）项',
  },
  {
    text: '检查结束后，企业有权获知检查结果。',
    basis: '本办法第十八条第（五）项',
  },
  {
    text: '发现检查人员有违反本办法规定行为的，企业可以向有关机关反映、投诉，由有关机关依法处理。',
    basis: '本办法第四十一条',
  },
];

export const ENTERPRISE_DUTIES: readonly NoticeClause[] = [
  {
    text: '企业及有关人员应当如实回答询问，并协助检查，不得拒绝或者阻挠。',
    basis: '《中华人民共和国行政处罚法》第五十五条',
  },
];
