/** One pooled SMTP transport per process (nodemailer), for emails on unlock. */
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export type EmailSendResult = { ok: true } | { ok: false; error: string };

export class EmailSender {
  private readonly transport: Transporter;

  /** `url`: smtp:// or smtps://, with user:pass when the server asks for them. */
  constructor(
    url: string,
    private readonly from: string,
  ) {
    const options = new URL(url);
    options.searchParams.set('pool', 'true');
    this.transport = nodemailer.createTransport(options.toString());
  }

  async send(email: OutgoingEmail): Promise<EmailSendResult> {
    try {
      await this.transport.sendMail({ from: this.from, ...email });
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
