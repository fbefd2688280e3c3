/**
 * Rebuilding an uploaded badge so that what Laurel stores and serves is its own output, never the
 * upload's bytes: SVGs through the allow-list sanitiser (in a worker thread), PNG and WebP decoded
 * and encoded afresh by sharp (libvips). Whatever followed or hid inside the image (HTML after the
 * IEND chunk, text chunks, EXIF, ICC profiles) does not survive a decode and an encode.
 */
import sharp from 'sharp';
import { assertBadgeDimensions, BADGE_MAX_SIDE, type BadgeType, detectBadge, isLosslessWebp } from '../domain/badge-image.js';
import { invalid, LaurelError } from '../domain/errors.js';
import { rebuildSvg } from './svg-rebuilder.js';

export interface RebuiltBadge {
  type: BadgeType;
  bytes: Buffer;
}

/** The badge as Laurel will store it, or a 413/422 saying why the file was refused. */
export async function rebuildBadge(upload: Uint8Array): Promise<RebuiltBadge> {
  const detected = detectBadge(upload);
  if (detected.type === 'svg') {
    return { type: 'svg', bytes: Buffer.from(await rebuildSvg(detected.text), 'utf8') };
  }
  return { type: detected.type, bytes: await reencode(upload, detected.type) };
}

async function reencode(upload: Uint8Array, type: 'png' | 'webp'): Promise<Buffer> {
  // The pixel limit makes libvips refuse a decompression bomb from its header, before decoding it.
  const input = () => sharp(upload, { limitInputPixels: BADGE_MAX_SIDE * BADGE_MAX_SIDE, animated: type === 'webp', failOn: 'error' });
  try {
    const metadata = await input().metadata();
    if (metadata.format !== type)
      throw invalid('badge_invalid_image', `The file starts like a ${type.toUpperCase()} but is not one`, 'file');
    assertBadgeDimensions(metadata.width, metadata.pageHeight ?? metadata.height);
    const image = input();
    return type === 'png'
      ? await image.png({ compressionLevel: 9 }).toBuffer()
      : await image.webp(isLosslessWebp(upload) ? { lossless: true } : { quality: 90, alphaQuality: 100 }).toBuffer();
  } catch (error) {
    if (error instanceof LaurelError) throw error;
    if (/pixel limit/i.test((error as Error).message)) {
      throw invalid('badge_dimensions', `A badge may be at most ${BADGE_MAX_SIDE} × ${BADGE_MAX_SIDE} pixels`, 'file');
    }
    throw invalid('badge_invalid_image', `The ${type.toUpperCase()} could not be decoded: ${(error as Error).message}`, 'file');
  }
}
