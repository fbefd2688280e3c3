/**
 * Rebuilding an uploaded SVG from an allow-list: parsed as XML by jsdom, cleaned by DOMPurify's SVG
 * profile (which drops scripts, event handlers, foreignObject, animation of links and every element
 * and attribute it does not know), then three rules of Laurel's on top, because a badge must not
 * load anything when shown:
 * - href / xlink:href only to a fragment of the same file (`#id`), or a PNG/JPEG/WebP data URL on
 *   <image>/<feImage>;
 * - CSS (style attributes, <style> sheets, presentation attributes such as fill) keeps only known
 *   SVG presentation properties, and only values whose functions are colours, maths, transforms or
 *   `url(#id)`; at-rules other than @media are dropped (@import, @font-face load things);
 * - animation values (`values`, `from`, `to`, `by`) hold no address;
 * - no value may contain a backslash, so CSS escapes cannot spell `url(` in disguise.
 * What comes out is serialised afresh: the bytes stored are jsdom's, never the upload's.
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import { JSDOM, VirtualConsole } from 'jsdom';
import { invalid } from '../domain/errors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** CSS properties (and presentation attributes) a badge may set: appearance, text, geometry of strokes; nothing that takes an image. */
const CSS_PROPERTIES = new Set([
  'alignment-baseline',
  'baseline-shift',
  'clip-path',
  'clip-rule',
  'color',
  'color-interpolation',
  'color-interpolation-filters',
  'direction',
  'display',
  'dominant-baseline',
  'enable-background',
  'fill',
  'fill-opacity',
  'fill-rule',
  'filter',
  'flood-color',
  'flood-opacity',
  'font',
  'font-family',
  'font-size',
  'font-size-adjust',
  'font-stretch',
  'font-style',
  'font-variant',
  'font-weight',
  'isolation',
  'letter-spacing',
  'lighting-color',
  'line-height',
  'marker',
  'marker-end',
  'marker-mid',
  'marker-start',
  'mask',
  'mask-type',
  'mix-blend-mode',
  'opacity',
  'overflow',
  'paint-order',
  'shape-rendering',
  'stop-color',
  'stop-opacity',
  'stroke',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-opacity',
  'stroke-width',
  'text-anchor',
  'text-decoration',
  'text-rendering',
  'transform',
  'transform-box',
  'transform-origin',
  'unicode-bidi',
  'vector-effect',
  'visibility',
  'white-space',
  'word-spacing',
  'writing-mode',
  'image-rendering',
]);

/** CSS functions a kept value may call: none of them fetches anything (url() is further held to `#id`). */
const CSS_FUNCTIONS = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'calc',
  'min',
  'max',
  'clamp',
  'url',
  'matrix',
  'translate',
  'translatex',
  'translatey',
  'rotate',
  'scale',
  'scalex',
  'scaley',
  'skew',
  'skewx',
  'skewy',
]);

const ANIMATION_VALUES = new Set(['values', 'from', 'to', 'by']);

const RASTER_DATA_URL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=\s]*$/;

/** Whether a CSS value (already normalised by the CSS parser) can be shown without loading anything. */
function safeCssValue(value: string): boolean {
  if (value.includes('\\')) return false;
  for (const call of value.matchAll(/([A-Za-z_-][\w-]*)\(/g)) {
    if (!CSS_FUNCTIONS.has((call[1] as string).toLowerCase())) return false;
  }
  return !/url\(\s*(?!["']?#)/i.test(value);
}

function safeDeclarations(style: CSSStyleDeclaration): string {
  const kept: string[] = [];
  for (let i = 0; i < style.length; i += 1) {
    const property = style.item(i).toLowerCase();
    const value = style.getPropertyValue(property);
    if (!CSS_PROPERTIES.has(property) || !safeCssValue(value)) continue;
    const important = style.getPropertyPriority(property) === 'important' ? ' !important' : '';
    kept.push(`${property}: ${value}${important}`);
  }
  return kept.join('; ');
}

export class SvgSanitizer {
  private readonly window: JSDOM['window'];
  private readonly purify: DOMPurify;

  constructor() {
    // jsdom reports CSS it cannot resolve (an @import) on its console; a hostile upload must not fill the log.
    this.window = new JSDOM('<!DOCTYPE html><html><head></head><body></body></html>', { virtualConsole: new VirtualConsole() }).window;
    this.purify = createDOMPurify(this.window as unknown as Parameters<typeof createDOMPurify>[0]);
    this.purify.addHook('uponSanitizeAttribute', (node, data) => {
      const name = data.attrName.toLowerCase();
      const value = data.attrValue;
      if (value.includes('\\')) {
        data.keepAttr = false;
      } else if (name === 'href' || name === 'xlink:href') {
        const raster = (node.localName === 'image' || node.localName === 'feImage') && RASTER_DATA_URL.test(value);
        data.keepAttr = value.startsWith('#') || raster;
      } else if (ANIMATION_VALUES.has(name)) {
        // What an animation sets an attribute to: numbers, colours, transforms; never an address.
        data.keepAttr = !/[a-z][a-z0-9+.-]*:|\/\//i.test(value) && safeCssValue(value);
      } else if (name === 'style') {
        data.attrValue = safeDeclarations((node as unknown as ElementCSSInlineStyle).style);
        data.keepAttr = data.attrValue !== '';
      } else if (CSS_PROPERTIES.has(name) || /url\(/i.test(value)) {
        data.keepAttr = safeCssValue(value);
      }
    });
  }

  /** The SVG rebuilt, as UTF-8 text; a 422 when it is not a well-formed SVG document. */
  sanitize(text: string): string {
    const document = new this.window.DOMParser().parseFromString(text, 'image/svg+xml');
    const root = document.documentElement;
    const parseError = document.getElementsByTagName('parsererror')[0];
    if (parseError) throw invalid('badge_invalid_svg', `The SVG is not well-formed XML: ${parseError.textContent?.trim() ?? ''}`, 'file');
    if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS) {
      throw invalid('badge_invalid_svg', `An SVG badge's root must be <svg xmlns="${SVG_NS}">`, 'file');
    }
    this.purify.sanitize(root, {
      USE_PROFILES: { svg: true, svgFilters: true },
      // <use> is left out of DOMPurify's profile for its external references; the href rule above allows only #id.
      ADD_TAGS: ['use'],
      IN_PLACE: true,
    });
    for (const sheet of [...root.getElementsByTagNameNS(SVG_NS, 'style')]) {
      const rebuilt = this.safeStyleSheet(sheet.textContent ?? '');
      if (rebuilt === '') sheet.remove();
      else sheet.textContent = rebuilt;
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new this.window.XMLSerializer().serializeToString(root)}\n`;
  }

  /** A <style> sheet rebuilt from its style rules (inside @media too), each keeping only safe declarations. */
  private safeStyleSheet(css: string): string {
    const element = this.window.document.createElement('style');
    element.textContent = css;
    this.window.document.head.append(element);
    try {
      return this.safeRules(element.sheet?.cssRules);
    } finally {
      element.remove();
    }
  }

  private safeRules(rules: CSSRuleList | undefined): string {
    const kept: string[] = [];
    for (const rule of rules ?? []) {
      if (rule instanceof this.window.CSSStyleRule) {
        const declarations = safeDeclarations(rule.style);
        if (declarations !== '' && !rule.selectorText.includes('\\')) kept.push(`${rule.selectorText} { ${declarations} }`);
      } else if (rule instanceof this.window.CSSMediaRule && !rule.conditionText.includes('\\') && !/url\(/i.test(rule.conditionText)) {
        const inner = this.safeRules(rule.cssRules);
        if (inner !== '') kept.push(`@media ${rule.conditionText} { ${inner} }`);
      }
    }
    return kept.join('\n');
  }
}
