import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reading printed QR codes as a phone would: the PDF rasterised by poppler's `pdftoppm`, the QR read by
 * `zbarimg` (Debian `zbar-tools`), both installed by scripts/setup-system.sh.
 */

/** Runs a tool; a missing one fails the test, naming the package scripts/setup-system.sh installs. */
function run(cmd: string, args: string[], pkg: string): string {
  const out = spawnSync(cmd, args, { encoding: 'utf8' });
  if (out.error) throw new Error(`${cmd} is not available (${out.error.message}): run scripts/setup-system.sh as root (installs ${pkg})`);
  if (out.status !== 0) throw new Error(`${cmd} failed (${out.status}): ${out.stderr}`);
  return out.stdout;
}

/** Every QR text zbarimg finds in the image file `path`. */
function qrTextsInImage(path: string): string[] {
  return run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', path], 'zbar-tools').split('\n').filter(Boolean);
}

/** The PDF's first page at `dpi` (pdftoppm), then every QR text zbarimg finds on it. */
export function qrTextsInPdf(pdf: Buffer, dpi: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'notice-qr-'));
  try {
    writeFileSync(join(dir, 'notice.pdf'), pdf);
    run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', join(dir, 'notice.pdf'), join(dir, 'page')], 'poppler-utils');
    const page = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    return qrTextsInImage(join(dir, page));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every QR text zbarimg finds in a PNG. */
export function qrTextsInPng(png: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'code-qr-'));
  try {
    writeFileSync(join(dir, 'code.png'), png);
    return qrTextsInImage(join(dir, 'code.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
