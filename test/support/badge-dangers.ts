/** What a rebuilt SVG badge must never contain, for the corpus test and the sanitiser's property test. */

/** Constructs that must never be in a served SVG (namespace declarations removed first: they are names, not links). */
export const DANGEROUS: [string, RegExp][] = [
  ['script element', /<script/i],
  ['javascript: link', /javascript:|java&#x?[0-9a-f]+;script|&#x?0*(106|6a);/i],
  ['event handler', /\son[a-z]+\s*=/i],
  ['foreignObject', /foreignobject/i],
  ['animation of a link', /<animate|<set\b/i],
  ['external address', /https?:|["'(]\s*\/\/|file:/i],
  ['data: URL other than a raster image', /data:(?!image\/(png|jpeg|webp);base64,)/i],
  ['DTD or entity', /<!doctype|<!entity/i],
  ['stylesheet that loads', /@import|@font-face|image-set/i],
  ['url() outside the file', /url\(\s*(?!["']?#)/i],
  ['CSS escape', /\\/],
  ['processing instruction other than the XML declaration', /<\?(?!xml )/i],
  ['iframe or embed', /<(iframe|embed|object)/i],
];

export function dangersIn(served: string): string[] {
  const text = served.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  return DANGEROUS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}
