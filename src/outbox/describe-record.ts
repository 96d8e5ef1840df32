import type { OutboxCommand } from '../sync-commands/outbox-command';
import { assertNeverCommand } from './result-events';

/** The record a command acts on, in words an operator recognises. */
export function describeRecord(command: OutboxCommand): string {
  switch (command.kind) {
    case 'salesforce.create':
      return `monday item ${command.itemId} on board ${command.boardId} (new Salesforce ${command.salesforceObject})`;
    case 'salesforce.update':
    case 'salesforce.delete':
      return `Salesforce ${command.salesforceObject} ${command.salesforceId}`;
    case 'salesforce.merge':
      return `Salesforce ${command.salesforceObject} ${command.masterId} (merging ${command.mergeIds.join(', ')} into it)`;
    case 'salesforce.convert_lead':
      return `Salesforce Lead ${command.leadId} (monday item ${command.itemId})`;
    case 'monday.create_item':
      return `Salesforce ${command.salesforceObject} ${command.salesforceId} (new item on board ${command.boardId})`;
    case 'monday.change_columns':
    case 'monday.refresh_item':
    case 'monday.archive_item':
    case 'monday.delete_item':
    case 'monday.note_merged':
      return `monday item ${command.itemId} on board ${command.boardId}`;
    case 'monday.repoint_relations':
      return `relations ${command.columns.join(', ')} on board ${command.boardId} naming ${command.mergedItemIds.join(', ')} (to monday item ${command.masterItemId})`;
    case 'sync.rejected_value':
      return command.target === 'monday'
        ? `Salesforce ${command.salesforceObject} ${command.salesforceId ?? '(not created yet)'}, field ${command.field}`
        : `monday item ${command.itemId ?? '(unknown)'} on board ${command.boardId}, column ${command.field}`;
    default:
      return assertNeverCommand(command);
  }
}
