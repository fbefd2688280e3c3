/** `<laurel-points system="…">`: the member's balance, level, and how far the next level is. */
import { css, html, nothing } from 'lit';
import { type Connection, request, userPath } from './api';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import { badge, progressBar } from './parts';
import type { Level, PointsSystem, UserPoints } from './types';

interface PointsData {
  points: UserPoints;
  levels: Level[];
}

export class LaurelPoints extends LaurelElement<PointsData> {
  static override properties = { ...LaurelElement.properties, system: { type: String } };
  static override styles = [
    ...LaurelElement.styles,
    css`
      .balance {
        font-size: 2rem;
        font-weight: 700;
        line-height: 1.1;
        margin: 0.25rem 0;
      }
      .level {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        margin-top: 0.75rem;
      }
    `,
  ];

  system: string | undefined;

  protected override loadKey() {
    return this.system ?? '';
  }

  protected override async load(conn: Connection, signal: AbortSignal) {
    const key = encodeURIComponent(this.system ?? '');
    // The member's answer holds their level; the system's, every level (for the next one).
    const [points, system] = await Promise.all([
      request<UserPoints>(conn, userPath(conn, `/points/${key}?awards=1`), { signal }),
      request<PointsSystem>(conn, `/v1/points/${key}`, { signal }),
    ]);
    return { points, levels: [...system.levels].sort((a, b) => a.points - b.points) };
  }

  protected override renderReady({ points, levels }: PointsData, i: I18n) {
    const level = points.level;
    const next = levels.find((l) => l.points > points.total);
    const from = level?.points ?? 0;
    return html`<section class="card" part="card" aria-labelledby="heading">
      <h2 id="heading" part="heading">${points.name}</h2>
      <p class="balance" part="balance">
        ${i.number(points.total)} <span class="muted">${i.t('points')}</span>
      </p>
      <div class="level" part="level">
        ${badge(this.asset(level?.badgeUrl ?? points.badgeUrl))}
        <div>
          <p class="muted">${i.t('level')}</p>
          <p part="title"><strong>${level ? level.name : i.t('noLevel')}</strong></p>
        </div>
      </div>
      ${
        next
          ? html`${progressBar(i, points.total - from, next.points - from, i.t('levelProgress', { level: next.name }))}
            <p class="muted">${i.t('toNextLevel', { points: i.number(next.points - points.total), level: next.name })}</p>`
          : levels.length
            ? html`<p class="muted">${i.t('topLevel')}</p>`
            : nothing
      }
    </section>`;
  }

  protected override renderEmpty(i: I18n) {
    return html`<p class="state" part="empty">${i.t('noPoints')}</p>`;
  }

  protected override frame(body: unknown) {
    return this.state === 'ready' ? body : html`<section class="card" part="card">${body}</section>`;
  }
}
