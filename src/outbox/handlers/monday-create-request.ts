import { createHash } from 'node:crypto';
import type { Claimed } from './handler-types';

type CreateItem = Claimed<'monday.create_item'>;

/**
 * The Idempotency-Key of one request of item creations (all creates of a board in a batch go in one
 * request): named after its commands and their claims (`dispatch`), so it is saved with them and
 * found again, and a new request of the same commands (after a refusal known not to have run) gets a
 * new key: monday may keep a refusal under the old one and replay it (monday.md 1.5).
 */
export function createRequestKey(boardId: string, commands: ReadonlyArray<{ id: number; dispatch: number }>): string {
  const digest = createHash('sha256').update(commands.map((c) => `${c.id}.${c.dispatch}`).join(',')).digest('hex').slice(0, 32);
  return `crm-sync:create_item:${boardId}:${digest}`;
}

/** How far before the first send and after now the activity log is read (clocks differ; a request runs after it is sent). */
export const ACTIVITY_LOG_MARGIN_MS = 5 * 60_000;

/**
 * The time window in which the saved requests of `commands` can have made items (pure): from the
 * earliest first send (or, when unrecorded, the command's creation: nothing was sent before it) less a
 * margin, to now plus a margin (a later resend under a forgotten key made items too).
 */
export function createsWindow(commands: ReadonlyArray<Pick<CreateItem, 'progress' | 'createdAt'>>, now: Date): { from: Date; to: Date } {
  let earliest = now.getTime();
  for (const c of commands) {
    const recorded = c.progress?.mondayCreateRequest?.firstSentAt;
    const sent = recorded ? Date.parse(recorded) : Number.NaN;
    earliest = Math.min(earliest, Number.isNaN(sent) ? c.createdAt.getTime() : sent);
  }
  return { from: new Date(earliest - ACTIVITY_LOG_MARGIN_MS), to: new Date(now.getTime() + ACTIVITY_LOG_MARGIN_MS) };
}

/** A request of creates to send again as it was first sent, under its saved key. */
export interface RepeatedCreateRequest {
  key: string;
  commands: CreateItem[];
}

/**
 * Which creates go out again as the request an earlier attempt saved (pure). That attempt's outcome
 * is unknown (its instance died, or the response was lost). When every command of the request is in
 * this batch and the Id lookup missed at least one of their items, the request is sent again, whole
 * and in order, under the same Idempotency-Key: monday answers with the items the first attempt made,
 * even ones a person deleted since (the lookup does not see those), and runs it only if it never ran
 * or its answer expired (monday keeps it 30 minutes, monday.md 1.5). Other creates go the usual way.
 * `unfound`: the creates the lookup found no item for; `found`: those it found one for.
 */
export function repeatedCreateRequests(unfound: readonly CreateItem[], found: readonly CreateItem[]): { repeated: RepeatedCreateRequest[]; fresh: CreateItem[] } {
  const byId = new Map([...unfound, ...found].map((c) => [c.id, c]));
  const repeated: RepeatedCreateRequest[] = [];
  const taken = new Set<number>();
  for (const c of unfound) {
    const saved = c.progress?.mondayCreateRequest;
    if (!saved || taken.has(c.id) || !saved.commandIds.includes(c.id)) continue;
    const commands = saved.commandIds.map((id) => byId.get(id));
    const whole = commands.every((other): other is CreateItem => other !== undefined && other.progress?.mondayCreateRequest?.key === saved.key && !taken.has(other.id));
    if (!whole) continue;
    for (const other of commands) taken.add(other.id);
    repeated.push({ key: saved.key, commands });
  }
  return { repeated, fresh: unfound.filter((c) => !taken.has(c.id)) };
}
