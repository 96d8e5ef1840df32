import { BadRequestException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { listDeadLetters, outboxStatus, retryDeadLetter, type DeadLetter, type OutboxStatus } from '../outbox/dead-letters';
import { ADMIN_OPTIONS, type AdminOptions } from './admin-options';
import { AdminTokenGuard } from './admin-token.guard';
import { InvalidRecordIdError, recordHistory, type RecordHistory } from './record-history';

/** /admin: outbox status, dead letters and their retry, per-record sync history (interface.md section 3). */
@Controller('admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(@Inject(ADMIN_OPTIONS) private readonly options: AdminOptions) {}

  @Get('status')
  status(): Promise<OutboxStatus> {
    return outboxStatus(this.options.db);
  }

  @Get('dead-letters')
  async deadLetters(@Query('after') after?: string, @Query('limit') limit?: string): Promise<{ deadLetters: DeadLetter[] }> {
    return { deadLetters: await listDeadLetters(this.options.db, { afterId: optionalInt(after, 'after'), limit: optionalInt(limit, 'limit') }) };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(200)
  async retry(@Param('id') id: string): Promise<{ retried: number }> {
    const commandId = optionalInt(id, 'id');
    if (commandId === undefined || !(await retryDeadLetter(this.options.db, commandId))) throw new NotFoundException(`no dead letter ${id}`);
    return { retried: commandId };
  }

  @Get('records/:crm/:id/history')
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
