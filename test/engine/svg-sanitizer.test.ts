/**
 * The SVG sanitiser against generated documents: random trees mixing drawing elements with hostile
 * elements, attributes, CSS and entity-encoded values. Whatever comes in, what comes out holds none
 * of the dangerous constructs, and rebuilding it again changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SvgSanitizer } from '../../src/engine/svg-sanitizer.js';
import { dangersIn } from '../support/badge-dangers.js';

const ELEMENTS = [
  'g',
  'rect',
  'circle',
  'path',
  'text',
  'a',
  'use',
  'image',
  'feImage',
  'filter',
  'linearGradient',
  'stop',
  'mask',
  'pattern',
  'script',
  'foreignObject',
  'animate',
  'set',
  'iframe',
  'style',
  'title',
];

const LINKS = [
  '#g',
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'https://evil.example/x.svg#a',
  '//evil.example/x',
  'http://evil.example/x.png',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml;base64,PHN2Zz4=',
  'data:image/png;base64,iVBORw0KGgo=',
  'file:///etc/passwd',
];
const CSS_VALUES = [
  'red',
  '#0a0',
  'url(#g)',
  'url(https://evil.example/x#a)',
  'url(//evil.example/x)',
  "url('//evil.example/x')",
  'u\\72l(//evil.example/x)',
  'image-set("https://evil.example/x.png" 1x)',
  'rgb(1, 2, 3)',
  'expression(alert(1))',
  'var(--x)',
  'element(#g)',
];
const CSS_PROPERTIES = [
  'fill',
  'stroke',
  'background',
  'mask',
  'filter',
  'cursor',
  'list-style',
  'content',
  'behavior',
  '-moz-binding',
  'marker-end',
  'font-family',
];

const declaration = fc.tuple(fc.constantFrom(...CSS_PROPERTIES), fc.constantFrom(...CSS_VALUES)).map(([p, v]) => `${p}:${v}`);
const style = fc.array(declaration, { maxLength: 4 }).map((d) => d.join(';'));
const sheet = fc
  .array(
    fc.oneof(
      style.map((s) => `.c{${s}}`),
      fc.constantFrom(
        '@import url(https://evil.example/x.css);',
        '@import "//evil.example/y.css";',
        '@font-face{font-family:x;src:url(//evil.example/f)}',
        '@media (min-width:1px){.m{fill:url(//evil.example/m)}}',
      ),
    ),
    { maxLength: 4 },
  )
  .map((rules) => rules.join('\n'));

const attribute = fc.oneof(
  fc.tuple(fc.constantFrom('href', 'xlink:href'), fc.constantFrom(...LINKS)),
  fc.tuple(fc.constant('style'), style),
  fc.tuple(fc.constantFrom('fill', 'stroke', 'mask', 'filter', 'cursor', 'clip-path'), fc.constantFrom(...CSS_VALUES)),
  fc.tuple(fc.constantFrom('onload', 'onclick', 'onMouseOver', 'onbegin'), fc.constant('alert(1)')),
  fc.tuple(fc.constant('attributeName'), fc.constantFrom('href', 'xlink:href', 'fill')),
  fc.tuple(fc.constantFrom('to', 'values', 'from'), fc.constantFrom(...LINKS)),
  fc.tuple(fc.constantFrom('width', 'x', 'r', 'class', 'id'), fc.constantFrom('1', 'c', 'g', '50%')),
);

/** An attribute value escaped for XML, some characters as numeric character references (how filters are dodged). */
const escaped = (value: string, encodeEvery: number) =>
  [...value]
    .map((ch, i) => {
      if (ch === '&') return '&amp;';
      if (ch === '<') return '&lt;';
      if (ch === '"') return '&quot;';
      return encodeEvery > 0 && i % encodeEvery === 0 ? `&#${ch.codePointAt(0)};` : ch;
    })
    .join('');

interface Tree {
  name: string;
  attributes: [string, string][];
  children: Tree[];
  css: string;
}

/** Trees up to `depth` levels deep. */
function treeOf(depth: number): fc.Arbitrary<Tree> {
  return fc.record({
    name: fc.constantFrom(...ELEMENTS),
    attributes: fc.uniqueArray(attribute, { maxLength: 4, selector: ([name]) => name }),
    children: depth === 0 ? fc.constant([]) : fc.array(treeOf(depth - 1), { maxLength: 3 }),
    css: sheet,
  });
}
const tree = treeOf(3);

function render(node: Tree, encodeEvery: number): string {
  const attributes = node.attributes.map(([n, v]) => ` ${n}="${escaped(v, encodeEvery)}"`).join('');
  const inner = node.name === 'style' ? escaped(node.css, 0) : node.children.map((c) => render(c, encodeEvery)).join('');
  return `<${node.name}${attributes}>${inner}</${node.name}>`;
}

describe('SvgSanitizer', () => {
  const sanitizer = new SvgSanitizer();

  it('leaves no dangerous construct in any generated document, and is stable on its own output', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (children, encodeEvery) => {
        const input = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${children.map((c) => render(c, encodeEvery)).join('')}</svg>`;
        const output = sanitizer.sanitize(input);
        expect(dangersIn(output), `${input}\n→\n${output}`).toEqual([]);
        expect(sanitizer.sanitize(output)).toBe(output);
      }),
      { numRuns: 200 },
    );
  });
});
