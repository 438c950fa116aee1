import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { FieldError, Problem } from '../common/errors/problem';

const STATE_CHANGING = ['post', 'put', 'patch', 'delete'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/**
 * The OpenAPI document, from the controllers and DTOs. Conventions that hold for every route
 * (Idempotency-Key, problem+json errors) are added here once rather than on each route.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('scf-portal API')
    .setDescription(
      'Supply-chain receivables financing portal. Money and rates are decimal strings; errors are ' +
        'RFC 9457 application/problem+json with a stable `code`; every state-changing request accepts an Idempotency-Key.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [Problem, FieldError],
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
  document.components ??= {};
  document.components.schemas ??= {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of STATE_CHANGING) {
      const operation = item[method];
      if (!operation || !path.startsWith('/api/v1/') || path === '/api/v1/auth/login') continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Replays the stored response for a repeated key with the same body; 422 with another body; 409 while the first is running.',
          schema: { type: 'string', maxLength: 255 },
        },
      ];
    }
    for (const operation of Object.values(item) as Array<{ responses?: Record<string, unknown> }>) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      operation.responses.default ??= {
        description: 'Problem details (RFC 9457)',
        content: { 'application/problem+json': { schema: PROBLEM_REF } },
      };
    }
  }
  return document;
}

/** Serves the document at /docs (UI) and /docs-json. */
export function mountOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'scf-portal API',
  });
  return document;
}
