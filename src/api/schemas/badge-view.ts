/** What uploading a badge image answers. */
import Type, { type Static } from 'typebox';

export const UploadedBadgeSchema = Type.Object(
  {
    id: Type.String({ description: 'The id of the stored image' }),
    url: Type.String({ description: 'Where the badge is served (no key needed); put it in badgeUrl' }),
    type: Type.Union([Type.Literal('png'), Type.Literal('webp'), Type.Literal('svg')], {
      description: 'The image type, judged by its content',
    }),
    contentType: Type.String({ description: 'The Content-Type it is served with' }),
    size: Type.Integer({ description: 'Bytes stored, after the rebuild' }),
  },
  { description: 'A stored badge image' },
);
export type UploadedBadge = Static<typeof UploadedBadgeSchema>;
