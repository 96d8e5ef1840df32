import { BadRequestException, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { isRejectedValue, listDeadLetters, outboxStatus, retryDeadLetter, type DeadLetter, type OutboxStatus } from '../outbox/dead-letters';
import { recordKeysByIds } from '../sync-projector/record-keys';
import { ADMIN_OPTIONS, type AdminOptions } from './admin-options';
import { AdminTokenGuard } from './admin-token.guard';
import { InvalidRecordIdError, recordHistory, type RecordHistory } from './record-history';

/** /admin: outbox status, dead letters and their retry, per-record sync history (interface.md section 3). */
@ApiTags('admin')
@ApiBearerAuth('admin-token')
@ApiUnauthorizedResponse({ description: 'Missing or wrong bearer ADMIN_TOKEN' })
@ApiNotFoundResponse({ description: 'ADMIN_TOKEN is not configured: the admin API does not exist' })
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(@Inject(ADMIN_OPTIONS) private readonly options: AdminOptions) {}

  @Get('status')
  @ApiOperation({ summary: 'Outbox counts by status, age of the oldest pending write, dead letters' })
  @ApiOkResponse({ description: '{ counts: { pending, in_flight, done, dead }, oldestPendingAgeSeconds, deadLetters }' })
  status(): Promise<OutboxStatus> {
    return outboxStatus(this.options.db);
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Dead letters: the write, the record, the CRM error with its hint, and the event that caused it' })
  @ApiQuery({ name: 'after', required: false, description: 'keyset paging: ids after this one' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiOkResponse({ description: '{ deadLetters: DeadLetter[] }' })
  async deadLetters(@Query('after') after?: string, @Query('limit') limit?: string): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await listDeadLetters(this.options.db, recordKeysByIds, { afterId: optionalInt(after, 'after'), limit: optionalInt(limit, 'limit') }) };
  }

  @Post('dead-letters/:id/retry')
  @ApiOperation({ summary: 'Send a dead letter again (pending now, attempts reset)' })
  @ApiParam({ name: 'id', description: 'outbox command id' })
  @ApiOkResponse({ description: '{ retried: id }' })
  @HttpCode(200)
  async retry(@Param('id') id: string): Promise<{ retried: number }> {
    const commandId = optionalInt(id, 'id');
    if (commandId === undefined) throw new NotFoundException(`no dead letter ${id}`);
    if (!(await retryDeadLetter(this.options.db, commandId))) {
      if (await isRejectedValue(this.options.db, commandId)) {
        throw new ConflictException(`dead letter ${id} is a value the target cannot take: correct it on the other side or in the mapping; the record's next change syncs it`);
      }
      throw new NotFoundException(`no dead letter ${id}`);
    }
    return { retried: commandId };
  }

  @Get('records/:crm/:id/history')
  @ApiOperation({ summary: "A record's sync history: every event of both sides with the decision and its reason, and the writes with their outcome" })
  @ApiParam({ name: 'crm', enum: ['salesforce', 'monday'] })
  @ApiParam({ name: 'id', description: 'Salesforce Id (15 or 18) or monday item id' })
  @ApiOkResponse({ description: '{ record, events, commands }' })
  async history(@Param('crm') crm: string, @Param('id') id: string): Promise<RecordHistory> {
    if (crm !== 'salesforce' && crm !== 'monday') throw new BadRequestException('crm must be salesforce or monday');
    const history = await recordHistory(this.options.db, crm, id).catch((error: unknown) => {
      throw error instanceof InvalidRecordIdError ? new BadRequestException(error.message) : error;
    });
    if (!history) throw new NotFoundException(`nothing is known about ${crm} record ${id}`);
    return history;
  }
}

function optionalInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new BadRequestException(`${name} must be a positive integer`);
  return Number(value);
}
