import type {} from '@fastify/accepts';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, type Locale, SUPPORTED_LOCALES } from '../domain/locale.js';

/** The best language for the request's Accept-Language, among those Laurel speaks. */
export function localeOf(request: FastifyRequest): Locale {
  const best = request.language(SUPPORTED_LOCALES);
  return (best || DEFAULT_LOCALE) as Locale;
}
