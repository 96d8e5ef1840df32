import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthRegistry } from '../observability/health-registry';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(HealthRegistry) private readonly health: HealthRegistry) {}

  @Get('health')
  @ApiOperation({ summary: 'Whether changes made now will be synced: one check per part (database, LISTEN, Salesforce session, CDC, projector, dispatcher)' })
  @ApiOkResponse({ description: '{ status: "ok", checks }' })
  @ApiServiceUnavailableResponse({ description: '{ status: "unavailable", checks }: the failing check says what and why' })
  async check(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.health.report();
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
