import { createHash } from 'node:crypto';
import { candidateKey, type Candidate, type CandidateKind } from './candidate';
import type { ClusterMember, DuplicateCluster, DuplicateReason } from './duplicate-cluster';
import { personName, similarOrganisations, similarPeople, type PersonName } from './name-similarity';
import { emailKey, organisationDomainOfEmail, organisationKey, phoneE164, websiteDomain } from './normalise';
import { proposeMaster, type Entity } from './propose-master';
import { UnionFind } from './union-find';

export interface FindClustersOptions {
  readonly objectKey: string;
  readonly kind: CandidateKind;
  /** Country of national phone numbers (the mapping's phone country rules). */
  readonly phoneCountry?: string;
  /** Called as records are indexed (progress); `done` of `total`. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ClusterSearch {
  readonly clusters: DuplicateCluster[];
  /** Name blocks larger than BLOCK_LIMIT, whose names were not compared pairwise (e-mail and phone still were). */
  readonly oversizedBlocks: number;
}

/** Records per name block compared pairwise: 1,000 is at most ~500,000 comparisons per block. */
export const BLOCK_LIMIT = 1_000;
const REASON_ORDER: readonly DuplicateReason[] = ['email', 'phone', 'name'];

/**
 * Clusters of records that are probably the same person or organisation, without comparing all
 * pairs: records are grouped ("blocked") by normalised keys (e-mail, E.164 phone, organisation or
 * domain plus a name prefix) and only records sharing a key are compared. A record and the item
 * the sync links it to are one entity: never a duplicate of each other.
 */
export function findClusters(candidates: readonly Candidate[], options: FindClustersOptions): ClusterSearch {
  const entities = groupLinked(candidates);
  const entityOf = new Map<string, number>();
  entities.forEach((entity, index) => entity.members.forEach((m) => entityOf.set(candidateKey(m), index)));
  const sets = new UnionFind(entities.length);
  const edges: Array<{ a: number; b: number; reason: DuplicateReason }> = [];
  const join = (a: number, b: number, reason: DuplicateReason) => {
    if (a === b) return;
    edges.push({ a, b, reason });
    sets.union(a, b);
  };

  const byEmail = new Map<string, number[]>();
  const byPhone = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const names: Array<PersonName | string | null> = [];
  candidates.forEach((candidate, index) => {
    const entity = entityOf.get(candidateKey(candidate))!;
    for (const email of candidate.emails) {
      const key = emailKey(email);
      if (key) push(byEmail, key, entity);
    }
    for (const phone of candidate.phones) {
      const key = phoneE164(phone, options.phoneCountry);
      if (key) push(byPhone, key, entity);
    }
    names.push(nameOf(candidate, options.kind));
    for (const block of nameBlocks(candidate, options.kind)) push(byName, block, index);
    if (index % 5_000 === 0) options.onProgress?.(index, candidates.length);
  });
  options.onProgress?.(candidates.length, candidates.length);

  for (const group of byEmail.values()) for (const other of group.slice(1)) join(group[0]!, other, 'email');
  for (const group of byPhone.values()) for (const other of group.slice(1)) join(group[0]!, other, 'phone');
  let oversizedBlocks = 0;
  const compared = new Set<string>();
  for (const [block, members] of byName) {
    if (members.length < 2) continue;
    if (members.length > BLOCK_LIMIT) {
      oversizedBlocks++;
      continue;
    }
    const sameDomain = block.startsWith('domain:');
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = entityOf.get(candidateKey(candidates[members[i]!]!))!;
        const b = entityOf.get(candidateKey(candidates[members[j]!]!))!;
        if (a === b) continue;
        const pair = a < b ? `${a}:${b}` : `${b}:${a}`;
        if (compared.has(pair)) continue;
        compared.add(pair);
        if (similarNames(names[members[i]!]!, names[members[j]!]!, sameDomain)) join(a, b, 'name');
      }
    }
  }
  return { clusters: toClusters(entities, sets, edges, options.objectKey), oversizedBlocks };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/** Linked pairs (both sides read) become one entity; every other record is an entity alone. */
function groupLinked(candidates: readonly Candidate[]): Entity[] {
  const items = new Map(candidates.filter((c) => c.crm === 'monday').map((c) => [c.id, c]));
  const paired = new Set<string>();
  const entities: Entity[] = [];
  for (const record of candidates) {
    if (record.crm !== 'salesforce') continue;
    const item = record.linkedTo ? items.get(record.linkedTo) : undefined;
    if (item && !paired.has(item.id)) {
      paired.add(item.id);
      entities.push({ members: [record, item] });
    } else entities.push({ members: [record] });
  }
  for (const item of items.values()) if (!paired.has(item.id)) entities.push({ members: [item] });
  return entities;
}

function nameOf(candidate: Candidate, kind: CandidateKind): PersonName | string | null {
  if (kind === 'organisation') return candidate.company ?? candidate.name;
  return personName(candidate.firstName, candidate.lastName, candidate.name);
}

function similarNames(a: PersonName | string, b: PersonName | string, sameDomain: boolean): boolean {
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' && similarOrganisations(a, b, sameDomain);
  return similarPeople(a, b);
}

/**
 * Name blocks: people only within one organisation (company name, account, or the e-mail's
 * non-free domain), by the first two letters of the last name and, to survive a typo there, of the
 * first name; organisations by their folded name and by their web or e-mail domain.
 */
function nameBlocks(candidate: Candidate, kind: CandidateKind): string[] {
  const domains = new Set<string>();
  for (const email of candidate.emails) {
    const key = emailKey(email);
    const domain = key ? organisationDomainOfEmail(key) : null;
    if (domain) domains.add(domain);
  }
  const website = websiteDomain(candidate.website);
  if (website) domains.add(website);
  if (kind === 'organisation') {
    const name = organisationKey(candidate.company ?? candidate.name);
    if (!name) return [];
    return [`org:${name}`, ...[...domains].map((d) => `domain:${d}`)];
  }
  const person = personName(candidate.firstName, candidate.lastName, candidate.name);
  if (!person || person.last === '') return [];
  const contexts = [...domains].map((d) => `domain:${d}`);
  const company = organisationKey(candidate.company);
  if (company) contexts.push(`company:${company}`);
  if (candidate.organisationRef) contexts.push(`ref:${candidate.organisationRef}`);
  const prefixes = [`last:${person.last.slice(0, 2)}`, ...(person.first ? [`first:${person.first.slice(0, 2)}`] : [])];
  return contexts.flatMap((context) => prefixes.map((prefix) => `${context}|${prefix}`));
}

function toClusters(entities: readonly Entity[], sets: UnionFind, edges: ReadonlyArray<{ a: number; b: number; reason: DuplicateReason }>, objectKey: string): DuplicateCluster[] {
  const reasonsByRoot = new Map<number, Set<DuplicateReason>>();
  for (const edge of edges) {
    const root = sets.find(edge.a);
    const reasons = reasonsByRoot.get(root) ?? new Set<DuplicateReason>();
    reasons.add(edge.reason);
    reasonsByRoot.set(root, reasons);
  }
  const entitiesByRoot = new Map<number, Entity[]>();
  entities.forEach((entity, index) => {
    const root = sets.find(index);
    if (!reasonsByRoot.has(root)) return;
    const list = entitiesByRoot.get(root) ?? [];
    list.push(entity);
    entitiesByRoot.set(root, list);
  });
  const clusters: DuplicateCluster[] = [];
  for (const [root, group] of entitiesByRoot) {
    const members = group.flatMap((e) => e.members).map(toMember).sort((a, b) => memberOrder(a).localeCompare(memberOrder(b)));
    const reasons = REASON_ORDER.filter((r) => reasonsByRoot.get(root)!.has(r));
    const master = proposeMaster(group);
    clusters.push({
      id: clusterId(objectKey, members),
      object: objectKey,
      reason: reasons.join(', '),
      reasons,
      master: { crm: master.crm, id: master.id },
      masterReason: master.why,
      members,
    });
  }
  return clusters.sort((a, b) => a.id.localeCompare(b.id));
}

function toMember(candidate: Candidate): ClusterMember {
  return {
    crm: candidate.crm,
    id: candidate.id,
    name: candidate.name,
    email: candidate.emails.map((e) => e.trim()).find((e) => e !== '') ?? null,
    linkedTo: candidate.linkedTo,
    createdAt: candidate.createdAt,
    filled: candidate.filled,
  };
}

function memberOrder(member: ClusterMember): string {
  return `${member.crm}:${member.id}`;
}

/** `dup-` and 12 hex digits of SHA-256 over the object and the sorted member keys. */
export function clusterId(objectKey: string, members: readonly Pick<ClusterMember, 'crm' | 'id'>[]): string {
  const keys = members.map((m) => `${m.crm}:${m.id}`).sort();
  return `dup-${createHash('sha256').update([objectKey, ...keys].join('\n')).digest('hex').slice(0, 12)}`;
}

