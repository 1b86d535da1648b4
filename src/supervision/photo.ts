import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';

/**
 * The photo of an inspection notice an enterprise attaches to its report. Only JPEG, PNG and WebP, checked
 * by their magic bytes rather than the declared type, so nothing else is ever stored and later served to
 * a supervisor's browser as an "image"; at most 2 MB, which a phone photo of one page fits after the
 * portal's downscaling.
 */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
/** Base64 length of PHOTO_MAX_BYTES: the schema refuses anything longer before decoding it. */
export const PHOTO_MAX_BASE64 = Math.ceil(PHOTO_MAX_BYTES / 3) * 4;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export interface Photo {
  contentType: PhotoType;
  data: Buffer;
  sha256: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The type the bytes really are, or undefined. */
export function sniffImageType(b: Buffer): PhotoType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

export function decodePhoto(input: { contentType: PhotoType; dataBase64: string }, field = 'body.photo'): Photo {
  const text = input.dataBase64;
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) throw DomainError.field(`${field}.dataBase64`, '不是有效的 Base64 编码');
  const data = Buffer.from(text, 'base64');
  if (data.length > PHOTO_MAX_BYTES) throw DomainError.field(`${field}.dataBase64`, '照片不得超过 2 MB', 'PAYLOAD_TOO_LARGE');
  const actual = sniffImageType(data);
  if (!actual) throw DomainError.field(`${field}.dataBase64`, '仅接受 JPEG、PNG 或 WebP 图片', 'UNSUPPORTED_MEDIA_TYPE');
  if (actual !== input.contentType) throw DomainError.field(`${field}.contentType`, `声明为 ${input.contentType}，实际为 ${actual}`, 'UNSUPPORTED_MEDIA_TYPE');
  return { contentType: actual, data, sha256: createHash('sha256').update(data).digest('hex') };
}
