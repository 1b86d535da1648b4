import QRCode from 'qrcode';

/**
 * The QR code on the notice and at the enterprise's door (Art. 17(2): the code is shown and scanned on
 * entry). It encodes the check URL; the signature is part of that URL, so scanning needs no app.
 */
const QR_OPTIONS = {
  // M restores ~15 % of damaged modules: enough for a creased or smudged printout, while keeping the
  // ~150-character check URL at a version small enough to scan from arm's length.
  errorCorrectionLevel: 'M',
  // Four modules of white border is the quiet zone the QR standard (ISO/IEC 18004) requires.
  margin: 4,
} as const;

/** 512 px printed at ~4.5 cm on A4 is ~290 dpi: sharp module edges on an office laser printer. */
const PNG_WIDTH = 512;

export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width: PNG_WIDTH });
}

/** Vector form for web pages and posters: scales to any size without blurring. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' });
}
