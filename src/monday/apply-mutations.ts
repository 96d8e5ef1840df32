import type { CostParts } from './complexity-budget';
import { MondayError } from './monday.error';
import { mondayMutations } from './monday-metrics';
import type { ApplyMutationsOptions, MondayMutation, MutationOutcome } from './monday.port';
import type { MondayRequester } from './monday-requester';
import { buildMutationBatch } from './mutation-batch-document';
import { isRecord } from './parse-monday-responses';

/**
 * Sends a board's mutations `batchSize` at a time as aliased mutations and reports one outcome per
 * mutation. A request that fails as a whole (throttled, 5xx, auth) fails every mutation it carried,
 * and the later batches are not sent: they get the same error (they did not run).
 */
export async function applyMutations(
  requester: MondayRequester,
  boardId: string,
  mutations: readonly MondayMutation[],
  batchSize: number,
  options: ApplyMutationsOptions = {},
): Promise<MutationOutcome[]> {
  const outcomes: MutationOutcome[] = [];
  for (let start = 0; start < mutations.length; start += batchSize) {
    const chunk = mutations.slice(start, start + batchSize);
    const batch = buildMutationBatch(boardId, chunk);
    try {
      const answer = await requester.execute({
        operation: 'mutation_batch',
        document: batch.document,
        variables: batch.variables,
        boardId,
        cost: costOf(chunk),
        // One key per request of the same intent: a retry of the same mutations replays monday's answer.
        headers: options.idempotencyKey ? { 'Idempotency-Key': `${options.idempotencyKey}:${start}-${start + chunk.length}` } : undefined,
      });
      chunk.forEach((mutation, i) => {
        const alias = batch.aliases[i];
        const fieldError = answer.fieldErrors.get(alias);
        const result = answer.data[alias];
        let outcome: MutationOutcome;
        if (fieldError) outcome = { ok: false, error: withMutationContext(fieldError, boardId, mutation) };
        else if (isRecord(result) && (typeof result.id === 'string' || typeof result.id === 'number')) outcome = { ok: true, itemId: mutation.kind === 'create_update' ? mutation.itemId : String(result.id), ...(answer.replayed ? { replayed: true } : {}) };
        else outcome = { ok: false, error: withMutationContext(new MondayError('PERMANENT', `monday returned no result for ${mutation.kind}`), boardId, mutation) };
        record(mutation, outcome);
        outcomes.push(outcome);
      });
    } catch (error) {
      if (!(error instanceof MondayError)) throw error;
      for (const mutation of mutations.slice(start)) {
        const outcome: MutationOutcome = { ok: false, error: withMutationContext(error, boardId, mutation) };
        record(mutation, outcome);
        outcomes.push(outcome);
      }
      break;
    }
  }
  return outcomes;
}

function costOf(chunk: readonly MondayMutation[]): CostParts {
  const counts = new Map<string, number>();
  for (const m of chunk) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts.entries()];
}

function record(mutation: MondayMutation, outcome: MutationOutcome): void {
  mondayMutations.inc({ kind: mutation.kind, outcome: outcome.ok ? 'ok' : outcome.error.code });
}

function withMutationContext(error: MondayError, boardId: string, mutation: MondayMutation): MondayError {
  const itemId = 'itemId' in mutation ? mutation.itemId : undefined;
  const columnId = error.code === 'VALIDATION' ? rejectedColumn(error, mutation) : undefined;
  return error.withContext({ boardId, itemId, columnId });
}

/**
 * monday names the rejected column for an unknown column id, but for a bad value it only gives the
 * column type and the value (monday.md 6.2): find the column of this mutation that held that value.
 */
function rejectedColumn(error: MondayError, mutation: MondayMutation): string | undefined {
  if (error.columnId !== undefined) return undefined;
  if (mutation.kind === 'rename_item') return 'name';
  if (mutation.kind !== 'create_item' && mutation.kind !== 'change_column_values') return undefined;
  const entries = Object.entries(mutation.columnValues);
  if (entries.length === 1) return entries[0][0];
  const rejected = error.details.rejectedValue;
  if (rejected === undefined) return undefined;
  const wanted = JSON.stringify(rejected);
  const holds = (value: unknown): boolean =>
    JSON.stringify(value) === wanted || (isRecord(value) && Object.values(value).some((inner) => JSON.stringify(inner) === wanted));
  const matches = entries.filter(([, value]) => holds(value));
  return matches.length === 1 ? matches[0][0] : undefined;
}
