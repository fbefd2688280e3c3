/** Pieces several widgets draw: a progress bar, a badge. */
import { html, nothing, svg } from 'lit';
import type { I18n } from './i18n';

/** A progress bar screen readers announce as "3 of 10". */
export function progressBar(i: I18n, current: number, target: number, label: string) {
  const max = Math.max(target, 0);
  const now = Math.min(Math.max(current, 0), max);
  const percent = max > 0 ? Math.round((now / max) * 100) : 100;
  return html`<div
    class="progress"
    part="progress"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax=${max}
    aria-valuenow=${now}
    aria-valuetext=${i.t('progressOf', { current: i.number(current), target: i.number(target) })}
  ><span part="progress-fill" style="width:${percent}%"></span></div>`;
}

/** Drawn where there is no badge image (an SVG: emoji fonts are not everywhere). */
export const STAR = svg`<svg viewBox="0 0 24 24" width="60%" height="60%" aria-hidden="true"><path fill="currentColor" d="M12 2.5l2.9 6.4 7 .7-5.3 4.7 1.6 6.9L12 17.6l-6.2 3.6 1.6-6.9L2.1 9.6l7-.7z"/></svg>`;

/** A badge image; decorative (its name is always written next to it). */
export function badge(url: string | null | undefined, extraClass = '') {
  return url
    ? html`<img class="badge ${extraClass}" part="badge" src=${url} alt="" loading="lazy" decoding="async" />`
    : html`<span class="badge placeholder-badge ${extraClass}" part="badge" aria-hidden="true">${STAR}</span>`;
}

export const maybe = <T>(value: T | null | undefined, render: (v: T) => unknown) =>
  value === null || value === undefined ? nothing : render(value);
