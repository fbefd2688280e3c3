/** Defaults shared by every widget on the page, set with `Laurel.configure()`. */

export type Theme = 'light' | 'dark' | 'auto';

export interface LaurelConfig {
  /** Laurel's URL (default: where this script was loaded from). */
  baseUrl?: string | undefined;
  /** The member's widget token. */
  token?: string | undefined;
  /** en, de or fr (default: the page's language). */
  lang?: string | undefined;
  theme?: Theme | undefined;
  /** Sound files for celebration sounds given by name (`chime` → `https://…/chime.mp3`). */
  sounds?: Record<string, string> | undefined;
}

const defaults: LaurelConfig = {};
const listeners = new Set<() => void>();

/** The origin this script came from: where Laurel most likely is. */
export const SCRIPT_BASE_URL = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return location.origin;
  }
})();

/** Sets defaults for every Laurel widget on the page; those already shown update. */
export function configure(config: LaurelConfig): void {
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || value === null || value === '') delete defaults[name as keyof LaurelConfig];
    else (defaults as Record<string, unknown>)[name] = value;
  }
  for (const listener of listeners) listener();
}

export function globalConfig(): Readonly<LaurelConfig> {
  return defaults;
}

/** Calls `listener` after each configure(); returns the function that stops it. */
export function onConfigure(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
