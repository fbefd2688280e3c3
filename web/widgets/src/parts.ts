/** Pieces several widgets draw: a progress bar, a badge. */
import { html, nothing } from 'lit';
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

/** A badge image; decorative (its name is always written next to it). */
export function badge(url: string | null | undefined, fallback = '🏅') {
  return url
    ? html`<img class="badge" part="badge" src=${url} alt="" loading="lazy" decoding="async" />`
    : html`<span class="badge placeholder-badge" part="badge" aria-hidden="true">${fallback}</span>`;
}

export const maybe = <T>(value: T | null | undefined, render: (v: T) => unknown) =>
  value === null || value === undefined ? nothing : render(value);
