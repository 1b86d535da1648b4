import { requireCjkFont, type CjkFont } from '../../codes/cjk-font.js';
import { collect, embedFont } from '../../codes/notice-pdf.js';

/**
 * 一表通查 printed (Art. 30): the combined checklist an inspection team carries on a joint visit — which
 * units take part, the entry's content and basis, and one row per merged item with its standard, the
 * units it serves and, once recorded, its result — in zh-CN on A4, like the inspection notice.
 */
export interface ChecklistPdfInput {
  title: string;
  listTitle: string;
  entryName: string;
  content: string;
  basis: string;
  leadName: string;
  cooperatingNames: string[];
  enterpriseNames: string[];
  windowText: string;
  codes: string[];
  lines: { line: number; text: string; standard: string; units: string[]; result?: string | null }[];
}

const MARGIN = 50;
// Columns: 序号 | 检查项目 | 检查标准 | 对应单位 | 检查结果 (points, summing to the A4 text width of 495).
const COLUMNS = [30, 130, 170, 105, 60] as const;
const HEADERS = ['序号', '检查项目', '检查标准', '对应单位', '检查结果'];
const RESULT_ZH: Record<string, string> = { compliant: '符合', violation: '不符合', not_applicable: '不适用' };

function row(doc: PDFKit.PDFDocument, cells: readonly string[]): void {
  const heights = cells.map((c, i) => doc.heightOfString(c, { width: COLUMNS[i]! - 6 }));
  const h = Math.max(...heights) + 8;
  if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y;
  let x = MARGIN;
  cells.forEach((c, i) => {
    doc.rect(x, top, COLUMNS[i]!, h).stroke();
    doc.text(c, x + 3, top + 4, { width: COLUMNS[i]! - 6 });
    x += COLUMNS[i]!;
  });
  doc.x = MARGIN;
  doc.y = top + h;
}

export async function renderJointChecklist(input: ChecklistPdfInput, font: CjkFont = requireCjkFont()): Promise<Buffer> {
  // pdfkit is loaded with the first PDF, not at start (src/codes/notice-pdf.ts says why).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, lang: 'zh-CN', info: { Title: input.title, Author: input.leadName } });
  const done = collect(doc);
  embedFont(doc, font);
  const width = doc.page.width - 2 * MARGIN;

  doc.fontSize(18).text(input.title, { align: 'center' });
  doc.moveDown(0.2).fontSize(10).text('（“综合查一次”一表通查，依据《武汉市规范涉企行政检查办法》第三十条）', { align: 'center' });
  doc.moveDown(0.6).fontSize(10.5);
  const facts: [string, string][] = [
    ['事项清单', input.listTitle],
    ['联合检查事项', input.entryName],
    ['检查内容', input.content],
    ['检查依据', input.basis],
    ['发起单位', input.leadName],
    ['协同单位', input.cooperatingNames.join('、') || '无'],
    ['检查对象', input.enterpriseNames.join('、')],
    ['检查时间', input.windowText],
    ['检查码', input.codes.join('、') || '尚未获取'],
  ];
  for (const [k, v] of facts) doc.text(`${k}：${v}`, { width });
  doc.moveDown(0.6).fontSize(9.5);
  row(doc, HEADERS);
  for (const l of input.lines) row(doc, [String(l.line), l.text, l.standard, l.units.join('、'), l.result ? (RESULT_ZH[l.result] ?? l.result) : '']);
  doc.moveDown(1.2).fontSize(10.5);
  doc.text('检查人员签名：______________________      被检查企业签字：______________________', MARGIN, doc.y, { width });
  doc.end();
  return done;
}
