import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SECURITY, OAUTH2_SECURITY } from './api-docs.decorators';
import { ProblemDetailsSchema } from './problem-details.schema';

/** Where the document and its UI are served (API.md: the document must agree with the contract). */
export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';

const DESCRIPTION = `Account linking for Japanese direct debit (口座連携 / 口座振替): payment apps request links,
banks confirm strong customer authentication through signed webhooks, investigators replay history.

Errors are \`application/problem+json\` with a stable snake_case \`code\`. Every response echoes \`X-Request-Id\`
(the caller's when it sends a sane one); \`traceparent\` is honoured.`;

/** The OpenAPI document of the controllers this instance mounts, from their decorators and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('kouza-link')
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'Client credentials: trade a client id and secret for a short-lived JWT at POST /oauth/token ' +
          '(discoverable at /.well-known/oauth-authorization-server, RFC 8414, when JWT_ISSUER is the service URL).',
        flows: {
          clientCredentials: {
            tokenUrl: '/oauth/token',
            scopes: {
              'links:write': 'Payment apps: request and revoke links',
              'links:read': 'Payment apps: read their links',
              'investigations:read': 'Investigators: read any link, account or device history',
              admin: 'Operators: banks, apps, keys, suspensions',
              'bank:read': 'Banks: read the links to their accounts',
            },
          },
        },
      },
      OAUTH2_SECURITY,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /oauth/token' },
      BEARER_SECURITY,
    )
    .addTag('auth', 'Access tokens')
    .addTag('links', 'Payment apps: links to their users’ bank accounts')
    .addTag('banks', 'Banks: signed webhooks in')
    .addTag('sandbox', 'The sandbox: Sandbox Bank 9900 and its notification outbox')
    .addTag('operations', 'Health and metrics')
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsSchema] });
}

/**
 * Serves the document at /openapi.json and Swagger UI at /docs. Built on the first request, when every
 * controller is mounted; the routes are plain Fastify routes, so they need no `app.init()` ordering.
 */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'kouza-link API',
  });
}
