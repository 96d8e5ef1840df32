import { randomUUID } from 'node:crypto';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import { to18 } from '../mapping/salesforce-id';
import { ImportFileBuilder } from '../monday/bulk-import-csv';
import { MondayError } from '../monday/monday.error';
import type { MondayColumnWrites, MondayMutation, MondayPort } from '../monday/monday.port';
import { claimBoardCreates, readHeld, releaseCommands, type ClaimedCommand } from '../outbox/claim';
import { clearHeldProgress, markHeldNotCreated } from '../outbox/bulk-import-progress';
import { ClaimLease, isLeaseLost } from '../outbox/claim-lease';
import { runWithWriteDeadline } from '../sync-commands/write-deadline';
import type { OutboxDispatcher } from '../outbox/dispatcher';
import { createItemMutation } from '../outbox/handlers/monday-create-item.handler';
import { matchConditions, matchItemsByRules } from '../outbox/handlers/monday-match';
import { markFinished, markUploaded, recordJob } from './bulk-import-jobs';
import { jobFailure, pollToEnd, storeCreatedItems, type BulkCreateSettings } from './bulk-import-polling';

export interface PagedJobSettings extends BulkCreateSettings {
  /** The plain monday port: the Id and `match:` lookups and the follow-up writes. */
  monday: MondayPort;
  /** Sends the job's commands once it is over: each links the item its progress names (step 1 of the create handler). */
  dispatcher: OutboxDispatcher;
  rowsPerJob: number;
  /** The items the sync links already, for the `match:` lookup. */
  linkedItems: (itemIds: readonly string[]) => Promise<Map<string, string>>;
  /** Commands read per page (default 1,000): memory holds one page's payloads at a time. */
  pageSize?: number;
}

/** What a job keeps per command while it runs: no payload. */
interface HeldCreate {
  commandId: number;
  salesforceId: string;
}

interface GroupFile {
  file: ImportFileBuilder;
  rows: HeldCreate[];
  /** Values the file cannot carry, by row index (sparse: most rows have none). */
  leftOver: Map<number, { values: MondayColumnWrites; createLabelsIfMissing?: boolean }>;
}


/**
 * One bulk-import job's worth of the board's create commands, held by one claim without their
 * payloads in memory:
 * 1. claim them page by page, keeping ids, Salesforce Ids and `match:` conditions;
 * 2. one Id-column lookup and one `match:` lookup for all of them: a command whose item may exist is
 *    left out of the file (the create handler links it);
 * 3. read the rest again page by page into the CSV (cells only);
 * 4. per group: start the job, record it with its rows' Salesforce Ids (before the upload: a restart
 *    reconciles it instead of sending its rows again), upload, poll to the end, store each created
 *    item as its command's progress, write the values the file could not carry;
 * 5. send every held command through the dispatcher, page by page: created ones link their item
 *    from the stored progress (no monday request), the others go through the create handler.
 * Returns how many commands it held (0: nothing was waiting).
 */
export async function runPagedJob(s: PagedJobSettings): Promise<number> {
  const held: number[] = [];
  const clock = () => performance.now();
  // One lease for the whole claim, from its first page to the last command handed to the dispatcher:
  // it renews every row still waiting (while the rows are claimed, while the job runs, and while
  // earlier pages are sent) and fences the job's writes.
  const lease = new ClaimLease(s.pool, [], randomUUID(), { leaseMs: s.dispatcher.leaseMs, writeLeaseMs: s.dispatcher.writeLeaseMs, clock, claimedAt: clock() });
  lease.keepRenewed();
  let recorded = false;
  try {
    const candidates = await claimJobRows(s, lease, held);
    if (held.length === 0) return 0;
    const inFile = await withoutExistingItems(s, candidates);
    const groups = await buildFiles(s, lease.token, inFile);
    for (const [groupId, group] of groups) {
      recorded = true;
      await runJob(s, lease, groupId, group);
    }
    await markHeldNotCreated(s.pool, held, lease.token);
    await sendHeld(s, lease, held);
    return held.length;
  } catch (error) {
    // Nothing recorded: nothing reached monday, the rows go in a later job. A recorded job is
    // reconciled before anything is sent again; its commands wait for the lease to expire.
    if (!recorded) await releaseCommands(s.pool, held, lease.token).catch(() => undefined);
    throw error;
  } finally {
    lease.stop();
  }
}

/**
 * One of the job's writes to monday, fenced by its claim as the dispatcher's are: the claim is
 * confirmed for every row the job holds and extended to the write lease before it starts (a job
 * whose rows were taken over sends nothing more), and no request of it runs past that lease.
 */
async function fencedWrite<T>(lease: ClaimLease, write: () => Promise<T>): Promise<T> {
  await lease.beginWrite(lease.leaseMs / 2);
  try {
    return await runWithWriteDeadline(lease.deadline(), write);
  } finally {
    lease.endWrite();
    // Back to the plain lease at once: a job stopped now leaves its rows to a later one after it.
    await lease.confirm().catch(() => undefined);
  }
}

async function claimJobRows(s: PagedJobSettings, lease: ClaimLease, held: number[]): Promise<Array<HeldCreate & { conditions: ReturnType<typeof matchConditions> }>> {
  const pageSize = s.pageSize ?? 1_000;
  const idColumn = s.object.mapping.monday.salesforceIdColumn;
  const candidates: Array<HeldCreate & { conditions: ReturnType<typeof matchConditions> }> = [];
  while (held.length < s.rowsPerJob) {
    const claimedAt = performance.now();
    const page = await claimBoardCreates(s.pool, { boardId: s.object.board.id, limit: Math.min(pageSize, s.rowsPerJob - held.length), leaseMs: s.dispatcher.leaseMs, claimToken: lease.token });
    if (page.length === 0) break;
    lease.add(page.map((c) => c.id), claimedAt);
    for (const c of page) {
      held.push(c.id);
      if (!isJobRow(c, s.object, idColumn)) continue;
      candidates.push({ commandId: c.id, salesforceId: to18(c.command.salesforceId), conditions: matchConditions(s.object, c.command.values) });
    }
  }
  return candidates;
}

/** A create of this object into its Id column; anything else is left to the create handler. */
function isJobRow(c: ClaimedCommand, object: ResolvedObject, idColumn: string): c is ClaimedCommand & { command: { kind: 'monday.create_item' } } {
  return c.command.kind === 'monday.create_item' && c.command.objectKey === object.mapping.key && (c.command.salesforceIdColumn ?? idColumn) === idColumn;
}

/** Steps 2-3 of the create handler for the whole job at once: only commands no item may belong to. */
async function withoutExistingItems<T extends HeldCreate & { conditions: ReturnType<typeof matchConditions> }>(s: PagedJobSettings, candidates: T[]): Promise<T[]> {
  if (candidates.length === 0) return [];
  const boardId = s.object.board.id;
  const idColumn = s.object.mapping.monday.salesforceIdColumn;
  const values = candidates.flatMap((c) => [c.salesforceId, c.salesforceId.slice(0, 15)]);
  const holding = new Set<string>();
  for (const item of await s.monday.findItemsByColumnValues(boardId, [{ columnId: idColumn, values }], { columnIds: [idColumn] })) {
    const text = item.columnValues.find((v) => v.id === idColumn)?.text?.trim() ?? '';
    if (item.state === 'active' && text) holding.add(to18(text));
  }
  const free = candidates.filter((c) => !holding.has(c.salesforceId));
  const wanted = free.filter((c) => c.conditions.length > 0).map((c) => ({ key: c.commandId, conditions: c.conditions, salesforceIdColumn: idColumn }));
  const matched = wanted.length > 0 ? await matchItemsByRules(s.monday, boardId, wanted, { linkedItems: s.linkedItems, countRequest: () => undefined }) : new Map();
  return free.filter((c) => !matched.has(c.commandId));
}

async function buildFiles(s: PagedJobSettings, claimToken: string, rows: readonly HeldCreate[]): Promise<Map<string, GroupFile>> {
  const pageSize = s.pageSize ?? 1_000;
  const idColumn = s.object.mapping.monday.salesforceIdColumn;
  const groups = new Map<string, GroupFile>();
  for (let at = 0; at < rows.length; at += pageSize) {
    const page = await readHeld(s.pool, rows.slice(at, at + pageSize).map((r) => r.commandId), claimToken);
    for (const c of page.sort((a, b) => a.id - b.id)) {
      if (c.command.kind !== 'monday.create_item') continue;
      const mutation = createItemMutation(c.command, idColumn);
      const groupId = mutation.groupId ?? defaultGroup(s.object);
      let group = groups.get(groupId);
      if (!group) groups.set(groupId, (group = { file: new ImportFileBuilder(s.object.board.columns), rows: [], leftOver: new Map() }));
      const rest = group.file.add(mutation);
      if (Object.keys(rest).length > 0) group.leftOver.set(group.rows.length, { values: rest, createLabelsIfMissing: mutation.createLabelsIfMissing });
      group.rows.push({ commandId: c.id, salesforceId: to18(c.command.salesforceId) });
    }
  }
  return groups;
}

function defaultGroup(object: ResolvedObject): string {
  const group = object.mapping.monday.group ?? object.board.groups[0]?.id;
  if (!group) throw new MondayError('PERMANENT', `board ${object.board.id} has no group to import items into`, { boardId: object.board.id });
  return group;
}

async function runJob(s: PagedJobSettings, lease: ClaimLease, groupId: string, group: GroupFile): Promise<void> {
  const boardId = s.object.board.id;
  const salesforceIds = group.rows.map((r) => r.salesforceId);
  const job = await fencedWrite(lease, () => s.bulk.startJob(s.kind, boardId, groupId));
  await recordJob(s.pool, { jobId: job.jobId, objectKey: s.object.mapping.key, boardId, kind: s.kind, salesforceIds });
  s.onJob?.({ jobId: job.jobId, kind: s.kind, rows: group.rows.length, percent: 0, state: 'UPLOADING' });
  await fencedWrite(lease, () => s.bulk.upload(job.uploadUrl, group.file.csv()));
  await markUploaded(s.pool, job.jobId);
  const status = await pollToEnd(s, job.jobId, group.rows.length);
  await markFinished(s.pool, job.jobId, status);
  if (status.state !== 'COMPLETED' || !status.reportUrl) {
    // Its rows go through the create handler (mutations), which looks for an item each may have made.
    s.onJob?.({ jobId: job.jobId, kind: s.kind, rows: group.rows.length, percent: 100, state: `${status.state}: ${jobFailure(s.kind, job.jobId, status, boardId).message}` });
    return;
  }
  const created = await storeCreatedItems(s.pool, { boardId, salesforceIds }, await s.bulk.report(status.reportUrl));
  await writeLeftOver(s, lease, group, created);
}

/**
 * Values the file could not carry, written to the created items as a create_item mutation would
 * have. A failed write clears its command's progress: the create handler then finds the item by its
 * Id column and links it with no values, so the projector sends the record's values as differences.
 */
async function writeLeftOver(s: PagedJobSettings, lease: ClaimLease, group: GroupFile, created: Map<string, string>): Promise<void> {
  const follow: Array<{ commandId: number; mutation: MondayMutation }> = [];
  for (const [index, rest] of group.leftOver) {
    const row = group.rows[index];
    const itemId = row ? created.get(row.salesforceId) : undefined;
    if (row && itemId) follow.push({ commandId: row.commandId, mutation: { kind: 'change_column_values', itemId, columnValues: rest.values, createLabelsIfMissing: rest.createLabelsIfMissing } });
  }
  if (follow.length === 0) return;
  let answered: Awaited<ReturnType<MondayPort['applyMutations']>> = [];
  try {
    answered = await fencedWrite(lease, () => s.monday.applyMutations(s.object.board.id, follow.map((f) => f.mutation)));
  } catch (error) {
    if (isLeaseLost(error)) {
      // Not written: those still ours are linked with no values later, and the values sent as differences.
      await clearHeldProgress(s.pool, follow.map((f) => f.commandId), lease.token);
      throw error;
    }
    answered = [];
  }
  const unwritten = follow.filter((_, k) => !answered[k]?.ok).map((f) => f.commandId);
  await clearHeldProgress(s.pool, unwritten, lease.token);
}

/**
 * Step 5, page by page. The claim's lease keeps renewing the pages still waiting while earlier ones
 * are sent (a page of creates the job did not make may take minutes of create_item requests); each
 * page is then handed to the dispatcher's own lease, which confirms it before sending anything.
 */
async function sendHeld(s: PagedJobSettings, lease: ClaimLease, held: readonly number[]): Promise<void> {
  const pageSize = s.pageSize ?? 1_000;
  for (let at = 0; at < held.length; at += pageSize) {
    const ids = held.slice(at, at + pageSize);
    const page = await readHeld(s.pool, ids, lease.token);
    await lease.handOver(ids);
    await s.dispatcher.dispatchHeld(page.sort((a, b) => a.id - b.id), lease.token);
  }
}
