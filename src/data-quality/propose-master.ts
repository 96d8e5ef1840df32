import type { Candidate, Crm } from './candidate';

/** A linked pair (one record on each side) or a record alone: what a duplicate cluster groups. */
export interface Entity {
  readonly members: readonly Candidate[];
}

export interface ProposedMaster {
  readonly crm: Crm;
  readonly id: string;
  readonly why: string;
}

interface Score {
  readonly linked: boolean;
  readonly filled: number;
  readonly createdAt: string | null;
  readonly key: string;
}

function scoreOf(entity: Entity): Score {
  const created = entity.members.map((m) => m.createdAt).filter((c): c is string => c !== null).sort();
  return {
    linked: entity.members.some((m) => m.crm === 'salesforce') && entity.members.some((m) => m.crm === 'monday'),
    filled: Math.max(...entity.members.map((m) => m.filled)),
    createdAt: created[0] ?? null,
    key: representative(entity).id,
  };
}

/** The Salesforce record of an entity when it has one (merges happen there), else its item. */
export function representative(entity: Entity): Candidate {
  return entity.members.find((m) => m.crm === 'salesforce') ?? entity.members[0]!;
}

/** Negative when a is the better master: linked, then most complete, then oldest, then the smaller id (stable). */
function compare(a: Score, b: Score): number {
  if (a.linked !== b.linked) return a.linked ? -1 : 1;
  if (a.filled !== b.filled) return b.filled - a.filled;
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1;
    if (b.createdAt === null) return -1;
    return a.createdAt < b.createdAt ? -1 : 1;
  }
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * The member to keep: one linked to the other side (its link survives the merge and nothing new
 * has to be created), else the most complete, else the oldest. `why` names the rule that decided.
 */
export function proposeMaster(entities: readonly Entity[]): ProposedMaster {
  const scored = entities.map((entity) => ({ entity, score: scoreOf(entity) })).sort((a, b) => compare(a.score, b.score));
  const best = scored[0]!;
  const runnerUp = scored[1]?.score;
  const master = representative(best.entity);
  return { crm: master.crm, id: master.id, why: decidingRule(best.entity, best.score, runnerUp) };
}

function decidingRule(entity: Entity, best: Score, runnerUp: Score | undefined): string {
  if (best.linked && runnerUp?.linked !== true) {
    const item = entity.members.find((m) => m.crm === 'monday');
    return `linked to the other side (monday item ${item?.id})`;
  }
  if (runnerUp && best.filled !== runnerUp.filled) return `most complete (${best.filled} values filled, next ${runnerUp.filled})`;
  if (runnerUp && best.createdAt !== runnerUp.createdAt && best.createdAt !== null) return `oldest (created ${best.createdAt})`;
  return 'first by id (members are equally linked, complete and old)';
}
