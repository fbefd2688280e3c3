/** One achievement as the section lists it (and the detail widget draws it larger). */
import { html, nothing } from 'lit';
import type { I18n } from './i18n';
import { badge, progressBar } from './parts';
import type { UserAchievement } from './types';

/** Whether the member still has something to reach in it (a first unlock or a higher tier). */
export function hasOpenGoal(a: UserAchievement): boolean {
  if (!a.progress || a.status === 'locked') return false;
  return !a.achievedAt || (a.tiers.length > 0 && a.tiersAchieved.length < a.tiers.length);
}

export function rarityText(i: I18n, a: UserAchievement) {
  return html`<p class="muted" part="rarity">${i.t('rarity', { pct: i.percent(a.rarity) })}</p>`;
}

export function progressText(i: I18n, a: UserAchievement) {
  const p = a.progress;
  if (!p || !hasOpenGoal(a)) return nothing;
  return html`${progressBar(i, p.current, p.target, i.t('progressTowards', { name: p.tier?.name ?? a.name }))}
    <p class="muted">
      ${i.t('progressOf', { current: i.number(p.current), target: i.number(p.target) })}${
        p.tier ? html` · <span part="next-tier">${i.t('nextTier', { tier: p.tier.name })}</span>` : nothing
      }
    </p>`;
}

export function unlockedText(i: I18n, a: UserAchievement) {
  if (!a.achievedAt) return nothing;
  return html`<p class="muted" part="unlocked">
    ${a.tier ? html`<strong part="tier">${a.tier.name}</strong> · ` : nothing}${i.t('unlockedOn', { date: i.date(a.achievedAt) })}
  </p>`;
}

/** The tiers as chips, held ones marked (with words, not colour alone). */
export function tierChips(i: I18n, a: UserAchievement) {
  if (a.tiers.length === 0) return nothing;
  const held = new Set(a.tiersAchieved.map((t) => t.key));
  return html`<ul class="tiers" part="tiers" aria-label=${i.t('tiers')}>
    ${a.tiers.map(
      (t) =>
        html`<li class=${held.has(t.key) ? 'tier held' : 'tier'} part=${held.has(t.key) ? 'tier tier-held' : 'tier'}>
          <span aria-hidden="true">${held.has(t.key) ? '✓' : '○'}</span> ${t.name}
          <span class="sr">(${held.has(t.key) ? i.t('held') : i.t('notHeld')})</span>
        </li>`,
    )}
  </ul>`;
}

export function achievementCard(i: I18n, a: UserAchievement, asset: (url: string | null) => string | null) {
  const done = a.achievedAt !== null;
  return html`<li class=${done ? 'item done' : 'item'} part="item" data-key=${a.key}>
    ${badge(asset(a.tier ? (a.tiers.find((t) => t.key === a.tier?.key)?.badgeUrl ?? a.badgeUrl) : a.badgeUrl))}
    <div class="body">
      <p class="name" part="title">${a.name}</p>
      ${a.description ? html`<p class="muted">${a.description}</p>` : nothing}
      ${unlockedText(i, a)}
      ${!done && a.historic ? html`<p class="muted">${i.t('missed')}</p>` : nothing}
      ${progressText(i, a)} ${tierChips(i, a)} ${rarityText(i, a)}
    </div>
  </li>`;
}
