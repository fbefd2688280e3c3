/**
 * Which origins may call the application API with widget tokens (CORS): every community's
 * `widgetOrigins`, read at most every CACHE_MS per process, so a preflight costs no query.
 */
import type { Repositories } from '../store/store.js';

/** How old the view may be: a change made in another process applies within this. */
const CACHE_MS = 5_000;

interface View {
  anywhere: Set<string>;
  byCommunity: Map<string, Set<string>>;
  until: number;
}

export class WidgetOrigins {
  private view: View | null = null;
  private loading: Promise<View> | null = null;
  /** Counts `forget` calls, so a read that raced a change is not kept. */
  private changes = 0;

  constructor(
    private readonly repos: Repositories,
    private readonly clock: { now(): number },
  ) {}

  /** Whether any community lists `origin` (preflights, and refusals of tokens naming no known community). */
  async allowedAnywhere(origin: string): Promise<boolean> {
    return (await this.current()).anywhere.has(origin);
  }

  /** Whether the community lists `origin`. */
  async allowedFor(communityId: string, origin: string): Promise<boolean> {
    return (await this.current()).byCommunity.get(communityId)?.has(origin) ?? false;
  }

  /** Drops the view: this process's own settings change applies at once. */
  forget(): void {
    this.changes += 1;
    this.view = null;
    this.loading = null;
  }

  private async current(): Promise<View> {
    const now = this.clock.now();
    if (this.view && this.view.until > now) return this.view;
    this.loading ??= this.load(now).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(now: number): Promise<View> {
    const heard = this.changes;
    const rows = await this.repos.communities.widgetOrigins();
    const view: View = {
      anywhere: new Set(rows.flatMap((r) => r.origins)),
      byCommunity: new Map(rows.map((r) => [r.communityId, new Set(r.origins)])),
      until: now + CACHE_MS,
    };
    if (heard === this.changes) this.view = view;
    return view;
  }
}
