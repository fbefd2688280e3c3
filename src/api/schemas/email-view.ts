/** Email on unlock as admins see it: whether it is on, and what it sends from and links to. */
import Type, { type Static } from 'typebox';

export const EmailStatusSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Whether emails on unlock are sent: true when LAUREL_SMTP_URL is set' }),
    smtp: Type.Union(
      [
        Type.Object(
          {
            host: Type.String({ description: 'The SMTP server emails go through' }),
            port: Type.Integer({ description: 'Its port (465 for smtps:// and 587 for smtp:// when the URL names none)' }),
            secure: Type.Boolean({ description: 'true for smtps:// (TLS from the start); false for smtp:// (STARTTLS when offered)' }),
          },
          { description: 'Where emails go (never the user name or password)' },
        ),
        Type.Null(),
      ],
      { description: 'The SMTP server (host and port only); null when email is off' },
    ),
    from: Type.String({ description: 'The From of emails on unlock (LAUREL_EMAIL_FROM)' }),
    publicUrl: Type.String({ description: 'Where links in emails point (unsubscribe, relative badge URLs)' }),
    publicUrlSet: Type.Boolean({
      description: 'Whether LAUREL_PUBLIC_URL sets publicUrl; false: it is the loopback default, which members cannot reach',
    }),
    achievements: Type.Array(
      Type.Object(
        {
          key: Type.String({ description: "The achievement's key" }),
          name: Type.String({ description: "The achievement's name" }),
          status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('locked')], {
            description: 'Its status (archived achievements are left out)',
          }),
        },
        { description: 'An achievement with emailOnUnlock' },
      ),
      { description: 'The achievements whose unlocks send an email, by name' },
    ),
  },
  { description: 'Email on unlock: whether it is on, the sender, the links and the achievements that send' },
);
export type EmailStatus = Static<typeof EmailStatusSchema>;
