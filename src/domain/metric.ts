import type { MetricWording } from './condition-text.js';

export interface Metric extends MetricWording {
  id: string;
  description: string | null;
  status: 'active' | 'archived';
  createdAt: number;
  updatedAt: number;
}

export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$';
const KEY_REGEX = new RegExp(KEY_PATTERN);

export function isValidKey(key: string): boolean {
  return KEY_REGEX.test(key);
}

/** A readable default name for a metric created implicitly by an event ("words_written" → "Words written"). */
export function nameFromKey(key: string): string {
  const spaced = key.replace(/[_.:-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
