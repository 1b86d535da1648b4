import { describe, expect, it } from 'vitest';
import { readFileFacts } from '../../src/evidence/exif.js';
import { sniffEvidenceType } from '../../src/evidence/media.js';
import { exifJpeg, mp4Head, notAPhoto } from '../support/evidence-files.js';

describe('现场取证文件：类型以文件内容为准，时间地点取自 EXIF', () => {
  it('tells photos and videos by their magic bytes', () => {
    expect(sniffEvidenceType(exifJpeg({ taken: '2026:04:08 10:15:30', latitude: 30.5, longitude: 114.25 }))).toBe('image/jpeg');
    expect(sniffEvidenceType(mp4Head())).toBe('video/mp4');
    const mov = mp4Head();
    mov.write('qt  ', 8, 'latin1');
    expect(sniffEvidenceType(mov)).toBe('video/quicktime');
    expect(sniffEvidenceType(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0]))).toBe('video/webm');
    const heic = mp4Head();
    heic.write('heic', 8, 'latin1');
    expect(sniffEvidenceType(heic)).toBeUndefined();
    expect(sniffEvidenceType(notAPhoto())).toBeUndefined();
  });

  it('reads the capture time as Beijing time when the EXIF names no offset, and the GPS position', async () => {
    const facts = await readFileFacts(exifJpeg({ taken: '2026:04:08 10:15:30', latitude: -30.5, longitude: 114.25 }), 'image/jpeg');
    expect(facts.capturedAt?.toISOString()).toBe('2026-04-08T02:15:30.000Z');
    expect(facts.latitude).toBeCloseTo(-30.5, 6);
    expect(facts.longitude).toBeCloseTo(114.25, 6);
    const utc = await readFileFacts(exifJpeg({ taken: '2026:04:08 02:15:30', offset: '+00:00', latitude: 30.5, longitude: 114.25 }), 'image/jpeg');
    expect(utc.capturedAt?.toISOString()).toBe('2026-04-08T02:15:30.000Z');
  });

  it('yields nothing from a file without EXIF rather than failing', async () => {
    expect(await readFileFacts(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg')).toEqual({});
    expect(await readFileFacts(mp4Head(), 'video/mp4')).toEqual({});
  });
});
