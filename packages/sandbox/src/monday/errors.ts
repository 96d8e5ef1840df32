/**
 * Application errors the emulated API returns (reference 6.3). Resolvers throw these; the HTTP layer
 * formats them for the API version that was asked for (reference 6.2).
 */
export type MondayErrorCode =
  | 'ColumnValueException'
  | 'CorrectedValueException'
  | 'InvalidArgumentException'
  | 'InvalidBoardIdException'
  | 'InvalidColumnIdException'
  | 'InvalidItemIdException'
  | 'InvalidUserIdException'
  | 'InvalidVersionException'
  | 'ItemNameTooLongException'
  | 'ResourceNotFoundException'
  | 'CreateBoardException'
  | 'DeleteLastGroupException'
  | 'UserUnauthorizedException'
  | 'maxComplexityExceeded';

export class MondayApiError extends Error {
  constructor(
    readonly code: MondayErrorCode,
    message: string,
    readonly errorData: Record<string, unknown> = {},
    readonly statusCode = 200,
  ) {
    super(message);
    this.name = 'MondayApiError';
  }
}

const COLUMN_DOCS = 'Please check our API documentation for the correct data structure for this column. https://developer.monday.com/api-reference/docs/change-column-values';

export function columnValueError(columnType: string, detail: string, extra: Record<string, unknown> = {}): MondayApiError {
  return new MondayApiError('ColumnValueException', `invalid value - ${detail}. ${COLUMN_DOCS}`, {
    column_type: columnType,
    ...extra,
  });
}

export function invalidColumnId(columnId: string): MondayApiError {
  return new MondayApiError('InvalidColumnIdException', "This column ID doesn't exist for the board", { column_id: columnId });
}

export function invalidBoardId(boardId: string | number): MondayApiError {
  return new MondayApiError('InvalidBoardIdException', 'The board does not exist. Please check your board ID and try again', {
    board_id: Number(boardId),
  });
}

/** The reference found no ItemNotFoundException in monday's docs: unknown items are a ResourceNotFoundException (6.3). */
export function itemNotFound(itemId: string | number): MondayApiError {
  return new MondayApiError(
    'ResourceNotFoundException',
    'Item not found in board',
    { resource_type: 'item', item_id: Number(itemId), error_reason: 'store.monday.automation.error.missing_item' },
    404,
  );
}

export function invalidArgument(message: string, errorData: Record<string, unknown> = {}): MondayApiError {
  return new MondayApiError('InvalidArgumentException', message, errorData);
}

export function correctedValue(columnType: string): MondayApiError {
  return new MondayApiError(
    'CorrectedValueException',
    `The column does not support simple string values, use change_column_value with a JSON value instead. ${COLUMN_DOCS}`,
    { column_type: columnType },
  );
}
