/** `<laurel-leaderboard key="…">`: a run's rankings around the member, the member's row marked. */
import { css, html, nothing } from 'lit';
import { ApiError, type Connection, request, userPath } from './api';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import type { LeaderboardRankings, UserLeaderboard } from './types';

interface BoardData {
  mine: Pick<UserLeaderboard, 'rank'>;
  board: LeaderboardRankings;
  userId: string;
}

export class LaurelLeaderboard extends LaurelElement<BoardData> {
  static override properties = { ...LaurelElement.properties, key: { type: String }, run: { type: String }, size: { type: Number } };
  static override styles = [
    ...LaurelElement.styles,
    css`
      table {
        width: 100%;
        border-collapse: collapse;
        margin-top: 0.5rem;
      }
      caption {
        text-align: start;
      }
      th,
      td {
        text-align: start;
        padding: 0.45rem 0.4rem;
        border-bottom: 1px solid var(--_border);
      }
      th {
        font-size: 0.85em;
        color: var(--_muted);
        font-weight: 600;
      }
      .num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      tr[aria-current] td {
        background: var(--_surface);
        font-weight: 700;
      }
      tr[aria-current] td:first-child {
        box-shadow: inset 4px 0 0 var(--_accent);
      }
    `,
  ];

  key: string | undefined;
  run: string | undefined;
  /** Rows shown: the member's and as many around it. */
  size: number | undefined;

  protected override loadKey() {
    return `${this.key ?? ''}/${this.run ?? ''}/${this.size ?? ''}`;
  }

  protected override async load(conn: Connection, signal: AbortSignal) {
    const key = encodeURIComponent(this.key ?? '');
    const run = this.run ? `&run=${encodeURIComponent(this.run)}` : '';
    const mine = await request<UserLeaderboard>(conn, userPath(conn, `/leaderboards/${key}?numEvents=0${run}`), { signal }).catch(
      (error: unknown) => {
        // A member Laurel has not heard of yet is not ranked; the board still shows.
        if (error instanceof ApiError && error.code === 'user_not_found') return { rank: null } as const;
        throw error;
      },
    );
    const size = Math.min(Math.max(this.size ?? 7, 1), 50);
    // Centred on the member when ranked (the API's userId offset only looks downwards); else the top.
    const offset = mine.rank === null ? 0 : Math.max(0, mine.rank - 1 - Math.floor(size / 2));
    const board = await request<LeaderboardRankings>(conn, `/v1/leaderboards/${key}?offset=${offset}&limit=${size}${run}`, { signal });
    return { mine, board, userId: conn.userId };
  }

  protected override isEmpty() {
    return false;
  }

  protected override renderReady({ mine, board, userId }: BoardData, i: I18n) {
    return html`<section class="card" part="card" aria-labelledby="heading">
      <h2 id="heading" part="heading">${board.name}</h2>
      ${board.description ? html`<p class="muted">${board.description}</p>` : nothing}
      <p part="rank">${mine.rank === null ? i.t('notRanked') : i.t('yourRank', { rank: i.number(mine.rank) })}</p>
      ${
        board.rankings.length
          ? html`<table part="table">
              <caption class="sr">${board.name}</caption>
              <thead>
                <tr>
                  <th scope="col">${i.t('rank')}</th>
                  <th scope="col">${i.t('member')}</th>
                  <th scope="col" class="num">${i.t('score')}</th>
                </tr>
              </thead>
              <tbody>
                ${board.rankings.map((r) => {
                  const me = r.userId === userId;
                  return html`<tr part=${me ? 'row row-current' : 'row'} aria-current=${me ? 'true' : nothing}>
                    <td>${i.number(r.rank)}</td>
                    <td>${me ? html`${i.t('you')}${r.userName ? ` (${r.userName})` : ''}` : (r.userName ?? i.t('anonymous'))}</td>
                    <td class="num">${i.number(r.value)}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
          : html`<p class="muted" part="empty">${i.t('noRankings')}</p>`
      }
    </section>`;
  }

  protected override frame(body: unknown) {
    return this.state === 'ready' ? body : html`<section class="card" part="card">${body}</section>`;
  }
}
