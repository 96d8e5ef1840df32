import type { ObjectMapping } from '../mapping/mapping.types';

/**
 * The order a backfill reads the mapped objects in: every object after the objects its fields
 * reference (Account before Contact and Opportunity; Lead, which references the Opportunity it was
 * converted into, after that), so a child's relation column finds its parent's item already linked.
 * Objects at the same depth keep file order; a reference cycle is cut where it is found (its
 * remaining relations resolve through the projector's waiting references instead).
 */
export function backfillOrder(objects: readonly ObjectMapping[]): ObjectMapping[] {
  const keys = new Set(objects.map((o) => o.key));
  const parentsOf = new Map(
    objects.map((o) => [o.key, o.fields.map((f) => f.reference).filter((r): r is string => r !== undefined && r !== o.key && keys.has(r))]),
  );
  // Depth = longest chain of references below an object; objects of one depth keep file order.
  const depth = new Map<string, number>();
  const depthOf = (key: string, visiting: Set<string>): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const parents = parentsOf.get(key) ?? [];
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => depthOf(p, visiting)));
    visiting.delete(key);
    depth.set(key, value);
    return value;
  };
  return objects
    .map((object, index) => ({ object, index, depth: depthOf(object.key, new Set()) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((entry) => entry.object);
}

/** The objects a run covers: all mapped objects, or the one named by `--object` (by key or Salesforce name). */
export function selectObjects(objects: readonly ObjectMapping[], wanted?: string): ObjectMapping[] | { unknown: string; known: string[] } {
  if (!wanted) return backfillOrder(objects);
  const match = objects.find((o) => o.key === wanted) ?? objects.find((o) => o.salesforce.toLowerCase() === wanted.toLowerCase());
  return match ? [match] : { unknown: wanted, known: objects.map((o) => o.key) };
}
