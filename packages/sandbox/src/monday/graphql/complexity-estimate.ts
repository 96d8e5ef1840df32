import type { DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { Kind, valueFromASTUntyped } from 'graphql';
import type { ComplexityCosts } from '../emulator-options';

/**
 * Static complexity estimate, the emulator's model of monday's cost (reference 6.1, not documented in
 * detail `[?]`): every field costs 1, a list field multiplies its selection by the number of objects it
 * can return (its `limit`, or the number of `ids`), mutations cost their fixed price (create_item
 * 10,000) plus their selection.
 */
export function estimateComplexity(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  costs: ComplexityCosts,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const args = (field: FieldNode): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const arg of field.arguments ?? []) out[arg.name.value] = valueFromASTUntyped(arg.value, variables);
    return out;
  };

  const listSize = (field: FieldNode, atRoot: boolean): number => {
    const a = args(field);
    const ids = Array.isArray(a.ids) ? a.ids.length : undefined;
    const limit = typeof a.limit === 'number' ? a.limit : undefined;
    switch (field.name.value) {
      case 'boards':
        return ids ?? limit ?? 25;
      case 'items':
        return atRoot ? Math.min(ids ?? 25, limit ?? 25) : 1;
      case 'items_page':
      case 'next_items_page':
      case 'items_page_by_column_values':
        return limit ?? 25;
      case 'users':
        return ids ?? Math.min(limit ?? 200, 1000);
      case 'column_values':
      case 'columns':
        return ids ?? 25;
      case 'groups':
        return ids ?? 10;
      case 'updates':
      case 'activity_logs':
        return limit ?? 25;
      case 'linked_items':
      case 'webhooks':
        return 10;
      default:
        return 1;
    }
  };

  const selectionCost = (set: SelectionSetNode | undefined, atRoot: boolean): number => {
    if (!set) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        const children = selectionCost(sel.selectionSet, false);
        const own = atRoot && operation.operation === 'mutation' ? (costs.mutations[sel.name.value] ?? costs.defaultMutation) : 1;
        total += sel.name.value === 'complexity' ? 0 : own + listSize(sel, atRoot) * children;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += selectionCost(sel.selectionSet, atRoot);
      } else {
        total += selectionCost(fragments.get(sel.name.value)?.selectionSet, atRoot);
      }
    }
    return total;
  };

  return Math.ceil(selectionCost(operation.selectionSet, true));
}
