import PDFDocument from 'pdfkit';
import { requireCjkFont, type CjkFont } from './cjk-font.js';
import { ENTERPRISE_DUTIES, ENTERPRISE_RIGHTS, type NoticeClause } from './notice-rights.js';
import { qrPng } from './qr.js';

export { findCjkFont } from './cjk-font.js';
export type { CjkFont };

/**
 * The 行政检查通知书 handed over at the start of an on-site routine or special inspection
 * (Art. 17(1), 18(3)): who inspects, what, on which legal basis, when, by whom, the enterprise's rights
 * and duties, and the inspection code to scan (Art. 17(2), 18(2)).
 */
export interface NoticeInput {
  agencyNames: string[];
  enterpriseName: string;
  enterpriseCreditCode: string;
  enterpriseAddress: string;
  matters: { name: string; legalBasis: string }[];
  /** zh label, e.g. 日常检查 */
  kind: string;
  /** e.g. 2026年4月8日 09:00 至 17:00 */
  windowText: string;
  inspectors: { name: string; certificateNo: string }[];
  /** Art. 18(1) 法律另有规定的除外: the legal basis recorded for fewer than two inspectors, shown with the team. */
  teamExceptionBasis?: string | null;
  code: string;
  checkUrl: string;
  /** date text, e.g. 2026年4月1日 */
  issuedAt: string;
}

// A4 with ~2 cm margins, the usual layout of Chinese official documents (GB/T 9704 uses 2.5–3.7 cm;
// 2 cm leaves room for the rights list on one page in most cases).
const MARGIN = 56;
const BODY_SIZE = 11;
const QR_SIZE = 128; // ≈ 4.5 cm: scannable from 30–40 cm with an ordinary phone camera
const FONT = 'cjk';

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function heading(doc: PDFKit.PDFDocument, index: number, title: string): void {
  // Keep a heading with at least two lines of its section instead of leaving it alone at a page foot.
  if (doc.y + 4 * doc.currentLineHeight(true) > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(0.6).fontSize(12.5).text(`${ORDINALS[index]}、${title}`).fontSize(BODY_SIZE).moveDown(0.2);
}

function clauses(doc: PDFKit.PDFDocument, list: readonly NoticeClause[]): void {
  list.forEach((c, i) => doc.text(`${i + 1}. ${c.text}（${c.basis}）`, { paragraphGap: 2 }));
}

function embedFont(doc: PDFKit.PDFDocument, font: CjkFont): void {
  try {
    doc.registerFont(FONT, font.path, font.family);
    doc.font(FONT);
  } catch (e) {
    const hint = /\.(ttc|otc)$/i.test(font.path) ? '; in a .ttc collection, name the face by its PostScript name' : '';
    throw new Error(`cannot use the CJK font ${font.path}${font.family ? ` (${font.family})` : ''}: ${(e as Error).message}${hint}`);
  }
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** `font` defaults to the installed CJK font; a missing one throws, naming scripts/setup-system.sh. */
export async function renderInspectionNotice(input: NoticeInput, font: CjkFont = requireCjkFont()): Promise<Buffer> {
  const qr = await qrPng(input.checkUrl);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: 'zh-CN',
    info: { Title: `行政检查通知书 ${input.code}`, Author: input.agencyNames.join('、'), Subject: input.enterpriseName },
  });
  const done = collect(doc);
  embedFont(doc, font);
  const width = doc.page.width - 2 * MARGIN;
  const agencies = input.agencyNames.join('、');

  doc.fontSize(22).text('行政检查通知书', { align: 'center', characterSpacing: 4 });
  doc.moveDown(0.3).fontSize(10).text(`检查码：${input.code}`, { align: 'right' });
  doc.moveDown(0.8).fontSize(BODY_SIZE);
  doc.text(`${input.enterpriseName}：`);
  doc.text(`（统一社会信用代码：${input.enterpriseCreditCode}；地址：${input.enterpriseAddress}）`);
  doc.moveDown(0.4).text(
    `根据《武汉市规范涉企行政检查办法》第十七条、第十八条的规定，${agencies}将对你单位开展${input.kind}。` +
      '本次检查已在武汉市行政执法管理与监督云平台登记并获取检查码，现将有关事项告知如下：',
    { indent: 22 },
  );

  heading(doc, 0, '检查主体');
  doc.text(agencies);
  heading(doc, 1, '检查事项和检查依据');
  input.matters.forEach((m, i) => {
    doc.text(`${i + 1}. 检查事项：${m.name}`);
    doc.text(`检查依据：${m.legalBasis}`, { indent: 14 });
  });
  heading(doc, 2, '检查时间');
  doc.text(input.windowText);
  heading(doc, 3, '检查人员');
  input.inspectors.forEach((p) => doc.text(`${p.name}（执法证号：${p.certificateNo}）`));
  if (input.teamExceptionBasis) doc.text(`检查人员少于两人的法律依据：${input.teamExceptionBasis}`);
  heading(doc, 4, '企业依法享有的权利');
  clauses(doc, ENTERPRISE_RIGHTS);
  heading(doc, 5, '企业应当承担的义务');
  clauses(doc, ENTERPRISE_DUTIES);

  heading(doc, 6, '检查码核验');
  // Keep the QR code, its id and the instructions together rather than splitting them across pages.
  if (doc.y + QR_SIZE + 90 > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y;
  doc.image(qr, MARGIN, top, { width: QR_SIZE, height: QR_SIZE });
  doc.fontSize(10).text(input.code, MARGIN, top + QR_SIZE + 4, { width: QR_SIZE, align: 'center' });
  const textX = MARGIN + QR_SIZE + 18;
  doc.fontSize(BODY_SIZE).text(
    '请用手机扫描左侧二维码，或在浏览器中打开下列网址，核验本次检查是否经平台授权、检查事项和时间是否与本通知书一致。' +
      '核验无需登录；检查码带有电子签名，也可以用公布的公钥离线核验。核验结果与本通知书不一致的，企业可以向有关机关反映。',
    textX,
    top,
    { width: width - QR_SIZE - 18 },
  );
  // The printed address is for typing by hand: without the `#m=` signed message, which only the QR needs.
  doc.moveDown(0.3).fontSize(8).text(input.checkUrl.split('#')[0]!, { width: width - QR_SIZE - 18 });

  doc.fontSize(BODY_SIZE).text(`${agencies}（印章）`, MARGIN, Math.max(doc.y, top + QR_SIZE + 20) + 24, {
    width,
    align: 'right',
  });
  doc.text(input.issuedAt, { width, align: 'right' });
  doc.end();
  return done;
}
