/** `<laurel-achievements>`: the member's achievements, featured first, then by category, past events last. */
import { css, html, nothing } from 'lit';
import { achievementCard } from './achievement-card';
import { type Connection, request, userPath } from './api';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import type { UserAchievement } from './types';

export const listStyles = css`
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr));
    gap: 0.75rem;
  }
  .item {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    padding: 0.75rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_surface);
    min-width: 0;
  }
  .item:not(.done) .badge {
    filter: grayscale(1);
    opacity: 0.75;
  }
  .body {
    flex: 1;
    min-width: 0;
  }
  .name {
    font-weight: 600;
  }
  .tiers {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin: 0.35rem 0;
  }
  .tier {
    font-size: 0.8em;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    border: 1px solid var(--_border);
    color: var(--_muted);
  }
  .tier.held {
    color: var(--_fg);
    border-color: var(--_success);
    font-weight: 600;
  }
`;

interface Group {
  id: string;
  title: string;
  unlocked: UserAchievement[];
  inProgress: UserAchievement[];
}

export class LaurelAchievements extends LaurelElement<UserAchievement[]> {
  static override styles = [...LaurelElement.styles, listStyles];

  protected override async load(conn: Connection, signal: AbortSignal) {
    return request<UserAchievement[]>(conn, userPath(conn, '/achievements?includeIncomplete=true'), { signal });
  }

  protected override frame(body: unknown, i: I18n) {
    return html`<section class="card" part="card" aria-labelledby="heading">
      <h2 id="heading" part="heading">${i.t('achievements')}</h2>
      ${body}
    </section>`;
  }

  protected override renderReady(all: UserAchievement[], i: I18n) {
    const current = all.filter((a) => !a.historic);
    const featured = current.filter((a) => a.featured);
    const groups = new Map<string, Group>();
    // A featured achievement shows in Featured only, not a second time in its category.
    for (const a of current.filter((x) => !x.featured)) {
      const id = a.category ?? '';
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { id, title: a.category ?? i.t('otherCategory'), unlocked: [], inProgress: [] }));
      if (a.achievedAt) group.unlocked.push(a);
      else if (a.status === 'active') group.inProgress.push(a);
    }
    // The one without a category comes last; achievements that are neither held nor earnable are left out.
    const ordered = [...groups.values()]
      .filter((g) => g.unlocked.length + g.inProgress.length > 0)
      .sort((a, b) => Number(a.id === '') - Number(b.id === '') || a.title.localeCompare(b.title, i.lang));
    for (const g of ordered) {
      g.unlocked.sort((a, b) => (b.achievedAt ?? '').localeCompare(a.achievedAt ?? ''));
      g.inProgress.sort((a, b) => (b.progress?.percent ?? 0) - (a.progress?.percent ?? 0));
    }
    const past = all.filter((a) => a.historic && (a.achievedAt || a.progress));
    const asset = (url: string | null) => this.asset(url);
    const list = (items: UserAchievement[]) => html`<ul class="grid" part="list">${items.map((a) => achievementCard(i, a, asset))}</ul>`;
    return html`
      ${featured.length ? html`<h3 part="group-title">${i.t('featured')}</h3>${list(featured)}` : nothing}
      ${ordered.map(
        (g) => html`<div part="group" data-category=${g.id}>
          <h3 part="group-title">${g.title}</h3>
          ${g.unlocked.length ? html`<h4>${i.t('unlocked')}</h4>${list(g.unlocked)}` : nothing}
          ${g.inProgress.length ? html`<h4>${i.t('inProgress')}</h4>${list(g.inProgress)}` : nothing}
        </div>`,
      )}
      ${past.length ? html`<div part="group" data-category="past"><h3 part="group-title">${i.t('pastEvents')}</h3>${list(past)}</div>` : nothing}
    `;
  }

  protected override isEmpty(all: UserAchievement[]) {
    return all.length === 0;
  }
}
