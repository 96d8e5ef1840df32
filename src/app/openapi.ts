import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { MONDAY_WEBHOOK_OPENAPI } from '../ingest/monday/monday-webhook.openapi';

/**
 * GET /docs (Swagger UI) and GET /docs/openapi.json: the HTTP API as the controllers' decorators
 * describe it, plus the monday webhook (a plain Fastify route). The operator console is HTML and left out.
 */
export function setupOpenApi(app: NestFastifyApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('crm-sync')
    .setDescription('Two-way sync between monday.com and Salesforce: webhook intake, health, metrics and the operator API (/admin, bearer ADMIN_TOKEN).')
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'admin-token')
    .build();
  const document = (): OpenAPIObject => {
    const generated = SwaggerModule.createDocument(app, config);
    return { ...generated, paths: { ...MONDAY_WEBHOOK_OPENAPI, ...generated.paths } };
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml', customSiteTitle: 'crm-sync API' });
}
