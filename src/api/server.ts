/** The HTTP server: Trophy-compatible application API under /v1, admin API under /admin/v1. */
import accepts from '@fastify/accepts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Settings } from '../config.js';
import { USER_ID_MAX_LENGTH } from '../domain/user.js';
import type { Keyring } from '../engine/api-keys.js';
import type { EngineContext } from '../engine/context.js';
import { RateLimiter } from '../engine/rate-limiter.js';
import { requireKey } from './auth.js';
import { clientErrorHandler, errorHandler, notFoundHandler } from './errors.js';
import { inFlightBound } from './in-flight.js';
import { refResponseComponents, responseComponents } from './openapi-components.js';
import { rateLimitHook } from './rate-limits.js';
import { achievementRoutes } from './routes/achievements.js';
import { adminAchievementRoutes } from './routes/admin-achievements.js';
import { adminBadgeRoutes } from './routes/admin-badges.js';
import { adminEmailRoutes } from './routes/admin-email.js';
import { adminInsightRoutes } from './routes/admin-insights.js';
import { adminLeaderboardRoutes } from './routes/admin-leaderboards.js';
import { adminMetricRoutes } from './routes/admin-metrics.js';
import { adminPointsSystemRoutes } from './routes/admin-points-systems.js';
import { adminSettingsRoutes } from './routes/admin-settings.js';
import { adminStreakRoutes } from './routes/admin-streaks.js';
import { adminTeamRoutes } from './routes/admin-teams.js';
import { adminWebhookRoutes } from './routes/admin-webhooks.js';
import { adminWidgetRoutes } from './routes/admin-widgets.js';
import { celebrationRoutes } from './routes/celebrations.js';
import { communityRoutes } from './routes/community.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { shareRoutes } from './routes/share.js';
import { staticFileRoutes } from './routes/static-files.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { userRoutes } from './routes/users.js';
import { widgetFileRoutes } from './routes/widget-files.js';
import { widgetTokenRoutes } from './routes/widget-tokens.js';
import { validatorCompiler } from './validation.js';
import { answerPreflight, authenticateMember, fromForeignOrigin } from './widget-access.js';

export interface ServerOptions {
  ctx: EngineContext;
  keyring: Keyring;
  logger?: FastifyServerOptions['loggerInstance'];
  version?: string;
  timeouts?: Timeouts;
  /** Application requests worked on at once beyond which more are refused 503 (0 or absent: no bound). */
  maxRequestsInFlight?: number;
  /** Serve the widgets demo page at /widgets/demo. */
  widgetDemo?: boolean;
  /** Milliseconds between an open celebration stream's heartbeats (and its widget token's re-checks). */
  streamHeartbeatMs?: number;
}

/** Seconds; 0 switches a time-out off. */
export type Timeouts = Pick<Settings, 'requestTimeoutS' | 'headersTimeoutS' | 'keepAliveTimeoutS' | 'connectionTimeoutS'>;

/**
 * How long a client may take: a slow or stalled body would otherwise hold its connection (and its
 * memory) for as long as the client likes.
 */
function timeoutOptions(t: Timeouts) {
  const ms = (s: number) => s * 1000;
  return {
    requestTimeout: ms(t.requestTimeoutS),
    connectionTimeout: ms(t.connectionTimeoutS),
    keepAliveTimeout: ms(t.keepAliveTimeoutS),
    http: {
      // Node refuses a headers time-out longer than the request's.
      headersTimeout: ms(t.requestTimeoutS > 0 ? Math.min(t.headersTimeoutS, t.requestTimeoutS) : t.headersTimeoutS),
      // Node checks the two time-outs above on this interval (30 s by default), so they hold to about a second.
      connectionsCheckingInterval: 1_000,
    },
  };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { ctx, keyring } = options;
  let closing = false;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // One log line per request only when debugging; at info level they would drown everything else.
    logController: new LogController({ disableRequestLogging: (request) => !['debug', 'trace'].includes(request.log.level) }),
    bodyLimit: 5 * 1024 * 1024,
    ...(options.timeouts ? timeoutOptions(options.timeouts) : {}),
    // A path parameter as long as the longest id (in UTF-16 units, as the router counts, after
    // decoding): every id a body can create can be read back; the schemas then name the limit.
    routerOptions: { maxParamLength: 2 * USER_ID_MAX_LENGTH },
    frameworkErrors: errorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null as never);
  app.addHook('onClose', async () => {
    closing = true;
  });
  await app.register(accepts);
  const components = responseComponents();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Laurel',
        version: options.version ?? '0.1.0',
        description:
          "Self-hostable achievements engine. The application API (/v1) is a superset of Trophy's; the admin API (/admin/v1) manages a community.",
      },
      components: {
        securitySchemes: {
          ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          Bearer: { type: 'http', scheme: 'bearer' },
          WidgetToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'lw1',
            description:
              "A member's widget token (lw1.…, from POST /v1/users/{id}/widget-token), sent from the member's browser: admitted only by the routes that list it, for that member's own data",
          },
        },
        schemas: components,
      },
      security: [{ ApiKey: [] }, { Bearer: [] }],
    },
    transformObject: (document) =>
      'openapiObject' in document ? refResponseComponents(document.openapiObject, Object.keys(components)) : document.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { ctx, isClosing: () => closing });
  await app.register(staticFileRoutes, { ctx });
  await app.register(widgetFileRoutes, { demo: options.widgetDemo ?? false });
  await app.register(unsubscribeRoutes, { ctx, prefix: '/v1' });
  await app.register(shareRoutes, { ctx });
  // Browsers ask before a widget's cross-origin call; the answer needs no key (none is sent).
  app.options('/v1/*', { schema: { hide: true } }, (request, reply) => answerPreflight(ctx, request, reply));
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', inFlightBound(options.maxRequestsInFlight ?? 0));
      v1.addHook(
        'onRequest',
        requireKey(
          keyring,
          'application',
          (request) => fromForeignOrigin(ctx, request),
          (request, reply, token) => authenticateMember(ctx, request, reply, token),
        ),
      );
      v1.addHook('preValidation', rateLimitHook(new RateLimiter(ctx)));
      await v1.register(eventRoutes, { ctx });
      await v1.register(achievementRoutes, { ctx });
      await v1.register(userRoutes, { ctx });
      await v1.register(celebrationRoutes, { ctx, heartbeatMs: options.streamHeartbeatMs });
      await v1.register(communityRoutes, { ctx });
      await v1.register(widgetTokenRoutes, { ctx });
    },
    { prefix: '/v1' },
  );
  await app.register(
    async (admin) => {
      admin.addHook(
        'onRequest',
        requireKey(keyring, 'admin', (request) => fromForeignOrigin(ctx, request)),
      );
      await admin.register(adminAchievementRoutes, { ctx });
      await admin.register(adminInsightRoutes, { ctx });
      await admin.register(adminBadgeRoutes, { ctx });
      await admin.register(adminMetricRoutes, { ctx });
      await admin.register(adminPointsSystemRoutes, { ctx });
      await admin.register(adminSettingsRoutes, { ctx });
      await admin.register(adminStreakRoutes, { ctx });
      await admin.register(adminTeamRoutes, { ctx });
      await admin.register(adminLeaderboardRoutes, { ctx });
      await admin.register(adminWebhookRoutes, { ctx });
      await admin.register(adminEmailRoutes, { ctx });
      await admin.register(adminWidgetRoutes, { ctx });
    },
    { prefix: '/admin/v1' },
  );
  return app;
}
