import { sniffImageType } from '../supervision/photo.js';

/**
 * The types a piece of evidence may be, told by the file's own first bytes (magic numbers), never by the
 * type the client declares: a file is stored and later served only as what it really is.
 */
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_KIND_ZH = { photo: '照片', video: '视频' } as const;

/** ISO BMFF (MP4, MOV): a box size, then `ftyp` and the major brand; `qt  ` is Apple's QuickTime. */
function sniffIsoMedia(b: Buffer): EvidenceType | undefined {
  if (b.length < 12 || b.toString('latin1', 4, 8) !== 'ftyp') return undefined;
  const brand = b.toString('latin1', 8, 12);
  if (brand === 'qt  ') return 'video/quicktime';
  // HEIF/AVIF stills share the box format; they are pictures, not video, and browsers cannot show HEIC.
  if (/^(heic|heix|hevc|heim|heis|mif1|msf1|avif|avis)$/.test(brand)) return undefined;
  return 'video/mp4';
}

/** Matroska/WebM: the EBML header's magic. */
const isWebm = (b: Buffer) => b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;

export function sniffEvidenceType(b: Buffer): EvidenceType | undefined {
  return sniffImageType(b) ?? sniffIsoMedia(b) ?? (isWebm(b) ? 'video/webm' : undefined);
}

export const kindOf = (t: EvidenceType): 'photo' | 'video' => (t.startsWith('video/') ? 'video' : 'photo');
