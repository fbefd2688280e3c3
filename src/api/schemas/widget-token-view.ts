/** Widget tokens: what an app's backend mints for a member's browser, and rotating their secret. */
import Type, { type Static } from 'typebox';

export const WidgetTokenSchema = Type.Object(
  {
    token: Type.String({
      description:
        'lw1.<payload>.<signature>: send it as Authorization: Bearer from the member’s browser; the payload (base64url JSON { v, o, c, u, exp }) is readable, not secret',
    }),
    expiresAt: Type.String({ description: 'When the token stops being accepted (ISO 8601)' }),
  },
  { description: 'A widget token for one member' },
);

export const WidgetSecretRotatedSchema = Type.Object(
  { rotatedAt: Type.String({ description: 'When the secret was replaced (ISO 8601): every token minted before is refused' }) },
  { description: 'The widget-token secret, rotated' },
);
export type WidgetSecretRotated = Static<typeof WidgetSecretRotatedSchema>;
