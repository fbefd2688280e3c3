/**
 * The look every widget shares. Hosts restyle through the --laurel-* custom properties (per theme if
 * they like) and ::part(); the defaults meet WCAG AA contrast in both themes.
 */
import { css } from 'lit';

/** The dark theme's defaults, for dark chosen outright and for auto on a dark system. */
const darkPalette = css`
  --_accent: var(--laurel-accent, #8ec5ff);
  --_accent-fg: var(--laurel-accent-fg, #0b1a2b);
  --_bg: var(--laurel-bg, #16181d);
  --_surface: var(--laurel-surface, #20242c);
  --_fg: var(--laurel-fg, #f1f3f6);
  --_muted: var(--laurel-muted, #b0b8c4);
  --_border: var(--laurel-border, #3b4250);
  --_progress-bg: var(--laurel-progress-bg, #3a404c);
  --_success: var(--laurel-success, #7ddc95);
  --_danger: var(--laurel-danger, #ffb4ab);
  color-scheme: dark;
`;

export const baseStyles = css`
  :host {
    --_accent: var(--laurel-accent, #0b5cad);
    --_accent-fg: var(--laurel-accent-fg, #ffffff);
    --_bg: var(--laurel-bg, #ffffff);
    --_surface: var(--laurel-surface, #f4f6f9);
    --_fg: var(--laurel-fg, #17191c);
    --_muted: var(--laurel-muted, #51565e);
    --_border: var(--laurel-border, #c9ced6);
    --_progress-bg: var(--laurel-progress-bg, #dde2e9);
    --_success: var(--laurel-success, #1a7335);
    --_danger: var(--laurel-danger, #b3261e);
    --_radius: var(--laurel-radius, 12px);
    --_font: var(--laurel-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    display: block;
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--laurel-font-size, 1rem);
    line-height: 1.45;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  :host([hidden]) {
    display: none;
  }
  :host([data-theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host([data-theme='auto']) {
      ${darkPalette}
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .card {
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
  }
  h2,
  h3,
  h4 {
    margin: 0 0 0.5rem;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.25em;
  }
  h3 {
    font-size: 1.05em;
    margin-top: 1rem;
  }
  h4 {
    font-size: 0.95em;
    margin-top: 0.75rem;
    color: var(--_muted);
  }
  p {
    margin: 0.25rem 0;
  }
  ul,
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .progress {
    height: 0.6rem;
    border-radius: 999px;
    background: var(--_progress-bg);
    overflow: hidden;
    margin: 0.35rem 0 0.15rem;
  }
  .progress > span {
    display: block;
    height: 100%;
    background: var(--_accent);
    border-radius: inherit;
  }
  .badge {
    width: 3rem;
    height: 3rem;
    flex: none;
    border-radius: 50%;
    object-fit: cover;
    background: var(--_surface);
  }
  .placeholder-badge {
    display: inline-grid;
    place-items: center;
    color: var(--_accent);
  }
  button {
    font: inherit;
    color: var(--_accent-fg);
    background: var(--_accent);
    border: 1px solid transparent;
    border-radius: calc(var(--_radius) / 1.5);
    padding: 0.45rem 0.9rem;
    min-height: 2.5rem;
    cursor: pointer;
  }
  button.secondary {
    color: var(--_fg);
    background: transparent;
    border-color: var(--_border);
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .state {
    padding: 0.5rem 0;
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
  }
`;
