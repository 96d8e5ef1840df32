import { SObjectSchema } from '../schema/schema-registry';
import { OPPORTUNITY_STAGES } from '../schema/objects/opportunity';
import { TASK_CLOSED_STATUSES } from '../schema/objects/task';
import { SObjectRecord } from './record-store';

/**
 * Values Salesforce computes rather than stores as written (reference 7 "semantics worth emulating"):
 * person Name, Opportunity stage defaults and ExpectedRevenue, Task IsClosed.
 * `explicit` holds the fields the writer set in this call (an explicit Probability wins over the stage's).
 */
export function deriveFields(
  schema: SObjectSchema,
  record: SObjectRecord,
  explicit: ReadonlySet<string>,
  before: SObjectRecord | null,
): void {
  switch (schema.name) {
    case 'Lead':
    case 'Contact':
    case 'User':
      record.Name = [record.FirstName, record.LastName].filter((v) => v !== null && v !== '').join(' ') || null;
      return;
    case 'Opportunity': {
      const stage = OPPORTUNITY_STAGES[String(record.StageName)];
      const stageChanged = before === null || before.StageName !== record.StageName;
      if (stage && stageChanged) {
        if (!explicit.has('Probability')) record.Probability = stage.probability;
        if (!explicit.has('ForecastCategoryName')) record.ForecastCategoryName = stage.forecast;
        record.IsClosed = stage.closed;
        record.IsWon = stage.won;
      }
      const amount = record.Amount;
      const probability = record.Probability;
      record.ExpectedRevenue =
        typeof amount === 'number' && typeof probability === 'number' ? (amount * probability) / 100 : null;
      return;
    }
    case 'Task':
      record.IsClosed = TASK_CLOSED_STATUSES.has(String(record.Status));
      return;
    case 'Grant__c':
      if (record.Name === null) record.Name = record.Id;
      return;
    default:
      return;
  }
}
