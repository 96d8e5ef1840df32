import { BadRequestException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENTS_CHANNEL } from '../event-store/append';
import { findParkedEvent, listParkedEvents, requestParkedRetry, type ParkedEvent } from '../event-store/parked-events';
import { SYNC_PROJECTOR } from '../sync-projector/sync-projector';
import { ADMIN_OPTIONS, type AdminOptions } from './admin-options';
import { AdminTokenGuard } from './admin-token.guard';

/** How long a retry request waits for the projector's answer before saying it is queued (202). */
const DEFAULT_RETRY_WAIT_MS = 10_000;

/**
 * /admin/parked-events: events the sync projector could not decide and set aside (issue 13), and
 * their retry. The retry is done by the instance running the projector, in order with its batches:
 * this endpoint asks for it in the database, wakes the projector and waits for the result.
 */
@ApiTags('admin')
@ApiBearerAuth('admin-token')
@Controller('admin/parked-events')
@UseGuards(AdminTokenGuard)
export class ParkedEventsController {
  constructor(@Inject(ADMIN_OPTIONS) private readonly options: AdminOptions) {}

  @Get()
  async list(@Query('after') after?: string, @Query('limit') limit?: string, @Query('resolved') resolved?: string): Promise<{ parkedEvents: ParkedEvent[] }> {
    if (resolved !== undefined && resolved !== 'true' && resolved !== 'false') throw new BadRequestException('resolved must be true or false');
    const parkedEvents = await listParkedEvents(this.options.db, {
      subscriber: SYNC_PROJECTOR,
      includeResolved: resolved === 'true',
      afterPosition: positiveInt(after, 'after'),
      limit: positiveInt(limit, 'limit'),
    });
    return { parkedEvents };
  }

  /**
   * 200 `{ outcome: 'resolved' }` when the event is now decided (its decision applied), 200
   * `{ outcome: 'failed', error }` when it failed again (still parked, with the new error), 202
   * `{ outcome: 'queued' }` when no projector answered in time (it retries when it runs), 404 when
   * no such event is parked, 409 when it was already resolved.
   */
  @Post(':position/retry')
  @HttpCode(200)
  async retry(@Param('position') raw: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ position: number; outcome: string; error?: ParkedEvent['error'] }> {
    const position = positiveInt(raw, 'position') as number;
    const requested = await requestParkedRetry(this.options.db, SYNC_PROJECTOR, position);
    if (!requested) {
      const known = await findParkedEvent(this.options.db, SYNC_PROJECTOR, position);
      if (known?.resolvedAt) reply.status(409);
      else throw new NotFoundException(`no parked event at position ${position}`);
      return { position, outcome: 'already_resolved' };
    }
    await this.options.db.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`);
    const deadline = Date.now() + (this.options.parkedRetryWaitMs ?? DEFAULT_RETRY_WAIT_MS);
    const before = requested.retries;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await findParkedEvent(this.options.db, SYNC_PROJECTOR, position);
      if (!now) break;
      if (now.resolvedAt) return { position, outcome: 'resolved' };
      if (now.retries > before) return { position, outcome: 'failed', error: now.error };
    }
    reply.status(202);
    return { position, outcome: 'queued' };
  }
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new BadRequestException(`${name} must be a positive integer`);
  return Number(value);
}
