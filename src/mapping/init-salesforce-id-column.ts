import { titleKey } from './init-title-match';
import type { MondayBoardSchema, MondayColumnSchema } from './live-schema';

/** Title of the column `crm-sync init` creates when the board has none. */
export const SALESFORCE_ID_COLUMN_TITLE = 'Salesforce Id';

const ID_TITLES = new Set(['salesforceid', 'salesforcerecordid', 'sfid', 'sfdcid', 'salesforce18id', 'salesforceidentifier']);

/** The board's text column titled like "Salesforce Id" ("SF ID", "Salesforce Record ID", ...), if any. */
export function findSalesforceIdColumn(board: MondayBoardSchema): MondayColumnSchema | undefined {
  return board.columns.find((c) => c.type === 'text' && ID_TITLES.has(titleKey(c.title)));
}
