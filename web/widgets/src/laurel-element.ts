/**
 * What every widget shares: its attributes and the page-wide defaults behind them, the member and
 * token they name, loading with loading / empty / error states (shown in `data-state`), and the
 * token's expiry, announced to the host page with a `laurel-token-expired` event.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, type Connection, TOKEN_EXPIRED, tokenRefused } from './api';
import { globalConfig, onConfigure, SCRIPT_BASE_URL, type Theme } from './config';
import { type I18n, i18n, supportedLang } from './i18n';
import { baseStyles } from './styles';
import { decodeToken } from './token';

export type WidgetState = 'loading' | 'ready' | 'empty' | 'error';

/** Longest a timer may wait (setTimeout overflows past 2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export abstract class LaurelElement<Data> extends LitElement {
  static override styles = [baseStyles];
  static override properties = {
    baseUrl: { type: String, attribute: 'base-url' },
    token: { type: String },
    // Reflected, so that text inside (and `:lang()`) follows a language set as a property too.
    lang: { type: String, reflect: true },
    theme: { type: String },
    data: { state: true },
    state: { state: true },
    errorCode: { state: true },
  };

  baseUrl: string | undefined;
  token: string | undefined;
  override lang!: string;
  theme: Theme | undefined;
  protected data: Data | undefined;
  protected state: WidgetState = 'loading';
  protected errorCode: string | null = null;

  #loadedFor: string | null = null;
  #abort: AbortController | null = null;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #expiredToken: string | null = null;
  #stopListening: (() => void) | null = null;

  /** What the widget loads, in a form that changes when a reload is needed (attributes of the subclass). */
  protected loadKey(): string {
    return '';
  }

  /** Loads the widget's data; `undefined` (or an empty list) shows the empty state. */
  protected abstract load(conn: Connection, signal: AbortSignal): Promise<Data | undefined>;

  protected abstract renderReady(data: Data, i: I18n): unknown;

  protected isEmpty(data: Data): boolean {
    return Array.isArray(data) && data.length === 0;
  }

  protected renderEmpty(i: I18n): unknown {
    return html`<p class="state" part="empty">${i.t('empty')}</p>`;
  }

  /** Wraps the states in the widget's frame (a card with its heading). */
  protected frame(body: unknown, _i: I18n): unknown {
    return html`<section class="card" part="card">${body}</section>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopListening = onConfigure(() => this.requestUpdate());
    // Moved in the page (disconnected, then connected again): load again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#abort?.abort();
    this.#abort = null;
    this.#loadedFor = null;
    clearTimeout(this.#expiryTimer);
  }

  get resolvedBaseUrl(): string {
    return this.baseUrl || globalConfig().baseUrl || SCRIPT_BASE_URL;
  }

  get resolvedToken(): string | undefined {
    return this.token || globalConfig().token || undefined;
  }

  get i18n(): I18n {
    const own = this.lang || this.getAttribute('lang');
    const page = this.closest('[lang]')?.getAttribute('lang');
    const lang =
      supportedLang(own) ??
      supportedLang(globalConfig().lang) ??
      supportedLang(page) ??
      supportedLang(document.documentElement.lang) ??
      supportedLang(navigator.language) ??
      'en';
    return i18n(lang);
  }

  get resolvedTheme(): Theme {
    const theme = this.theme || globalConfig().theme;
    return theme === 'light' || theme === 'dark' ? theme : 'auto';
  }

  /** The connection to load with, or null when no member can be named. */
  connection(): Connection | null {
    const token = this.resolvedToken;
    if (!token) return null;
    const userId = decodeToken(token)?.u;
    if (!userId) return null;
    return { baseUrl: this.resolvedBaseUrl, token, lang: this.i18n.lang, userId };
  }

  /** An URL the API answered (a badge, a sound), which may be a path on Laurel. */
  asset(url: string | null | undefined): string | null {
    if (!url) return null;
    try {
      return new URL(url, `${this.resolvedBaseUrl.replace(/\/+$/, '')}/`).href;
    } catch {
      return null;
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.dataset.theme = this.resolvedTheme;
    const conn = this.connection();
    const key = conn ? JSON.stringify([conn, this.loadKey()]) : 'none';
    if (key === this.#loadedFor) return;
    this.#loadedFor = key;
    this.#abort?.abort();
    this.#abort = null;
    clearTimeout(this.#expiryTimer);
    if (!conn) {
      this.setState('error', 'no_user');
      return;
    }
    this.#watchExpiry(conn.token);
    if (this.#expiredToken === conn.token) return;
    this.#start(conn);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.dataset.state = this.state;
    if (this.errorCode) this.dataset.error = this.errorCode;
    else delete this.dataset.error;
  }

  /** Loads again (the Try again button). */
  reload(): void {
    const conn = this.connection();
    if (conn && this.#expiredToken !== conn.token) this.#start(conn);
  }

  #start(conn: Connection): void {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.setState('loading', null);
    this.start(conn, abort.signal);
  }

  /** Runs `load` and shows its outcome; the celebration widget, which streams, starts differently. */
  protected start(conn: Connection, signal: AbortSignal): void {
    this.load(conn, signal).then(
      (data) => {
        if (signal.aborted) return;
        this.data = data;
        this.setState(data === undefined || this.isEmpty(data) ? 'empty' : 'ready', null);
      },
      (error: unknown) => {
        if (!signal.aborted) this.fail(error);
      },
    );
  }

  /** Shows a failure; a token that expired is announced to the host instead. */
  protected fail(error: unknown): void {
    if (tokenRefused(error)) {
      this.tokenExpired();
      return;
    }
    if (error instanceof DOMException && error.name === 'AbortError') return;
    // A member Laurel has not heard of yet simply has nothing yet.
    if (error instanceof ApiError && error.code === 'user_not_found') {
      this.data = undefined;
      this.setState('empty', null);
      return;
    }
    this.setState('error', error instanceof ApiError ? error.code : 'network_error');
  }

  protected tokenExpired(): void {
    const token = this.resolvedToken ?? null;
    this.#abort?.abort();
    this.#abort = null;
    this.setState('error', TOKEN_EXPIRED);
    if (this.#expiredToken === token) return;
    this.#expiredToken = token;
    this.dispatchEvent(
      new CustomEvent('laurel-token-expired', {
        bubbles: true,
        composed: true,
        detail: { userId: this.connection()?.userId ?? null },
      }),
    );
  }

  #watchExpiry(token: string): void {
    const exp = decodeToken(token)?.exp;
    if (typeof exp !== 'number') return;
    const wait = exp * 1000 - Date.now();
    if (wait <= 0) this.tokenExpired();
    else if (wait < MAX_TIMER_MS) this.#expiryTimer = setTimeout(() => this.tokenExpired(), wait);
  }

  protected setState(state: WidgetState, code: string | null): void {
    this.state = state;
    this.errorCode = code;
  }

  protected override render(): unknown {
    const i = this.i18n;
    return this.frame(this.renderState(i), i);
  }

  protected renderState(i: I18n): unknown {
    switch (this.state) {
      case 'loading':
        return html`<p class="state" part="loading" role="status">${i.t('loading')}</p>`;
      case 'empty':
        return this.renderEmpty(i);
      case 'error':
        return this.renderError(i);
      default:
        return this.data === undefined ? nothing : this.renderReady(this.data, i);
    }
  }

  protected renderError(i: I18n): TemplateResult {
    if (this.errorCode === TOKEN_EXPIRED) return html`<p class="state" part="expired" role="status">${i.t('expired')}</p>`;
    if (this.errorCode === 'no_user') return html`<p class="state" part="error">${i.t('noUser')}</p>`;
    const notFound = this.errorCode?.endsWith('_not_found');
    return html`<div role="alert" part="error">
      <p class="state error">${notFound ? i.t('notFound') : i.t('error')}</p>
      ${notFound ? nothing : html`<button class="secondary" part="button" type="button" @click=${() => this.reload()}>${i.t('retry')}</button>`}
    </div>`;
  }
}
