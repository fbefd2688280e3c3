import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

const apiKeyFields = {
  id: Type.String({ description: "The key's id (to revoke it by)" }),
  name: Type.String({ description: 'What the key is for, in words' }),
  kind: Type.Union([Type.Literal('application'), Type.Literal('admin')], {
    description: 'admin keys manage the community; application keys only send and read its data',
  }),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it by' }),
  created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
  revoked: Nullable(Type.String({ format: 'date-time', description: 'When it was revoked (ISO 8601), or null while it works' })),
};

/** An API key as listed: never the key itself. */
export const ApiKeySchema = Type.Object(apiKeyFields, { description: 'An API key (without the key itself)' });
export type ApiKeyView = Static<typeof ApiKeySchema>;

/** The answer to creating a key: the only time the key is shown. */
export const CreatedApiKeySchema = Type.Object(
  { ...apiKeyFields, key: Type.String({ description: 'The key itself; shown only in this response' }) },
  { description: 'A new API key, with the key itself' },
);
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;
