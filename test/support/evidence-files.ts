/**
 * Files for evidence tests, built byte by byte so the tests need no image tools: a JPEG whose EXIF says when
 * and where it was taken (DateTimeOriginal, OffsetTimeOriginal, GPS), the head of an MP4, and a file that
 * claims to be a photo but is not one.
 */

interface Entry {
  tag: number;
  type: 2 | 4 | 5; // ASCII, LONG, RATIONAL
  count: number;
  data: Buffer; // the value's bytes; 4 bytes or fewer are stored inline
}

const ascii = (tag: number, s: string): Entry => ({ tag, type: 2, count: s.length + 1, data: Buffer.from(`${s}\0`, 'latin1') });
const long = (tag: number, v: number): Entry => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return { tag, type: 4, count: 1, data: b };
};
function degrees(tag: number, value: number): Entry {
  const d = Math.floor(value);
  const m = Math.floor((value - d) * 60);
  const s = Math.round(((value - d) * 60 - m) * 60 * 10_000);
  const b = Buffer.alloc(24);
  [d, 1, m, 1, s, 10_000].forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return { tag, type: 5, count: 3, data: b };
}

/** One IFD at `offset` (from the TIFF header): its entries, then the values too long to sit inline. */
function ifd(offset: number, entries: Entry[]): Buffer {
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  head.writeUInt16LE(entries.length, 0);
  const extra: Buffer[] = [];
  let next = offset + head.length;
  entries.forEach((e, i) => {
    const at = 2 + i * 12;
    head.writeUInt16LE(e.tag, at);
    head.writeUInt16LE(e.type, at + 2);
    head.writeUInt32LE(e.count, at + 4);
    if (e.data.length <= 4) e.data.copy(head, at + 8);
    else {
      head.writeUInt32LE(next, at + 8);
      const padded = e.data.length % 2 ? Buffer.concat([e.data, Buffer.alloc(1)]) : e.data;
      extra.push(padded);
      next += padded.length;
    }
  });
  return Buffer.concat([head, ...extra]);
}

export interface ExifFacts {
  /** EXIF local time, "YYYY:MM:DD HH:MM:SS". */
  taken: string;
  offset?: string;
  latitude: number;
  longitude: number;
}

/** A JPEG (SOI, APP1 Exif, EOI) carrying the given capture time and GPS position. */
export function exifJpeg(f: ExifFacts): Buffer {
  // Layout: TIFF header (8) → IFD0 (two pointers) → Exif IFD → GPS IFD; offsets are computed in order.
  const ifd0Size = 2 + 2 * 12 + 4;
  const exifEntries = [ascii(0x9003, f.taken), ...(f.offset ? [ascii(0x9011, f.offset)] : [])];
  const exifAt = 8 + ifd0Size;
  const exifIfd = ifd(exifAt, exifEntries);
  const gpsAt = exifAt + exifIfd.length;
  const gpsIfd = ifd(gpsAt, [ascii(1, f.latitude >= 0 ? 'N' : 'S'), degrees(2, Math.abs(f.latitude)), ascii(3, f.longitude >= 0 ? 'E' : 'W'), degrees(4, Math.abs(f.longitude))]);
  const ifd0 = ifd(8, [long(0x8769, exifAt), long(0x8825, gpsAt)]);
  const tiff = Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), ifd0, exifIfd, gpsIfd]);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(app1Body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), len, app1Body, Buffer.from([0xff, 0xd9])]);
}

/** The first box of an MP4 (ftyp, brand isom) and some padding: what the type check reads. */
export function mp4Head(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(64)]);
}

/** An HTML page: what a client might upload while claiming image/jpeg. */
export const notAPhoto = (): Buffer => Buffer.from('<!doctype html><script>alert(1)</script>', 'utf8');
