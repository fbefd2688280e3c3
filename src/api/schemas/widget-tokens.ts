/** What an app's backend may ask of a widget token it mints. */
import Type from 'typebox';

export const WidgetTokenBody = Type.Object(
  {
    expiresIn: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 86_400, default: 3_600, description: 'Seconds the token is valid (60 to 86,400)' }),
    ),
  },
  { additionalProperties: false },
);
