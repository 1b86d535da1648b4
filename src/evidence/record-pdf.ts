import { requireCjkFont, type CjkFont } from '../codes/cjk-font.js';
import { collect, embedFont } from '../codes/notice-pdf.js';

/** What the 现场检查笔录 prints: the findings as recorded, the evidence by its hashes, and the signature. */
export interface RecordInput {
  inspectionId: string;
  agencyName: string;
  enterpriseName: string;
  enterpriseCreditCode: string;
  enterpriseAddress: string;
  kindZh: string;
  /** When the officers were on site, e.g. 2026年4月8日 10:05（扫码）至 10:40（记录检查情况） */
  timeText: string;
  inspectors: { name: string; certificateNo: string }[];
  matters: string[];
  methods: string[];
  items: { item: string; resultZh: string; note?: string }[];
  outcome: { kindZh: string; noticeNo?: string; dueDate?: string };
  evidence: { kindZh: string; capturedAtText: string; sha256: string }[];
  findingsSha256: string;
  signature?: { png: Buffer; signerName: string; signerRole: string; signedAtText: string; sha256: string };
}

const MARGIN = 50;
const BODY = 10;

/** Beijing wall-clock time in Chinese, e.g. 2026年4月8日 10:15. */
export function zhInstant(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日 ${s.slice(11, 16)}`;
}

function row(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.fontSize(BODY).text(`${label}：${value}`, { paragraphGap: 2 });
}

/**
 * The on-site record (现场检查笔录, Art. 19): made from the findings the officers recorded, shown to the
 * enterprise's representative, who signs it on the officer's screen. Unsigned it says so, so an unsigned
 * draft can never pass for the signed record.
 */
export async function renderInspectionRecord(input: RecordInput, font: CjkFont = requireCjkFont()): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, lang: 'zh-CN', info: { Title: '现场检查笔录', Author: input.agencyName, Subject: input.enterpriseName } });
  const done = collect(doc);
  embedFont(doc, font);
  const width = doc.page.width - 2 * MARGIN;

  doc.fontSize(20).text('现场检查笔录', { align: 'center', characterSpacing: 4 }).moveDown(0.6);
  row(doc, '检查主体', input.agencyName);
  row(doc, '被检查单位', `${input.enterpriseName}（统一社会信用代码：${input.enterpriseCreditCode}）`);
  row(doc, '地址', input.enterpriseAddress || '—');
  row(doc, '检查类别', input.kindZh);
  row(doc, '检查时间', input.timeText);
  row(doc, '检查人员', input.inspectors.map((p) => `${p.name}（执法证号：${p.certificateNo}）`).join('；'));
  row(doc, '检查事项', input.matters.join('；'));
  row(doc, '检查方式', input.methods.join('；') || '—');
  doc.moveDown(0.4).fontSize(11).text('检查情况').fontSize(BODY);
  input.items.forEach((it, k) => doc.text(`${k + 1}. ${it.item}：${it.resultZh}${it.note ? `（${it.note}）` : ''}`, { paragraphGap: 1 }));
  doc.moveDown(0.4).fontSize(11).text('处理结果').fontSize(BODY);
  doc.text(input.outcome.kindZh);
  if (input.outcome.noticeNo) doc.text(`文书编号：${input.outcome.noticeNo}`);
  if (input.outcome.dueDate) doc.text(`期限：${input.outcome.dueDate} 前`);
  doc.moveDown(0.4).fontSize(11).text('现场取证').fontSize(BODY);
  if (input.evidence.length === 0) doc.text('无');
  input.evidence.forEach((e, k) => doc.text(`${k + 1}. ${e.kindZh}，拍摄于 ${e.capturedAtText}，SHA-256：${e.sha256}`, { paragraphGap: 1 }));
  doc.moveDown(0.3).fontSize(8).text(`检查情况摘要 SHA-256：${input.findingsSha256}`).fontSize(BODY);

  // Keep the signature block whole on one page.
  if (doc.y + 150 > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(0.8).fontSize(11).text('被检查单位意见及签名').fontSize(BODY);
  if (input.signature) {
    const s = input.signature;
    doc.text(`以上笔录经本人核对，与事实相符。签名人：${s.signerName}（${s.signerRole}），签名时间：${s.signedAtText}`);
    const y = doc.y + 4;
    doc.image(s.png, MARGIN, y, { fit: [220, 90] });
    doc.y = y + 94;
    doc.fontSize(8).text(`签名图像 SHA-256：${s.sha256}`).fontSize(BODY);
  } else {
    doc.text('（尚未签名：本件为草稿，不能作为已签名的笔录使用）');
  }
  doc.moveDown(1).text(`检查人员签名：${input.inspectors.map((p) => p.name).join('、')}`, { width, align: 'right' });
  doc.text(`编号：${input.inspectionId}`, { width, align: 'right' });
  doc.end();
  return done;
}
