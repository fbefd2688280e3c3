/**
 * Badge images: what Laurel accepts, and the limits that bound the work of rebuilding one. The type
 * is decided by the content, never by the file name or the declared type: PNG and WebP by their
 * signatures, SVG by being UTF-8 text whose markup opens an svg element. Accepted files are then
 * rebuilt (src/engine/badge-rebuild.ts); these checks only decide what is worth rebuilding.
 */
import { invalid, LaurelError } from './errors.js';

export type BadgeType = 'png' | 'webp' | 'svg';

export const BADGE_MAX_BYTES = 512 * 1024;
/** Widest and tallest raster badge, in pixels: a badge is shown small, and decoding costs width × height. */
export const BADGE_MAX_SIDE = 2048;
/** Deepest element nesting in an SVG: drawing tools stay under 30; parsers slow down or overflow far above. */
export const SVG_MAX_DEPTH = 64;
/**
 * Most elements, and attributes, in an SVG. These bound how long one rebuild takes: measured on 2
 * shared cores under load (load average 11–13), 4000 elements of four attributes took 2.9 s and
 * 4000 with a style attribute each 5.7 s; at 2000, 1.3–2.9 s. Badges drawn in Inkscape or
 * Illustrator have tens to a few hundred elements of a handful of attributes. Removing attributes
 * one by one is quadratic in their number on one element (20,000 on one element took 4.5 s), hence
 * a limit per element as well as in all.
 */
export const SVG_MAX_ELEMENTS = 2000;
export const SVG_MAX_ATTRIBUTES = 8000;
export const SVG_MAX_ATTRIBUTES_PER_ELEMENT = 100;

export const BADGE_CONTENT_TYPES: Record<BadgeType, string> = {
  png: 'image/png',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

export type DetectedBadge = { type: 'png' | 'webp' } | { type: 'svg'; text: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The badge's type (and an SVG's text), or a 413/422 saying why the file is not an acceptable badge. */
export function detectBadge(bytes: Uint8Array): DetectedBadge {
  if (bytes.length === 0) throw invalid('badge_empty', 'The file is empty', 'file');
  if (bytes.length > BADGE_MAX_BYTES) {
    throw new LaurelError('too_large', 'badge_too_large', `A badge may be at most ${BADGE_MAX_BYTES / 1024} KB`, 'file');
  }
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return { type: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { type: 'webp' };
  const text = svgText(bytes);
  if (text !== null) {
    assertSvgShape(text);
    return { type: 'svg', text };
  }
  throw invalid('badge_type', 'A badge must be a PNG, WebP or SVG image', 'file');
}

/** Whether a WebP holds losslessly compressed pixels (a VP8L chunk), so that re-encoding can keep them exact. */
export function isLosslessWebp(bytes: Uint8Array): boolean {
  return ascii(bytes, 12, 16) === 'VP8L' || (ascii(bytes, 12, 16) === 'VP8X' && Buffer.from(bytes).includes('VP8L'));
}

/** A raster badge's decoded size, checked against BADGE_MAX_SIDE (a 422 naming the size otherwise). */
export function assertBadgeDimensions(width: number, height: number): void {
  if (width > BADGE_MAX_SIDE || height > BADGE_MAX_SIDE) {
    throw invalid(
      'badge_dimensions',
      `A badge may be at most ${BADGE_MAX_SIDE} × ${BADGE_MAX_SIDE} pixels; this one is ${width} × ${height}`,
      'file',
    );
  }
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The text of something that looks like an SVG document (UTF-8 text naming an svg element), else null. */
function svgText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  text = text.replace(/^\uFEFF/, '');
  return /^\s*</.test(text) && /<svg[\s>/]/i.test(text) ? text : null;
}

/**
 * Refuses, before any parser sees it, an SVG too deep or too large to rebuild, or one declaring
 * entities (entity expansion is how "billion laughs" and external-entity reads work). This is a
 * count of markup, not a judgement of safety: the parser decides well-formedness and the rebuild
 * decides what is kept. In well-formed XML every "<" outside comments, CDATA and processing
 * instructions opens a tag, and ">" can appear inside quoted attribute values only.
 */
function assertSvgShape(text: string): void {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let at = text.indexOf('<');
  while (at !== -1) {
    let end: number;
    if (text.startsWith('<!--', at)) end = closing(text, '-->', at + 4);
    else if (text.startsWith('<![CDATA[', at)) end = closing(text, ']]>', at + 9);
    else if (text.startsWith('<?', at)) end = closing(text, '?>', at + 2);
    else if (text.startsWith('<!', at)) {
      end = tagEnd(text, at);
      if (/<!ENTITY/i.test(text.slice(at, end)) || text.slice(at, end).includes('[')) {
        throw invalid('badge_unsafe_svg', 'The SVG was refused: it declares entities (a DTD internal subset)', 'file');
      }
    } else if (text.startsWith('</', at)) {
      end = tagEnd(text, at);
      depth -= 1;
    } else {
      end = tagEnd(text, at);
      elements += 1;
      const own = attributesIn(text, at, end);
      attributes += own;
      if (text[end - 2] !== '/') depth += 1;
      if (depth > SVG_MAX_DEPTH) throw invalid('badge_too_deep', `An SVG badge may nest elements at most ${SVG_MAX_DEPTH} deep`, 'file');
      if (elements > SVG_MAX_ELEMENTS)
        throw invalid('badge_too_complex', `An SVG badge may have at most ${SVG_MAX_ELEMENTS} elements`, 'file');
      if (own > SVG_MAX_ATTRIBUTES_PER_ELEMENT || attributes > SVG_MAX_ATTRIBUTES) {
        throw invalid(
          'badge_too_complex',
          `An SVG badge may have at most ${SVG_MAX_ATTRIBUTES_PER_ELEMENT} attributes on an element and ${SVG_MAX_ATTRIBUTES} in all`,
          'file',
        );
      }
    }
    at = text.indexOf('<', end);
  }
}

/** Just after the first `terminator` from `from`; the end of the text when there is none (the parser will object). */
function closing(text: string, terminator: string, from: number): number {
  const found = text.indexOf(terminator, from);
  return found === -1 ? text.length : found + terminator.length;
}

/** How many attributes the tag from `at` to `end` has: its "=" signs outside quoted values. */
function attributesIn(text: string, at: number, end: number): number {
  let count = 0;
  let quote: string | null = null;
  for (let i = at + 1; i < end; i += 1) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '=') count += 1;
  }
  return count;
}

/** Just after the ">" that closes the tag opened at `at`, skipping quoted attribute values. */
function tagEnd(text: string, at: number): number {
  let quote: string | null = null;
  for (let i = at + 1; i < text.length; i += 1) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return text.length;
}
