/**
 * Suites that need something optional (a browser, a build) skip without it and say why; under
 * CI=true they fail instead, so a CI machine lacking it cannot pass by testing nothing.
 */
import fs from 'node:fs';

export interface Requirement {
  /** A file that must exist. */
  file: string;
  /** What it is and how to get it, for the message. */
  missing: string;
}

/** Null when every file exists; else the reason the suite skips (or, under CI=true, throws). */
export function skipUnless(suite: string, requirements: Requirement[]): string | null {
  const problems = requirements.filter((r) => !fs.existsSync(r.file)).map((r) => r.missing);
  if (problems.length === 0) return null;
  const why = problems.join('; ');
  if (process.env.CI === 'true') throw new Error(`${suite} must run when CI=true, but ${why}`);
  console.warn(`Skipping ${suite}: ${why}`);
  return why;
}
