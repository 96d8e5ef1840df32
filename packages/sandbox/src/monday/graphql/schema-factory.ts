import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { buildSchema, GraphQLInterfaceType, GraphQLObjectType } from 'graphql';
import { BULK_IMPORT_MUTATIONS, BULK_IMPORT_QUERIES } from '../bulk-import/bulk-import-resolvers';
import { versionAtLeast } from '../http/api-version';
import type { ColumnValueView } from './column-value-view';
import type { GraphqlContext } from './graphql-context';
import { MUTATION_RESOLVERS, QUERY_RESOLVERS } from './root-resolvers';
import type { SchemaFeatures } from './schema-sdl';
import { schemaSdl, VALUE_TYPE_OF } from './schema-sdl';
import { TYPE_RESOLVERS } from './type-resolvers';

const cache = new Map<string, GraphQLSchema>();

export function featuresFor(apiVersion: string): SchemaFeatures {
  return {
    typedColumnSettings: versionAtLeast(apiVersion, '2025-10'),
    isLeaf: versionAtLeast(apiVersion, '2026-10'),
    bulkImport: versionAtLeast(apiVersion, '2026-07'),
  };
}

function attach(schema: GraphQLSchema): void {
  const roots: Array<[string, Record<string, unknown>]> = [
    ['Query', { ...QUERY_RESOLVERS, ...BULK_IMPORT_QUERIES }],
    ['Mutation', { ...MUTATION_RESOLVERS, ...BULK_IMPORT_MUTATIONS }],
    ...Object.entries(TYPE_RESOLVERS),
  ];
  for (const [typeName, resolvers] of roots) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`schema has no object type ${typeName}`);
    const fields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(resolvers)) {
      const field = fields[fieldName];
      if (field) field.resolve = resolve as GraphQLFieldResolver<unknown, GraphqlContext>;
    }
  }
  const columnValue = schema.getType('ColumnValue');
  if (!(columnValue instanceof GraphQLInterfaceType)) throw new Error('schema has no ColumnValue interface');
  columnValue.resolveType = (view: ColumnValueView) => VALUE_TYPE_OF[view.column.type];
  for (const typeName of Object.values(VALUE_TYPE_OF)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      field.resolve = (view: ColumnValueView) => view.field(field.name);
    }
  }
}

/** The executable schema for an API version (built once per feature set). */
export function schemaFor(apiVersion: string): GraphQLSchema {
  const features = featuresFor(apiVersion);
  const key = JSON.stringify(features);
  let schema = cache.get(key);
  if (!schema) {
    schema = buildSchema(schemaSdl(features));
    attach(schema);
    cache.set(key, schema);
  }
  return schema;
}
