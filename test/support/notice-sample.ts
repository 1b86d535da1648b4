import { newCodeId } from '../../src/codes/code-id.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { noticeDocumentNo, type NoticeInput } from '../../src/codes/notice-pdf.js';
import { checkUrl } from '../../src/codes/signed-code.js';

/** A 行政检查通知书 for a signed two-matter routine inspection, as the notice renderer takes it. */
export function sampleNotice(): NoticeInput {
  const code = newCodeId(2026);
  const facts = {
    code,
    inspectionId: 'insp-0001',
    agencies: ['WH-SCJG'],
    enterprise: '91420100MA4K0000XX',
    matters: ['M-FOOD-01'],
    kind: 'routine' as const,
    validFrom: '2026-04-08T01:00:00.000Z',
    validTo: '2026-04-08T09:00:00.000Z',
    inspectorCount: 2,
  };
  const { kid, signature } = generateKeyring().sign(facts);
  return {
    agencyNames: ['武汉市市场监督管理局'],
    enterpriseName: '武汉光谷示例科技有限公司',
    enterpriseCreditCode: facts.enterprise,
    enterpriseAddress: '武汉市洪山区珞喻路1号',
    matters: [
      { name: '食品经营许可事项检查', legalBasis: '《中华人民共和国食品安全法》第一百一十条' },
      { name: '计量器具使用检查', legalBasis: '《中华人民共和国计量法》第十八条' },
    ],
    kind: '日常检查',
    windowText: '2026年4月8日 09:00 至 17:00',
    inspectors: [
      { name: '张三', certificateNo: '42010020260001' },
      { name: '李四', certificateNo: '42010020260002' },
    ],
    code,
    checkUrl: checkUrl('https://jc.wuhan.gov.cn', code, kid, signature),
    issuedAt: '2026年4月1日',
    documentNo: noticeDocumentNo(code, 2026),
    complaintContacts: ['武汉市市场监督管理局投诉举报电话 12315'],
  };
}
