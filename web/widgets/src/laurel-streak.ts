/** `<laurel-streak>`: the member's streak, their freezes, and a calendar of recent periods. */
import { css, html, nothing } from 'lit';
import { type Connection, request, userPath } from './api';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import type { StreakPeriod, UserStreak } from './types';

type PeriodKind = 'extended' | 'frozen' | 'missed' | 'pending';

const MARK: Record<PeriodKind, string> = { extended: '✓', frozen: '❄', missed: '✕', pending: '·' };
const LABEL = { extended: 'extended', frozen: 'frozen', missed: 'missedPeriod', pending: 'pending' } as const;

/** What happened in each period: the length grew (extended), a freeze kept it, or it did not grow. */
export function periodKinds(history: StreakPeriod[]): PeriodKind[] {
  return history.map((p, index) => {
    if (p.usedFreeze) return 'frozen';
    const before = index > 0 ? (history[index - 1]?.length ?? 0) : 0;
    if (p.length > 0 && (p.length > before || index === 0)) return 'extended';
    // The current period may still be extended.
    return index === history.length - 1 ? 'pending' : 'missed';
  });
}

export class LaurelStreak extends LaurelElement<UserStreak> {
  static override properties = { ...LaurelElement.properties, streak: { type: String }, periods: { type: Number } };
  static override styles = [
    ...LaurelElement.styles,
    css`
      .length {
        font-size: 2rem;
        font-weight: 700;
        line-height: 1.1;
        margin: 0.25rem 0;
      }
      .calendar {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(2.4rem, 1fr));
        gap: 0.3rem;
        margin-top: 0.5rem;
      }
      .period {
        display: grid;
        justify-items: center;
        padding: 0.3rem 0.1rem;
        border-radius: 0.5rem;
        border: 1px solid var(--_border);
        font-size: 0.75rem;
        color: var(--_muted);
      }
      .period .mark {
        font-size: 1rem;
        font-weight: 700;
      }
      .extended {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_accent-fg);
      }
      .frozen {
        border-style: dashed;
        border-color: var(--_accent);
        color: var(--_fg);
      }
      .missed .mark {
        color: var(--_danger);
      }
    `,
  ];

  streak: string | undefined;
  periods: number | undefined;

  protected override loadKey() {
    return `${this.streak ?? ''}/${this.periods ?? ''}`;
  }

  protected override async load(conn: Connection, signal: AbortSignal) {
    const query = new URLSearchParams({ historyPeriods: String(Math.min(Math.max(this.periods ?? 14, 1), 365)) });
    if (this.streak) query.set('streak', this.streak);
    return request<UserStreak>(conn, userPath(conn, `/streak?${query}`), { signal });
  }

  protected override isEmpty(s: UserStreak) {
    return s.key === undefined && s.name === undefined;
  }

  protected override renderEmpty() {
    return nothing;
  }

  protected override renderReady(s: UserStreak, i: I18n) {
    const unit = i.t(`unit.${s.frequency}.${i.plural(s.length)}`);
    const kinds = periodKinds(s.streakHistory);
    const dayOnly: Intl.DateTimeFormatOptions = s.frequency === 'monthly' ? { month: 'short' } : { day: 'numeric' };
    return html`<section class="card" part="card" aria-labelledby="heading">
      <h2 id="heading" part="heading">${s.name ?? i.t('streak')}</h2>
      <p class="length" part="length">${i.number(s.length)} <span class="muted">${unit}</span></p>
      ${
        s.freezes !== undefined
          ? html`<p class="muted" part="freezes">
              <span aria-hidden="true">❄</span>
              ${s.maxFreezes !== undefined ? i.t('freezes', { count: s.freezes, max: s.maxFreezes }) : i.t('freezesOnly', { count: s.freezes })}
            </p>`
          : nothing
      }
      ${s.expires && s.length > 0 ? html`<p class="muted">${i.t('expires', { date: i.date(s.expires) })}</p>` : nothing}
      ${
        s.streakHistory.length
          ? html`<h3>${i.t('recentPeriods')}</h3>
            <ol class="calendar" part="calendar">
              ${s.streakHistory.map((p, index) => {
                const kind = kinds[index] ?? 'missed';
                const when = s.frequency === 'daily' ? i.date(p.periodStart) : `${i.date(p.periodStart)} – ${i.date(p.periodEnd)}`;
                return html`<li class="period ${kind}" part="period period-${kind}" data-kind=${kind} title="${when}: ${i.t(LABEL[kind])}">
                  <span class="mark" aria-hidden="true">${MARK[kind]}</span>
                  <span aria-hidden="true">${i.date(p.periodStart, dayOnly)}</span>
                  <span class="sr">${when}: ${i.t(LABEL[kind])}</span>
                </li>`;
              })}
            </ol>`
          : nothing
      }
    </section>`;
  }

  protected override frame(body: unknown) {
    return this.state === 'ready' ? body : html`<section class="card" part="card">${body}</section>`;
  }
}
