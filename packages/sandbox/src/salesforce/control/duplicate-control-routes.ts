import type { FastifyInstance } from 'fastify';
import { EmulatorContext } from '../context';
import { DuplicateRule, DuplicateRuleAction } from '../duplicates/duplicate-rules';
import { mergeRecords, MergeResult } from '../merge/record-merge';

type Body = Record<string, unknown>;
const ACTIONS: ReadonlySet<string> = new Set(['block', 'alert', 'none']);

/**
 * Control API for duplicate rules and merges, under `/__sandbox/`:
 * - `GET /__sandbox/duplicate-rules`; `PUT /__sandbox/duplicate-rules/:name` with any of
 *   `{active, action: block|alert|none, alertText, onEdit, criteria: [["Email"], ...]}` (a new rule
 *   also needs `object`); `DELETE /__sandbox/duplicate-rules/:name`; `POST .../reset` (standard rules).
 * - `POST /__sandbox/merge {type, masterId, mergeIds, fields?, userId?}`: a person merging in the UI.
 */
export function registerDuplicateControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const rules = ctx.org.duplicateRules;
  const bodyOf = (raw: unknown): Body => (typeof raw === 'object' && raw !== null ? (raw as Body) : {});

  app.get('/__sandbox/duplicate-rules', async () => rules.list());
  app.put('/__sandbox/duplicate-rules/:name', async (req, reply) => {
    const name = String((req.params as { name?: string }).name ?? '');
    const updated = ruleFrom(name, rules.get(name), bodyOf(req.body), (object) => ctx.org.registry.get(object) !== undefined);
    if (typeof updated === 'string') return reply.code(400).send({ error: updated });
    rules.put(updated);
    return updated;
  });
  app.delete('/__sandbox/duplicate-rules/:name', async (req, reply) => {
    const removed = rules.remove(String((req.params as { name?: string }).name ?? ''));
    return removed ? { removed: true } : reply.code(404).send({ error: 'no such duplicate rule' });
  });
  app.post('/__sandbox/duplicate-rules/reset', async () => {
    rules.reset();
    return rules.list();
  });

  app.post('/__sandbox/merge', async (req, reply) => {
    const b = bodyOf(req.body);
    const result = mergeAsHuman(ctx, {
      type: String(b.type ?? ''),
      masterId: String(b.masterId ?? ''),
      mergeIds: Array.isArray(b.mergeIds) ? b.mergeIds.map(String) : [],
      fields: bodyOf(b.fields),
      userId: typeof b.userId === 'string' ? b.userId : undefined,
    });
    return reply.code(result.success ? 200 : 400).send(result);
  });
}

export interface HumanMerge {
  type: string;
  masterId: string;
  mergeIds: string[];
  fields?: Record<string, unknown>;
  /** Default: the admin user. */
  userId?: string;
}

/** A merge made in the Salesforce UI: empty changeOrigin, no duplicate rules. */
export function mergeAsHuman(ctx: EmulatorContext, merge: HumanMerge): MergeResult {
  return ctx.org.transact({ userId: merge.userId ?? ctx.users.adminUserId, changeOrigin: '', client: null }, (tx) =>
    mergeRecords(ctx.org, tx, {
      masterRecord: { type: merge.type, Id: merge.masterId, fields: merge.fields ?? {} },
      recordToMergeIds: merge.mergeIds,
    }),
  );
}

function ruleFrom(name: string, existing: DuplicateRule | undefined, b: Body, objectExists: (o: string) => boolean): DuplicateRule | string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return `not a rule developer name: ${JSON.stringify(name)}`;
  const object = typeof b.object === 'string' ? b.object : existing?.object;
  if (!object || !objectExists(object)) return `object ${JSON.stringify(object ?? null)} does not exist`;
  if (b.action !== undefined && (typeof b.action !== 'string' || !ACTIONS.has(b.action))) return 'action must be block, alert or none';
  const criteria = b.criteria ?? existing?.criteria;
  if (!Array.isArray(criteria) || criteria.length === 0 || !criteria.every((g) => Array.isArray(g) && g.length > 0 && g.every((f) => typeof f === 'string'))) {
    return 'criteria must be a non-empty array of non-empty arrays of field names';
  }
  return {
    name,
    object,
    matchingRule: typeof b.matchingRule === 'string' ? b.matchingRule : (existing?.matchingRule ?? `${name}_Match_Rule`),
    criteria: criteria as string[][],
    action: (b.action as DuplicateRuleAction | undefined) ?? existing?.action ?? 'alert',
    onEdit: typeof b.onEdit === 'boolean' ? b.onEdit : (existing?.onEdit ?? true),
    alertText: typeof b.alertText === 'string' ? b.alertText : (existing?.alertText ?? 'Use one of these records?'),
    active: typeof b.active === 'boolean' ? b.active : (existing?.active ?? true),
  };
}

