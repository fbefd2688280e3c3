/** The email a member gets on an unlock, in their language: subject, plain text and HTML. */
import { format } from './condition-text.js';
import type { Locale } from './locale.js';

export interface UnlockEmailInput {
  name: string;
  badgeUrl: string | null;
  unlockMessage: string | null;
  condition: string | null;
  unsubscribeUrl: string;
}

export interface UnlockEmail {
  subject: string;
  text: string;
  html: string;
}

export function unlockEmail(input: UnlockEmailInput, locale: Locale): UnlockEmail {
  const heading = format(locale, 'emailUnlockHeading', { name: input.name });
  const unsubscribe = format(locale, 'emailUnsubscribe', {});
  const lines = [input.unlockMessage, input.condition].filter((line): line is string => !!line);
  const text = [heading, '', ...lines, '', `${unsubscribe}: ${input.unsubscribeUrl}`].join('\n');
  const badge = input.badgeUrl
    ? `<p><img src="${escapeHtml(input.badgeUrl)}" alt="${escapeHtml(input.name)}" width="128" height="128"></p>`
    : '';
  const html = [
    '<!doctype html><html><body>',
    badge,
    `<h1>${escapeHtml(heading)}</h1>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(unsubscribe)}</a></p>`,
    '</body></html>',
  ].join('');
  return { subject: format(locale, 'emailUnlockSubject', { name: input.name }), text, html };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
