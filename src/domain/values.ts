/**
 * Metric values are doubles. Totals are rounded to 8 decimal places after every addition so that
 * sums of decimals (0.1 + 0.2) compare equal to the thresholds people write.
 */
const SCALE = 1e8;

export function roundValue(value: number): number {
  return Math.round(value * SCALE) / SCALE;
}

export function addValues(a: number, b: number): number {
  return roundValue(a + b);
}

export function percentOf(current: number, target: number): number {
  if (target <= 0) return 100;
  const percent = (Math.max(0, current) / target) * 100;
  return Math.min(100, Math.round(percent * 100) / 100);
}
