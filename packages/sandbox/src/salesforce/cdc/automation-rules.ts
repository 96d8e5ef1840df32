/**
 * A simulated Salesforce flow: "after a write by client X to object O, also set fields F". It runs as
 * a separate transaction with an empty changeOrigin and the automation user as commitUser, which is
 * how such a follow-up reaches a CDC subscriber (it is not an echo of the writer's own change).
 */
export interface AutomationRule {
  id: string;
  object: string;
  /** The Sforce-Call-Options client whose writes trigger the rule; '*' for any API write. */
  afterWriteByClient: string;
  /** Which changes trigger it (default CREATE and UPDATE). */
  on?: Array<'CREATE' | 'UPDATE'>;
  /** Field values the automation writes (or a function of the written record, in-process only). */
  set: Record<string, unknown> | ((record: Record<string, unknown>) => Record<string, unknown>);
}

export function ruleMatches(
  rule: AutomationRule,
  object: string,
  changeType: string,
  client: string | null,
  changeOrigin: string,
): boolean {
  if (rule.object.toLowerCase() !== object.toLowerCase()) return false;
  if (!(rule.on ?? ['CREATE', 'UPDATE']).includes(changeType as 'CREATE' | 'UPDATE')) return false;
  if (changeOrigin === '') return false; // humans and automations do not trigger API-write rules
  return rule.afterWriteByClient === '*' || rule.afterWriteByClient === client;
}
