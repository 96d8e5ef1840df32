import { COMPLEXITY_FIELDS } from './documents';
import type { MondayMutation } from './monday.port';

/**
 * One request carrying several writes to one board as aliased mutations (`m0: create_item(...)`,
 * `m1: change_multiple_column_values(...)`). monday runs the aliases in order and reports errors
 * per alias (`path: ["m1"]`, monday.md 4), so each mutation gets its own outcome. Values go in
 * variables, never spliced into the text; column values are JSON-encoded strings (type JSON).
 */
export interface MutationBatchRequest {
  document: string;
  variables: Record<string, unknown>;
  /** aliases[i] is the alias of mutations[i]. */
  aliases: string[];
}

export function aliasOf(index: number): string {
  return `m${index}`;
}

export function buildMutationBatch(boardId: string, mutations: readonly MondayMutation[]): MutationBatchRequest {
  const declarations: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  // Declared only when used: GraphQL rejects an operation with an unused variable.
  if (mutations.some((m) => m.kind !== 'archive_item' && m.kind !== 'delete_item' && m.kind !== 'create_update')) {
    declarations.push('$b: ID!');
    variables.b = boardId;
  }
  const aliases: string[] = [];

  mutations.forEach((mutation, i) => {
    const alias = aliasOf(i);
    aliases.push(alias);
    const declare = (name: string, type: string, value: unknown): string => {
      declarations.push(`$${name}${i}: ${type}`);
      variables[`${name}${i}`] = value;
      return `$${name}${i}`;
    };
    switch (mutation.kind) {
      case 'create_item': {
        const args = [
          'board_id: $b',
          `item_name: ${declare('n', 'String!', mutation.name)}`,
          `column_values: ${declare('cv', 'JSON', JSON.stringify(mutation.columnValues))}`,
        ];
        if (mutation.groupId !== null) args.push(`group_id: ${declare('g', 'String', mutation.groupId)}`);
        if (mutation.createLabelsIfMissing) args.push(`create_labels_if_missing: ${declare('l', 'Boolean', true)}`);
        fields.push(`${alias}: create_item(${args.join(', ')}) { id }`);
        break;
      }
      case 'change_column_values': {
        const args = [
          'board_id: $b',
          `item_id: ${declare('i', 'ID!', mutation.itemId)}`,
          `column_values: ${declare('cv', 'JSON!', JSON.stringify(mutation.columnValues))}`,
        ];
        if (mutation.createLabelsIfMissing) args.push(`create_labels_if_missing: ${declare('l', 'Boolean', true)}`);
        fields.push(`${alias}: change_multiple_column_values(${args.join(', ')}) { id }`);
        break;
      }
      case 'rename_item': {
        // The item name is the `name` column: one change_multiple_column_values renames it.
        const item = declare('i', 'ID!', mutation.itemId);
        const values = declare('cv', 'JSON!', JSON.stringify({ name: mutation.name }));
        fields.push(`${alias}: change_multiple_column_values(board_id: $b, item_id: ${item}, column_values: ${values}) { id }`);
        break;
      }
      case 'archive_item':
        fields.push(`${alias}: archive_item(item_id: ${declare('i', 'ID!', mutation.itemId)}) { id }`);
        break;
      case 'delete_item':
        fields.push(`${alias}: delete_item(item_id: ${declare('i', 'ID!', mutation.itemId)}) { id }`);
        break;
      case 'create_update':
        // `id` is the update's: the outcome names the item, as for every other mutation.
        fields.push(`${alias}: create_update(item_id: ${declare('i', 'ID!', mutation.itemId)}, body: ${declare('t', 'String!', mutation.body)}) { id item_id }`);
        break;
      default: {
        const unhandled: never = mutation;
        throw new Error(`unhandled mutation ${JSON.stringify(unhandled)}`);
      }
    }
  });

  const signature = declarations.length > 0 ? `(${declarations.join(', ')})` : '';
  const document = `mutation MutationBatch${signature} {\n  ${fields.join('\n  ')}\n  ${COMPLEXITY_FIELDS}\n}`;
  return { document, variables, aliases };
}
