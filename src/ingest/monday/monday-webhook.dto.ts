import 'reflect-metadata';
import { Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { Equals, IsBoolean, IsDefined, ValidateIf, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/**
 * A monday id (item, board, update): a positive safe integer. 1e300 is an integer too, but it names
 * no item and would be written back to monday as "1e+300".
 */
function IsMondayId(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(1), Max(Number.MAX_SAFE_INTEGER));
}

/**
 * A required nested object: @ValidateNested alone passes when the property is missing (class-validator
 * skips undefined), and an array would pass as a list of nothing.
 */
function RequiredNested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsDefined(), IsObject(), ValidateNested(), Type(type));
}

/**
 * One class-validator DTO per monday webhook payload type (reference monday.md 7.4/7.5). They check
 * what the sync relies on; extra fields pass through untouched (the payload is stored whole).
 */
const TRIGGER_UUID = /^[0-9a-zA-Z-]{8,64}$/;
const TRIGGER_UUID_MESSAGE = 'triggerUuid must be an id of 8-64 letters, digits or dashes';

class WebhookCommonDto {
  @IsString() type!: string;
  @IsString() triggerTime!: string;
  @IsInt() userId!: number;
  @Matches(TRIGGER_UUID, { message: TRIGGER_UUID_MESSAGE }) triggerUuid!: string;
  @IsMondayId() boardId!: number;
  @IsOptional() @IsInt() subscriptionId?: number;
  @IsOptional() @IsBoolean() isRetry?: boolean;
}

export class CreatePulseDto extends WebhookCommonDto {
  @Equals('create_pulse') declare type: 'create_pulse';
  @IsMondayId() pulseId!: number;
  @IsString() pulseName!: string;
  @IsOptional() @IsString() groupId?: string;
  @IsOptional() @IsObject() columnValues?: Record<string, unknown>;
  @IsOptional() @IsString() parentItemId?: string;
  @IsOptional() @IsString() parentItemBoardId?: string;
}

export class UpdateColumnValueDto extends WebhookCommonDto {
  @Equals('update_column_value') declare type: 'update_column_value';
  @IsMondayId() pulseId!: number;
  @IsString() columnId!: string;
  @IsString() columnType!: string;
  /** Internal value shape; null when the cell was cleared. */
  // Present, but null when the cell was cleared: only a missing `value` is refused.
  @ValidateIf((dto: { value?: unknown }) => dto.value === undefined)
  @IsDefined({ message: 'value must be present (null when the cell was cleared)' })
  value!: unknown;
  @IsOptional() @IsNumber() changedAt?: number;
}

class NameValueDto {
  @IsString() name!: string;
}

export class UpdateNameDto extends WebhookCommonDto {
  @Equals('update_name') declare type: 'update_name';
  @IsMondayId() pulseId!: number;
  @RequiredNested(() => NameValueDto) value!: NameValueDto;
}

export class ItemRemovedDto extends WebhookCommonDto {
  @IsIn(['delete_pulse', 'archive_pulse']) declare type: 'delete_pulse' | 'archive_pulse';
  @IsMondayId() itemId!: number;
  @IsOptional() @IsString() itemName?: string;
}

export class RestorePulseDto extends WebhookCommonDto {
  @Equals('restore_pulse') declare type: 'restore_pulse';
  @IsMondayId() itemId!: number;
  @IsOptional() @IsString() itemName?: string;
}

export class MovePulseIntoGroupDto extends WebhookCommonDto {
  @Equals('move_pulse_into_group') declare type: 'move_pulse_into_group';
  @IsMondayId() pulseId!: number;
  @IsString() sourceGroupId!: string;
  @IsString() destGroupId!: string;
}

export class ItemUpdatePostDto extends WebhookCommonDto {
  @IsIn(['create_update', 'edit_update', 'delete_update']) declare type: 'create_update' | 'edit_update' | 'delete_update';
  @IsMondayId() pulseId!: number;
  @IsMondayId() updateId!: number;
  @IsOptional() @IsString() body?: string;
  @IsOptional() @IsString() textBody?: string;
}

export class CreateColumnDto extends WebhookCommonDto {
  @Equals('create_column') declare type: 'create_column';
  @IsString() columnId!: string;
  @IsString() columnType!: string;
  @IsOptional() @IsString() columnTitle?: string;
}

/**
 * A type we do not model is stored as received, but its triggerUuid is still the idempotency key
 * (an indexed column): when present it must look like one.
 */
export class UnknownWebhookDto {
  @IsString() type!: string;
  @IsOptional() @Matches(TRIGGER_UUID, { message: TRIGGER_UUID_MESSAGE }) triggerUuid?: string;
}

export const DTO_BY_WEBHOOK_TYPE = {
  create_pulse: CreatePulseDto,
  update_column_value: UpdateColumnValueDto,
  update_name: UpdateNameDto,
  delete_pulse: ItemRemovedDto,
  archive_pulse: ItemRemovedDto,
  restore_pulse: RestorePulseDto,
  move_pulse_into_group: MovePulseIntoGroupDto,
  create_update: ItemUpdatePostDto,
  edit_update: ItemUpdatePostDto,
  delete_update: ItemUpdatePostDto,
  create_column: CreateColumnDto,
} as const;

export type KnownWebhookType = keyof typeof DTO_BY_WEBHOOK_TYPE;

export function isKnownWebhookType(type: string): type is KnownWebhookType {
  return Object.prototype.hasOwnProperty.call(DTO_BY_WEBHOOK_TYPE, type);
}
