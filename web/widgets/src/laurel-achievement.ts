/** `<laurel-achievement key="…">`: one achievement in full: condition, status, progress, every tier, rarity. */
import { css, html, nothing } from 'lit';
import { progressText, rarityText, unlockedText } from './achievement-card';
import { ApiError, type Connection, request, userPath } from './api';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import { badge } from './parts';
import type { UserAchievement } from './types';

export class LaurelAchievement extends LaurelElement<UserAchievement> {
  static override properties = { ...LaurelElement.properties, key: { type: String } };
  static override styles = [
    ...LaurelElement.styles,
    css`
      .head {
        display: flex;
        gap: 1rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .head .badge {
        width: 4.5rem;
        height: 4.5rem;
      }
      .head h2 {
        margin: 0;
      }
      dl {
        margin: 0.75rem 0;
      }
      dt {
        font-weight: 600;
        margin-top: 0.5rem;
      }
      dd {
        margin: 0;
      }
      .tier {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        padding: 0.5rem;
        border-radius: calc(var(--_radius) / 1.5);
        background: var(--_surface);
        margin-bottom: 0.4rem;
      }
      .tier .badge {
        width: 2.25rem;
        height: 2.25rem;
      }
      .tier:not(.held) .badge {
        filter: grayscale(1);
        opacity: 0.75;
      }
      .mark {
        font-weight: 600;
      }
      .held .mark {
        color: var(--_success);
      }
    `,
  ];

  key: string | undefined;

  protected override loadKey() {
    return this.key ?? '';
  }

  protected override async load(conn: Connection, signal: AbortSignal) {
    const all = await request<UserAchievement[]>(conn, userPath(conn, '/achievements?includeIncomplete=true'), { signal });
    const found = all.find((a) => a.key === this.key);
    if (!found) throw new ApiError(404, 'achievement_not_found', `No achievement "${this.key}"`);
    return found;
  }

  protected override renderReady(a: UserAchievement, i: I18n) {
    const held = new Map(a.tiersAchieved.map((t) => [t.key, t.achievedAt]));
    const status = a.achievedAt
      ? i.t('unlocked')
      : a.status === 'locked'
        ? i.t('statusLocked')
        : a.progress && a.progress.current > 0
          ? i.t('inProgress')
          : i.t('notStarted');
    return html`<div class="head">
        ${badge(this.asset(a.badgeUrl))}
        <div>
          <h2 part="title">${a.name}</h2>
          ${a.category ? html`<p class="muted">${a.category}</p>` : nothing}
        </div>
      </div>
      ${a.description ? html`<p>${a.description}</p>` : nothing}
      <dl>
        <dt>${i.t('howTo')}</dt>
        <dd part="condition">${a.condition}</dd>
        <dt>${i.t('status')}</dt>
        <dd part="status" data-status=${a.achievedAt ? 'unlocked' : a.status}>${status}</dd>
      </dl>
      ${unlockedText(i, a)} ${progressText(i, a)} ${rarityText(i, a)}
      ${
        a.tiers.length
          ? html`<h3>${i.t('tiers')}</h3>
            <ul part="tiers">
              ${a.tiers.map((t) => {
                const at = held.get(t.key);
                return html`<li class=${at ? 'tier held' : 'tier'} part=${at ? 'tier tier-held' : 'tier'} data-key=${t.key}>
                  ${badge(this.asset(t.badgeUrl))}
                  <div>
                    <p><strong>${t.name}</strong> · ${t.condition}</p>
                    <p class="muted mark">
                      ${at ? html`✓ ${i.t('unlockedOn', { date: i.date(at) })}` : html`<span aria-hidden="true">○</span> ${i.t('notHeld')}`}
                    </p>
                  </div>
                </li>`;
              })}
            </ul>`
          : nothing
      }`;
  }
}
