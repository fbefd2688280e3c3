/** The result of bench/statement-timing.ts, and its rendering. */

export interface TimedStatement {
  sql: string;
  parameters: number;
  /** Median of the replays, in milliseconds; null when the replay failed. */
  ms: number | null;
  rows: number | null;
  error: string | null;
  plan: string[] | null;
}

export interface StatementTiming {
  operation: string;
  /** Wall time of the operation itself through the engine, in milliseconds. */
  engineMs: number;
  statements: TimedStatement[];
}

const oneLine = (sql: string, max: number) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)} …` : flat;
};

export function renderStatementTimings(title: string, timings: readonly StatementTiming[], top = 8): string {
  const lines = [`### ${title}`, ''];
  for (const t of timings) {
    const timed = t.statements.filter((s) => s.ms !== null);
    const sum = timed.reduce((acc, s) => acc + (s.ms as number), 0);
    lines.push(
      `**${t.operation}**: ${t.engineMs.toFixed(1)} ms through the engine; ${t.statements.length} statements, ` +
        `${sum.toFixed(1)} ms when replayed alone with the bare driver (${(t.engineMs > 0 ? (100 * sum) / t.engineMs : 0).toFixed(0)} % of the engine's time).`,
      '',
      '| ms | rows | statement | plan |',
      '|---:|---:|---|---|',
    );
    for (const s of [...t.statements].sort((a, b) => (b.ms ?? -1) - (a.ms ?? -1)).slice(0, top)) {
      const plan = s.plan ? oneLine(s.plan.slice(0, 3).join(' / '), 160) : s.error ? `replay failed: ${oneLine(s.error, 100)}` : '';
      lines.push(
        `| ${s.ms === null ? '—' : s.ms.toFixed(2)} | ${s.rows ?? '—'} | \`${oneLine(s.sql, 220).replaceAll('|', '\\|')}\` | ${plan.replaceAll('|', '\\|')} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
