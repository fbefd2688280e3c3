/**
 * The public page of one celebration (`GET /share/:id`): what a link preview (Open Graph, Twitter
 * cards) and a visitor see. Everything from the community or the member is HTML-escaped; the page
 * runs no script and loads nothing but its badge.
 */
import { createHash } from 'node:crypto';
import type { SharedCelebration } from '../engine/read-shared-celebration.js';

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1b1f24}
main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:1rem;text-align:center;box-shadow:0 1px 4px rgba(0,0,0,.08)}
img{width:8rem;height:8rem;object-fit:contain}h1{font-size:1.5rem;margin:1rem 0 .5rem}p{margin:.5rem 0;line-height:1.5}.when{color:#5b6470;font-size:.875rem}`;

/** The page's one inline style, allowed by its hash: no 'unsafe-inline'. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A strict policy: no scripts, no fetches, no frames; images only from where the badge is. */
export function sharePagePolicy(imageOrigin: string | null): string {
  return [
    "default-src 'none'",
    `img-src ${imageOrigin ?? "'none'"}`,
    `style-src ${STYLE_HASH}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The badge's absolute URL: paths are on this Laurel. */
export function absoluteBadge(badgeUrl: string | null, base: string): string | null {
  if (!badgeUrl) return null;
  if (badgeUrl.startsWith('/')) return `${base}${badgeUrl}`;
  try {
    return new URL(badgeUrl).toString();
  } catch {
    return null;
  }
}

/** "Ada unlocked First lesson", "Ada reached Pro", "Ada: 3 days in a row!". */
export function shareTitle(shared: SharedCelebration): string {
  const who = shared.memberName?.trim() || 'A member';
  const c = shared.celebration;
  if (c.kind === 'achievement') return `${who} unlocked ${c.title}`;
  if (c.kind === 'level') return `${who} reached ${c.title}`;
  return `${who}: ${c.title}`;
}

export function sharePage(shared: SharedCelebration, base: string): { html: string; policy: string } {
  const c = shared.celebration;
  const title = shareTitle(shared);
  const description = c.message ?? c.shareText;
  const image = absoluteBadge(c.badgeUrl, base);
  const e = escapeHtml;
  const meta = [
    ['property', 'og:type', 'website'],
    ['property', 'og:title', title],
    ['property', 'og:description', description],
    ['property', 'og:url', c.shareUrl],
    ...(image ? [['property', 'og:image', image]] : []),
    ['name', 'twitter:card', 'summary'],
    ['name', 'twitter:title', title],
    ['name', 'twitter:description', description],
    ...(image ? [['name', 'twitter:image', image]] : []),
  ]
    .map(([attribute, name, content]) => `<meta ${attribute}="${name}" content="${e(content as string)}">`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)}</title>
<meta name="description" content="${e(description)}">
${meta}
<style>${STYLE}</style>
</head>
<body>
<main>
${image ? `<img src="${e(image)}" alt="${e(c.title)}">` : ''}
<h1>${e(title)}</h1>
${c.message ? `<p>${e(c.message)}</p>` : ''}
<p class="when"><time datetime="${e(c.createdAt)}">${e(c.createdAt.slice(0, 10))}</time></p>
</main>
</body>
</html>
`;
  return { html, policy: sharePagePolicy(image ? new URL(image).origin : null) };
}

export function notFoundPage(): { html: string; policy: string } {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Not found</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Nothing to see here</h1>
<p>This celebration does not exist, or is not shared.</p>
</main>
</body>
</html>
`;
  return { html, policy: sharePagePolicy(null) };
}
