/**
 * Badge images: what Laurel accepts and serves back. The type is decided by the content, never by
 * the file name or the declared type: PNG and WebP by their signatures, SVG by parsing it as XML.
 * An SVG is refused when it could run code or load something when shown (scripts, event handlers,
 * javascript: links, foreign objects, external references, DTDs).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalid, LaurelError } from './errors.js';

export type BadgeType = 'png' | 'webp' | 'svg';

export const BADGE_MAX_BYTES = 512 * 1024;

export const BADGE_CONTENT_TYPES: Record<BadgeType, string> = {
  png: 'image/png',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The badge's type, or a 422 saying why the file is not an acceptable badge. */
export function badgeTypeOf(bytes: Uint8Array): BadgeType {
  if (bytes.length === 0) throw invalid('badge_empty', 'The file is empty', 'file');
  if (bytes.length > BADGE_MAX_BYTES) {
    throw new LaurelError('too_large', 'badge_too_large', `A badge may be at most ${BADGE_MAX_BYTES / 1024} KB`, 'file');
  }
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  const text = svgText(bytes);
  if (text !== null) {
    assertSafeSvg(text);
    return 'svg';
  }
  throw invalid('badge_type', 'A badge must be a PNG, WebP or SVG image', 'file');
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
  return /^\s*</.test(text) && /<svg[\s>]/i.test(text) ? text : null;
}

const FORBIDDEN_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'handler', 'listener']);

function assertSafeSvg(text: string): void {
  const unsafe = (why: string) => invalid('badge_unsafe_svg', `The SVG was refused: ${why}`, 'file');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw unsafe('it declares a DTD or entities');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw invalid('badge_invalid_svg', `The SVG is not well-formed XML: ${valid.err.msg}`, 'file');
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, processEntities: false });
  const tree = parser.parse(text) as Node[];
  const roots = tree.filter((n) => elementName(n) !== null && !elementName(n)!.startsWith('?'));
  if (roots.length !== 1 || localName(elementName(roots[0] as Node) as string) !== 'svg') throw invalid('badge_type', 'An SVG badge must have one <svg> root element', 'file');
  walk(tree, (name, attributes) => {
    if (FORBIDDEN_ELEMENTS.has(localName(name))) throw unsafe(`it contains a <${name}> element`);
    for (const [attribute, value] of Object.entries(attributes)) {
      const attr = attribute.toLowerCase();
      if (localName(attr).startsWith('on')) throw unsafe(`it has an event handler (${attribute})`);
      const v = String(value).replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (v.includes('javascript:') || v.includes('vbscript:')) throw unsafe(`${attribute} holds a script link`);
      if (localName(attr) === 'href' && !v.startsWith('#') && !v.startsWith('data:image/png') && !v.startsWith('data:image/webp') && !v.startsWith('data:image/jpeg')) {
        throw unsafe(`${attribute} points outside the image`);
      }
    }
  });
  if (/@import|url\(\s*['"]?\s*(?!#)[a-z]+:/i.test(text)) throw unsafe('its styles load something from outside the image');
}

type Node = Record<string, unknown>;

function elementName(node: Node): string | null {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  return name ?? null;
}

function localName(name: string): string {
  return (name.includes(':') ? name.slice(name.indexOf(':') + 1) : name).toLowerCase();
}

function walk(nodes: Node[], visit: (name: string, attributes: Record<string, unknown>) => void): void {
  for (const node of nodes) {
    const name = elementName(node);
    if (name === null) continue;
    const attributes = Object.fromEntries(
      Object.entries((node[':@'] as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k.replace(/^@/, ''), v]),
    );
    visit(name, attributes);
    const children = node[name];
    if (Array.isArray(children)) walk(children as Node[], visit);
  }
}
