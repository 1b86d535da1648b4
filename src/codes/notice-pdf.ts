import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  /** 文书编号, e.g. 检通〔2026〕WH-2026-AB12CD号 (see noticeDocumentNo). */
  documentNo: string;
  /** Where the enterprise may complain: each agency's registry row (agencies.complaint_contact). */
  complaintContacts?: string[];
}

/** When an agency has recorded no complaint contact: the city's public hotline, which takes them all. */
export const FALLBACK_COMPLAINT_CONTACT = '武汉市民服务热线 12345';

/**
 * The notice's document number (文书编号). The Order prescribes no numbering; the inspection code is unique
 * and already printed, so the number is the year of issue and the code: one notice per code, findable
 * from either.
 */
export function noticeDocumentNo(code: string, issuedYear: number): string {
  return `检通〔${issuedYear}〕${code}号`;
}

// A4 with 1.5 cm margins and a 9.5 pt body: the whole notice — the QR code, the rights and duties, the
// seal and the date — fits one page, so what the enterprise is handed cannot lose its second sheet.
const MARGIN = 42;
const BODY_SIZE = 9.5;
const QR_SIZE = 110; // ≈ 3.9 cm: scannable from 30 cm with an ordinary phone camera
const FONT = 'cjk';

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function heading(doc: PDFKit.PDFDocument, index: number, title: string): void {
  // Keep a heading with at least two lines of its section instead of leaving it alone at a page foot.
  if (doc.y + 4 * doc.currentLineHeight(true) > doc.page.height - MARGIN) doc.addPage();
  doc.moveDown(0.35).fontSize(11).text(`${ORDINALS[index]}、${title}`).fontSize(BODY_SIZE).moveDown(0.1);
}

function clauses(doc: PDFKit.PDFDocument, list: readonly NoticeClause[]): void {
  list.forEach((c, i) => doc.text(`${i + 1}. ${c.text}（${c.basis}）`, { paragraphGap: 1 }));
}

// fontkit is the parser pdfkit itself uses; it ships no types, and only `create` is needed here. Required with
// the first PDF, as pdfkit is, so a server that prints nothing never loads it.
const loadFontkit = () => createRequire(import.meta.url)('fontkit') as { create(data: Uint8Array, postscriptName?: string): object };

/**
 * Parsed fonts, one per file and face, kept for the process's life. Given a path, pdfkit reads the whole file
 * (~20 MB for Noto CJK, ~60 ms) and parses it anew for every document, and the first layouts on a fresh font
 * object build its glyph and substitution caches (~100 ms more): together most of a notice's time. Given the
 * parsed font, pdfkit still makes each document its own subset, so documents share only what fontkit reads.
 */
const parsedFonts = new Map<string, object>();

function parsedFont(font: CjkFont): object {
  const key = `${font.path}\u0000${font.family ?? ''}`;
  let parsed = parsedFonts.get(key);
  if (!parsed) parsedFonts.set(key, (parsed = loadFontkit().create(readFileSync(font.path), font.family)));
  return parsed;
}

export function embedFont(doc: PDFKit.PDFDocument, font: CjkFont): void {
  try {
    // pdfkit's types name only paths and buffers; its font factory also takes a parsed fontkit font.
    doc.registerFont(FONT, parsedFont(font) as unknown as string);
    doc.font(FONT);
  } catch (e) {
    const hint = /\.(ttc|otc)$/i.test(font.path) ? '; in a .ttc collection, name the face by its PostScript name' : '';
    throw new Error(`cannot use the CJK font ${font.path}${font.family ? ` (${font.family})` : ''}: ${(e as Error).message}${hint}`);
  }
}

export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
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
  // pdfkit (with fontkit, its brotli and Unicode tables) is loaded with the first PDF, not at start: most
  // processes never render one, and it holds ~6 MB of heap (~15 MiB resident under tsx) from then on.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    lang: 'zh-CN',
    bufferPages: true,
    info: { Title: `行政检查通知书 ${input.code}`, Author: input.agencyNames.join('、'), Subject: input.enterpriseName },
  });
  const done = collect(doc);
  embedFont(doc, font);
  const width = doc.page.width - 2 * MARGIN;
  const agencies = input.agencyNames.join('、');

  doc.fontSize(20).text('行政检查通知书', { align: 'center', characterSpacing: 4 });
  doc.moveDown(0.2).fontSize(9.5).text(`文书编号：${input.documentNo}`, { align: 'center' });

  // The QR code first, top right of page 1 beside the addressee: it is what the enterprise scans at the
  // gate (Art. 17(2)), so it never lands on a second page.
  const top = doc.y + 6;
  const qrX = doc.page.width - MARGIN - QR_SIZE;
  doc.image(qr, qrX, top, { width: QR_SIZE, height: QR_SIZE });
  doc.fontSize(8).text(input.code, qrX, top + QR_SIZE + 2, { width: QR_SIZE, align: 'center', lineBreak: false });
  doc.text('扫码核验检查是否经授权', qrX, top + QR_SIZE + 13, { width: QR_SIZE, align: 'center', lineBreak: false });
  const leftWidth = width - QR_SIZE - 16;
  doc.fontSize(BODY_SIZE).text(`${input.enterpriseName}：`, MARGIN, top, { width: leftWidth });
  doc.text(`（统一社会信用代码：${input.enterpriseCreditCode}；地址：${input.enterpriseAddress}）`, { width: leftWidth });
  doc.moveDown(0.3).text(
    `根据《武汉市规范涉企行政检查办法》第十七条、第十八条的规定，${agencies}将对你单位开展${input.kind}。` +
      '本次检查已在武汉市行政执法管理与监督云平台登记并获取检查码，现将有关事项告知如下：',
    { indent: 19, width: leftWidth },
  );
  // The printed address is for typing by hand: without the `#m=` signed message, which only the QR needs.
  doc.moveDown(0.2).fontSize(8).text(`核验网址：${input.checkUrl.split('#')[0]!}`, { width: leftWidth });
  doc.fontSize(BODY_SIZE);
  doc.y = Math.max(doc.y, top + QR_SIZE + 28);
  doc.x = MARGIN;

  heading(doc, 0, '检查主体');
  doc.text(agencies);
  heading(doc, 1, '检查事项和检查依据');
  input.matters.forEach((m, i) => {
    doc.text(`${i + 1}. 检查事项：${m.name}；检查依据：${m.legalBasis}`);
  });
  heading(doc, 2, '检查时间');
  doc.text(input.windowText);
  heading(doc, 3, '检查人员');
  doc.text(input.inspectors.map((p) => `${p.name}（执法证号：${p.certificateNo}）`).join('；'));
  if (input.teamExceptionBasis) doc.text(`检查人员少于两人的法律依据：${input.teamExceptionBasis}`);
  heading(doc, 4, '企业依法享有的权利');
  clauses(doc, ENTERPRISE_RIGHTS);
  heading(doc, 5, '企业应当承担的义务');
  clauses(doc, ENTERPRISE_DUTIES);
  heading(doc, 6, '检查码核验与投诉举报');
  doc.text(
    '可用手机扫描右上方二维码，或在浏览器中打开核验网址，核验本次检查是否经平台授权、检查事项和时间是否与本通知书一致；' +
      '核验无需登录，检查码带有电子签名，也可以用公布的公钥离线核验。',
  );
  const contacts = input.complaintContacts?.filter((c) => c.trim()) ?? [];
  doc.text(`对本次检查有异议或发现违法违规检查的，可以投诉举报：${contacts.length ? contacts.join('；') : FALLBACK_COMPLAINT_CONTACT}。`);

  doc.moveDown(0.8).text(`${agencies}（印章）`, MARGIN, doc.y, { width, align: 'right' });
  doc.text(input.issuedAt, { width, align: 'right' });

  // Page numbers on every page (第 n 页 共 m 页), written last when the page count is known.
  const range = doc.bufferedPageRange();
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8.5).text(`第 ${p - range.start + 1} 页 共 ${range.count} 页`, MARGIN, doc.page.height - MARGIN / 2 - 6, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
