/**
 * `<laurel-celebration>`: the pop-up on unlock. It follows the member's celebration stream (falling
 * back to polling), shows each celebration once, one after another, in a modal dialog, then marks it
 * seen. The element itself shows nothing until there is something to celebrate.
 */
import { css, html, nothing, type PropertyValues, svg } from 'lit';
import { ApiError, apiError, type Connection, headers, request, TOKEN_EXPIRED, tokenRefused, url, userPath } from './api';
import { effectLayer, effectStyles } from './celebration-effects';
import { globalConfig } from './config';
import type { I18n } from './i18n';
import { LaurelElement } from './laurel-element';
import { badge } from './parts';
import { isMuted, play, setMuted } from './sound';
import { readStream, SseParser } from './sse';
import type { Celebration, CelebrationList, Reward } from './types';

const POLL_MS = 5_000;
/** Stream failures in a row after which the widget polls instead. */
const STREAM_ATTEMPTS = 3;
/** Polls between two tries of the stream again. */
const POLLS_BEFORE_STREAM = 12;
const GAP_BETWEEN_MS = 400;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Whether a pointer event happened inside its target's box (not on a dialog's backdrop). */
function within(event: MouseEvent): boolean {
  const box = (event.currentTarget as Element).getBoundingClientRect();
  return event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
}

/** Answers that retrying will not change. */
const isFinal = (error: unknown) => error instanceof ApiError && [401, 403, 404].includes(error.status);

/** The focused element, looking inside shadow roots (a host page's own components). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

export class LaurelCelebration extends LaurelElement<null> {
  static override properties = {
    ...LaurelElement.properties,
    current: { state: true },
    muted: { state: true },
    shareStatus: { state: true },
  };
  static override styles = [
    ...LaurelElement.styles,
    effectStyles,
    css`
      :host {
        display: contents;
      }
      dialog {
        width: min(26rem, calc(100vw - 2rem));
        max-height: calc(100dvh - 2rem);
        padding: 1.5rem 1.25rem 1.25rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        color: var(--_fg);
        font-family: var(--_font);
        text-align: center;
        animation: laurel-pop 0.25s ease-out;
        /* A stacking context, so the animation layer (z-index -1) paints under the content. */
        isolation: isolate;
      }
      dialog:focus {
        outline: none;
      }
      dialog:focus-visible {
        /* Focus rests on the dialog itself only as it opens; its buttons show their own ring. */
        outline: none;
      }
      .speaker {
        width: 1.1em;
        height: 1.1em;
        vertical-align: -0.2em;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.5);
      }
      .kicker {
        color: var(--_muted);
        font-size: 0.85em;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        margin: 0;
      }
      h2 {
        font-size: 1.4em;
        margin: 0.25rem 0 0.5rem;
      }
      .hero {
        width: 6rem;
        height: 6rem;
        margin: 0.5rem auto;
        animation: laurel-bounce 0.6s ease-out;
      }
      .hero.placeholder-badge {
        display: grid;
      }
      .rewards {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: 0.4rem;
        margin: 0.75rem 0;
      }
      .rewards li {
        padding: 0.15rem 0.6rem;
        border-radius: 999px;
        background: var(--_surface);
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: 0.5rem;
        margin-top: 1rem;
      }
      .status {
        min-height: 1.4em;
        margin-top: 0.5rem;
      }
    `,
  ];

  protected current: Celebration | null = null;
  protected muted = isMuted();
  protected shareStatus = '';

  #queue: Celebration[] = [];
  /** Every celebration queued or shown since the page loaded: a reconnection never shows one twice. */
  #seen = new Set<string>();
  #lastId: string | null = null;
  #previousFocus: HTMLElement | null = null;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #remainingMs = 0;
  #runningSince: number | null = null;
  #hovered = false;
  #conn: Connection | null = null;
  #waitingForVisible = false;

  protected override async load(): Promise<null> {
    return null;
  }

  protected override renderReady(): unknown {
    return nothing;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTimer();
    document.removeEventListener('visibilitychange', this.#onVisible);
  }

  /** Follows the feed for as long as this connection holds (until the signal aborts). */
  protected override start(conn: Connection, signal: AbortSignal): void {
    this.#conn = conn;
    this.#follow(conn, signal).catch((error: unknown) => {
      if (!signal.aborted) this.fail(error);
    });
  }

  async #follow(conn: Connection, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let polls = 0;
    let retryMs = 1_000;
    while (!signal.aborted) {
      if (failures < STREAM_ATTEMPTS) {
        this.dataset.mode = 'stream';
        try {
          retryMs = (await this.#stream(conn, signal)) ?? retryMs;
          failures = 0;
        } catch (error) {
          if (signal.aborted) return;
          if (isFinal(error)) throw error;
          failures += 1;
        }
        await sleep(retryMs * Math.max(1, failures), signal);
      } else {
        this.dataset.mode = 'poll';
        try {
          const { celebrations } = await request<CelebrationList>(
            conn,
            userPath(conn, `/celebrations${this.#lastId ? `?after=${encodeURIComponent(this.#lastId)}` : ''}`),
            { signal },
          );
          this.setState('ready', null);
          for (const c of celebrations) this.#enqueue(c);
        } catch (error) {
          if (signal.aborted) return;
          if (isFinal(error)) throw error;
        }
        await sleep(POLL_MS, signal);
        if (++polls >= POLLS_BEFORE_STREAM) {
          polls = 0;
          failures = STREAM_ATTEMPTS - 1;
        }
      }
    }
  }

  /** One connection to the stream, until it ends; returns the reconnection delay the server asked for. */
  async #stream(conn: Connection, signal: AbortSignal): Promise<number | null> {
    const extra: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.#lastId) extra['Last-Event-ID'] = this.#lastId;
    const query = this.#lastId ? `?after=${encodeURIComponent(this.#lastId)}` : '';
    const response = await fetch(url(conn, userPath(conn, `/celebrations/stream${query}`)), {
      headers: headers(conn, extra),
      signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw await apiError(response);
    if (!response.body) throw new Error('The stream has no body');
    this.setState('ready', null);
    const parser = new SseParser((message) => {
      if (message.event !== 'celebration') return;
      try {
        this.#enqueue(JSON.parse(message.data) as Celebration);
      } catch {
        // A malformed message is skipped; the next one still counts.
      }
    });
    await readStream(response.body, parser, signal);
    return parser.retry;
  }

  #enqueue(c: Celebration): void {
    this.#lastId = c.id;
    if (this.#seen.has(c.id)) return;
    this.#seen.add(c.id);
    this.#queue.push(c);
    if (!this.current) this.#showNext();
  }

  #onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    document.removeEventListener('visibilitychange', this.#onVisible);
    this.#waitingForVisible = false;
    this.#showNext();
  };

  async #showNext(): Promise<void> {
    if (this.current || this.#queue.length === 0) return;
    // A celebration nobody sees is not shown (nor marked seen) until the page is looked at again.
    if (document.visibilityState === 'hidden') {
      if (!this.#waitingForVisible) document.addEventListener('visibilitychange', this.#onVisible);
      this.#waitingForVisible = true;
      return;
    }
    const next = this.#queue.shift() as Celebration;
    this.#previousFocus = deepActiveElement();
    this.shareStatus = '';
    this.current = next;
    this.dataset.showing = next.id;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    dialog.focus();
    this.#remainingMs = Math.max(0, next.durationSeconds) * 1000;
    this.#syncTimer();
    play(this.#soundUrl(next), this.muted);
    this.#acknowledge(next.id);
  }

  /** A sound is a URL (or a path on Laurel), or a name the page mapped to one with configure({ sounds }). */
  #soundUrl(c: Celebration): string | null {
    if (!c.sound) return null;
    const mapped = globalConfig().sounds?.[c.sound];
    if (mapped) return this.asset(mapped);
    return /[/.:]/.test(c.sound) ? this.asset(c.sound) : null;
  }

  #acknowledge(id: string): void {
    const conn = this.#conn;
    if (!conn) return;
    request(conn, userPath(conn, '/celebrations/ack'), { method: 'POST', body: { ids: [id] } }).catch((error: unknown) => {
      if (tokenRefused(error)) this.tokenExpired();
      // Otherwise it shows again on the next page load at worst: never twice on this one.
    });
  }

  /** Closes the dialog, gives focus back to where it was, and shows the next one. */
  close(): void {
    if (!this.current) return;
    this.#stopTimer();
    this.#remainingMs = 0;
    this.#hovered = false;
    this.renderRoot.querySelector('dialog')?.close();
    this.current = null;
    delete this.dataset.showing;
    const previous = this.#previousFocus;
    this.#previousFocus = null;
    if (previous?.isConnected) previous.focus({ preventScroll: true });
    if (this.#queue.length) setTimeout(() => this.#showNext(), GAP_BETWEEN_MS);
  }

  /** The auto-close runs only while the member is neither pointing at the dialog nor on one of its controls. */
  #syncTimer(): void {
    if (!this.current || this.#remainingMs <= 0) return;
    const active = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    const paused = this.#hovered || (active !== null && active.tagName !== 'DIALOG');
    if (paused && this.#runningSince !== null) {
      this.#remainingMs -= Date.now() - this.#runningSince;
      this.#stopTimer();
    } else if (!paused && this.#runningSince === null) {
      this.#runningSince = Date.now();
      this.#closeTimer = setTimeout(() => this.close(), Math.max(this.#remainingMs, 0));
    }
  }

  /** The backdrop belongs to the dialog too: only a pointer over the dialog's own box pauses it. */
  #pointer(event: PointerEvent): void {
    const hovered = event.type !== 'pointerleave' && within(event);
    if (hovered === this.#hovered) return;
    this.#hovered = hovered;
    this.#syncTimer();
  }

  #stopTimer(): void {
    clearTimeout(this.#closeTimer);
    this.#runningSince = null;
  }

  async #share(c: Celebration, i: I18n): Promise<void> {
    const link = c.shareUrl ?? undefined;
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: c.title, text: c.shareText, ...(link ? { url: link } : {}) });
        return;
      } catch (error) {
        // The member closed the share sheet: nothing to do. Anything else: copy instead.
        if (error instanceof DOMException && error.name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(link ?? c.shareText);
      this.shareStatus = i.t('linkCopied');
    } catch {
      this.shareStatus = i.t('copyFailed');
    }
  }

  #toggleMute(): void {
    this.muted = !this.muted;
    setMuted(this.muted);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.state === 'error' && this.current) this.close();
  }

  protected override render(): unknown {
    const i = this.i18n;
    const c = this.current;
    const expired = this.state === 'error' && this.errorCode === TOKEN_EXPIRED;
    return html`<p class="sr" role="status">${expired ? i.t('expired') : ''}</p>
      ${c ? this.#dialog(c, i) : nothing}`;
  }

  #dialog(c: Celebration, i: I18n) {
    const canShare = typeof navigator.share === 'function' || Boolean(navigator.clipboard);
    const rewards = c.rewards.map((r) => this.#reward(r, i)).filter((r) => r !== null);
    return html`<dialog
      part="dialog"
      class=${c.animation === 'glow' ? 'glow' : ''}
      role="dialog"
      aria-modal="true"
      aria-labelledby="celebration-title"
      aria-describedby=${c.message ? 'celebration-message' : nothing}
      tabindex="-1"
      data-kind=${c.kind}
      data-animation=${c.animation ?? nothing}
      @cancel=${(event: Event) => {
        event.preventDefault();
        this.close();
      }}
      @pointermove=${(event: PointerEvent) => this.#pointer(event)}
      @pointerleave=${(event: PointerEvent) => this.#pointer(event)}
      @click=${(event: MouseEvent) => {
        // A click on the backdrop (which belongs to the dialog) closes it, as Escape does.
        if (event.target === event.currentTarget && !within(event)) this.close();
      }}
      @focusin=${() => this.#syncTimer()}
      @focusout=${() => queueMicrotask(() => this.#syncTimer())}
    >
      ${effectLayer(c.animation)}
      <p class="kicker" part="kicker">${i.t(`kind.${c.kind}`)}</p>
      ${badge(this.asset(c.badgeUrl), 'hero')}
      <h2 id="celebration-title" part="title">${c.title}</h2>
      ${c.message ? html`<p id="celebration-message" part="message">${c.message}</p>` : nothing}
      ${
        rewards.length
          ? html`<h3 class="sr">${i.t('rewards')}</h3>
            <ul class="rewards" part="rewards">${rewards.map((r) => html`<li part="reward">${r}</li>`)}</ul>`
          : nothing
      }
      <div class="actions">
        ${
          canShare
            ? html`<button type="button" part="button share-button" @click=${() => this.#share(c, i)}>${i.t('share')}</button>`
            : nothing
        }
        ${
          this.#soundUrl(c)
            ? html`<button type="button" class="secondary" part="button mute-button" aria-pressed=${this.muted ? 'true' : 'false'} @click=${() => this.#toggleMute()}>
                ${speaker(this.muted)} ${i.t('mute')}
              </button>`
            : nothing
        }
        <button type="button" class="secondary" part="button close-button" @click=${() => this.close()}>${i.t('close')}</button>
      </div>
      <p class="status muted" part="share-status" role="status" aria-live="polite">${this.shareStatus}</p>
    </dialog>`;
  }

  #reward(r: Reward, i: I18n): string | null {
    if (r.type === 'points') return i.t('pointsReward', { amount: i.number(r.amount), system: r.system });
    if (r.type === 'custom') {
      const label = r.data.label ?? r.data.name ?? r.data.title;
      return typeof label === 'string' ? label : null;
    }
    return null;
  }
}

/** A speaker, struck through when muted (the button's aria-pressed says it in words). */
function speaker(muted: boolean) {
  return svg`<svg class="speaker" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M11 5 6 9H3v6h3l5 4z" fill="currentColor"/>${
    muted ? svg`<path d="M22 9l-6 6M16 9l6 6"/>` : svg`<path d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13"/>`
  }</svg>`;
}
