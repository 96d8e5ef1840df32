import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { STATIC_DOCUMENTS } from '../../src/monday/documents';
import type { MondayMutation } from '../../src/monday/monday.port';
import { buildMutationBatch } from '../../src/monday/mutation-batch-document';
import { resumeQuery } from '../../src/monday/stream-board-items';

/** monday's official SDL (API 2026-10), vendored with its licence (vendor/monday-api/README.md). */
const SDL_PATH = path.resolve(__dirname, '../../vendor/monday-api/2026-10.graphql');

const EVERY_KIND: MondayMutation[] = [
  { kind: 'create_item', groupId: 'topics', name: 'Acme', columnValues: { status: { label: 'Done' } }, createLabelsIfMissing: true },
  { kind: 'create_item', groupId: null, name: 'No group', columnValues: {} },
  { kind: 'change_column_values', itemId: '11', columnValues: { text: 'hi', date4: { date: '2026-07-01' } } },
  { kind: 'change_column_values', itemId: '12', columnValues: { status: { label: 'New' } }, createLabelsIfMissing: true },
  { kind: 'rename_item', itemId: '13', name: 'Renamed' },
  { kind: 'archive_item', itemId: '14' },
  { kind: 'delete_item', itemId: '15' },
];

describe('every document the monday client sends validates against monday’s SDL', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync(SDL_PATH, 'utf8'));
  });

  const messages = (document: string): string[] => validate(schema, parse(document)).map((e) => e.message);

  it.each(Object.entries(STATIC_DOCUMENTS))('%s', (_name, document) => {
    expect(messages(document)).toEqual([]);
  });

  it('a generated batch holding every kind of mutation', () => {
    const batch = buildMutationBatch('123', EVERY_KIND);
    expect(batch.aliases).toHaveLength(EVERY_KIND.length);
    expect(messages(batch.document)).toEqual([]);
  });

  it('a batch of only archive and delete (no board variable)', () => {
    const batch = buildMutationBatch('123', [EVERY_KIND[5], EVERY_KIND[6]]);
    expect(batch.variables).not.toHaveProperty('b');
    expect(messages(batch.document)).toEqual([]);
  });

  it('a batch of 50 mutations', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => EVERY_KIND[i % EVERY_KIND.length]);
    expect(messages(buildMutationBatch('123', fifty).document)).toEqual([]);
  });
});

describe('mutation batch variables', () => {
  it('sends column values as JSON strings and every value through variables, never in the text', () => {
    const batch = buildMutationBatch('123', [EVERY_KIND[0], EVERY_KIND[4]]);
    expect(batch.variables).toEqual({
      b: '123',
      n0: 'Acme',
      cv0: JSON.stringify({ status: { label: 'Done' } }),
      g0: 'topics',
      l0: true,
      i1: '13',
      cv1: JSON.stringify({ name: 'Renamed' }),
    });
    expect(batch.document).not.toContain('Acme');
    expect(batch.document).toContain('m0: create_item(');
    expect(batch.document).toContain('m1: change_multiple_column_values(');
  });
});

describe('the restart query after an expired cursor', () => {
  it('keeps the caller’s filter and adds “created on or after the day of the last item”', () => {
    const query = resumeQuery(
      { rules: [{ column_id: 'status', compare_value: [1] }], operator: 'or', order_by: [{ column_id: '__creation_log__', direction: 'asc' }] },
      '2026-11-03T17:45:00Z',
    );
    expect(query).toEqual({
      operator: 'and',
      order_by: [{ column_id: '__creation_log__', direction: 'asc' }],
      rules: [{ column_id: '__creation_log__', compare_value: ['EXACT', '2026-11-03'], operator: 'greater_than_or_equals' }],
      groups: [{ rules: [{ column_id: 'status', compare_value: [1] }], groups: undefined, operator: 'or' }],
    });
  });
});
