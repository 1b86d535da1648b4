import exifr from 'exifr';

/** When and where a photo says it was taken, from its EXIF (JPEG); absent members were not in the file. */
export interface FileFacts {
  capturedAt?: Date;
  latitude?: number;
  longitude?: number;
}

// "2026:04:08 10:15:00": EXIF writes local time without a zone; OffsetTimeOriginal (EXIF 2.31) gives it when present.
const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const OFFSET = /^[+-]\d{2}:\d{2}$/;

function exifInstant(text: unknown, offset: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const m = EXIF_DATE.exec(text.trim());
  if (!m) return undefined;
  const local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  // Without an offset the camera's clock is taken to be on Beijing time (UTC+8, no daylight saving), as phones used here are.
  const zone = typeof offset === 'string' && OFFSET.test(offset.trim()) ? offset.trim() : '+08:00';
  const at = new Date(`${local}${zone}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const isCoordinate = (v: unknown, limit: number): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/**
 * Reads a JPEG's capture time and GPS position with exifr (a maintained EXIF reader). A file whose EXIF is
 * missing or broken yields nothing rather than an error: the officer's device reading is used instead.
 */
export async function readFileFacts(data: Buffer, contentType: string): Promise<FileFacts> {
  if (contentType !== 'image/jpeg') return {};
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(data, { tiff: true, exif: true, gps: true, reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
  } catch {
    return {};
  }
  if (!tags) return {};
  const out: FileFacts = {};
  const at = exifInstant(tags.DateTimeOriginal ?? tags.CreateDate, tags.OffsetTimeOriginal ?? tags.OffsetTime);
  if (at) out.capturedAt = at;
  if (isCoordinate(tags.latitude, 90) && isCoordinate(tags.longitude, 180)) {
    out.latitude = tags.latitude;
    out.longitude = tags.longitude;
  }
  return out;
}
