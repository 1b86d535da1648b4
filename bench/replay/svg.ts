/**
 * Two small chart kinds as plain SVG text (no dependency): vertical bars with labels, and a line over a
 * sequence. Enough for docs/BENCHMARKS.md; every number is also in the tables beside them.
 */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const FONT = 'font-family="sans-serif" font-size="11"';
const TITLE = 'font-family="sans-serif" font-size="13"';

export function barChart(title: string, bars: { label: string; value: number; note?: string }[], opts: { unit?: string; width?: number; height?: number; color?: string } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 300;
  const left = 50;
  const bottom = 60;
  const top = 30;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - left - 10) / Math.max(1, bars.length);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" ${TITLE}>${esc(title)}</text>`,
    `<line x1="${left}" y1="${y(0)}" x2="${width - 10}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${left - 4}" y="${y(max) + 4}" text-anchor="end" ${FONT}>${esc(fmtNum(max))}${esc(opts.unit ?? '')}</text>`,
    `<text x="${left - 4}" y="${y(0) + 4}" text-anchor="end" ${FONT}>0</text>`,
  ];
  bars.forEach((b, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(0) - y(b.value)).toFixed(1)}" fill="${opts.color ?? '#4a78b5'}"/>`);
    parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${(y(b.value) - 3).toFixed(1)}" text-anchor="middle" ${FONT}>${esc(b.note ?? fmtNum(b.value))}</text>`);
    parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y(0) + 14}" text-anchor="end" transform="rotate(-30 ${(x + w / 2).toFixed(1)} ${y(0) + 14})" ${FONT}>${esc(b.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function lineChart(title: string, points: { label: string; value: number }[], opts: { unit?: string; width?: number; height?: number; every?: number } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 260;
  const left = 50;
  const bottom = 40;
  const top = 30;
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = (i: number) => left + ((width - left - 10) * i) / Math.max(1, points.length - 1);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const every = opts.every ?? Math.ceil(points.length / 10);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" ${TITLE}>${esc(title)}</text>`,
    `<line x1="${left}" y1="${y(0)}" x2="${width - 10}" y2="${y(0)}" stroke="#333"/>`,
    `<text x="${left - 4}" y="${y(max) + 4}" text-anchor="end" ${FONT}>${esc(fmtNum(max))}${esc(opts.unit ?? '')}</text>`,
    `<text x="${left - 4}" y="${y(0) + 4}" text-anchor="end" ${FONT}>0</text>`,
    `<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}"/>`,
  ];
  points.forEach((p, i) => {
    if (i % every === 0) parts.push(`<text x="${x(i).toFixed(1)}" y="${y(0) + 14}" text-anchor="middle" ${FONT}>${esc(p.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function fmtNum(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10);
}
