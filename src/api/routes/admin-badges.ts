import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BADGE_MAX_BYTES,
  SVG_MAX_ATTRIBUTES,
  SVG_MAX_ATTRIBUTES_PER_ELEMENT,
  SVG_MAX_DEPTH,
  SVG_MAX_ELEMENTS,
} from '../../domain/badge-image.js';
import { invalid, LaurelError } from '../../domain/errors.js';
import type { EngineContext } from '../../engine/context.js';
import { uploadBadge } from '../../engine/upload-badge.js';
import { UploadedBadgeSchema } from '../schemas/badge-view.js';
import { ErrorBody } from '../schemas/common.js';

/** Badge upload (multipart/form-data, one file in the field "file"). */
export const adminBadgeRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  // Registered here only: multipart bodies are accepted by this route and no other.
  await app.register(multipart, { limits: { fileSize: BADGE_MAX_BYTES, files: 1, fields: 0, parts: 2 } });

  app.post(
    '/badges',
    {
      schema: {
        tags: ['Admin: badges'],
        summary: 'Upload a badge image (PNG, WebP or SVG, at most 512 KB) as multipart/form-data field "file"',
        description:
          'The type is judged by the content, and the file is rebuilt before it is stored: PNG and WebP decoded and ' +
          'encoded afresh (at most 2048 × 2048 pixels), SVG parsed and rebuilt from an allow-list of elements, attributes ' +
          'and CSS properties (scripts, event handlers, external references and styles that load anything are dropped; ' +
          `nesting deeper than ${SVG_MAX_DEPTH}, more than ${SVG_MAX_ELEMENTS} elements, ${SVG_MAX_ATTRIBUTES} attributes or ` +
          `${SVG_MAX_ATTRIBUTES_PER_ELEMENT} attributes on one element, and DTD entities, are refused). ` +
          "The answer holds the URL the image is served at, in the community's own folder, for an achievement's badgeUrl.",
        consumes: ['multipart/form-data'],
        response: { 201: UploadedBadgeSchema, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new LaurelError('invalid', 'multipart_required', 'Send the image as multipart/form-data with the field "file"', 'file');
      }
      const part = await request.file();
      if (!part) throw invalid('file_required', 'Send the image in the field "file"', 'file');
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new LaurelError('too_large', 'badge_too_large', `A badge may be at most ${BADGE_MAX_BYTES / 1024} KB`, 'file');
        }
        throw error;
      }
      return reply.status(201).send(await uploadBadge(ctx, request.principal, bytes));
    },
  );
};
