import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { parse, validate } from 'graphql';

export type PreparedDocument = { ok: true; document: DocumentNode } | { ok: false; errors: readonly GraphQLError[]; phase: 'parse' | 'validate' };

const MAX_ENTRIES = 1_000;

/** Parse + validate once per (schema, query text): the sync service sends the same few documents over and over. */
export class DocumentCache {
  private readonly entries = new Map<GraphQLSchema, Map<string, PreparedDocument>>();

  prepare(schema: GraphQLSchema, query: string): PreparedDocument {
    let bySchema = this.entries.get(schema);
    if (!bySchema) {
      bySchema = new Map();
      this.entries.set(schema, bySchema);
    }
    const hit = bySchema.get(query);
    if (hit) return hit;
    let prepared: PreparedDocument;
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      prepared = errors.length > 0 ? { ok: false, errors, phase: 'validate' } : { ok: true, document };
    } catch (error) {
      prepared = { ok: false, errors: [error as GraphQLError], phase: 'parse' };
    }
    if (bySchema.size >= MAX_ENTRIES) bySchema.delete(bySchema.keys().next().value as string);
    bySchema.set(query, prepared);
    return prepared;
  }
}
