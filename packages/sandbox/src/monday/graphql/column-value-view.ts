import type { ColumnTypeRules } from '../column-types/column-type';
import { rulesFor } from '../column-types/registry';
import type { ColumnRecord, ItemRecord } from '../state/model';
import { isoMillis } from '../time-format';
import type { GraphqlContext } from './graphql-context';

/** One cell as the ColumnValue interface and its typed implementations read it; fields computed on demand. */
export class ColumnValueView {
  private readonly rules: ColumnTypeRules<unknown>;
  private typedFields: Record<string, unknown> | undefined;

  constructor(
    readonly item: ItemRecord,
    readonly column: ColumnRecord,
    private readonly ctx: GraphqlContext,
  ) {
    this.rules = rulesFor(column.type);
  }

  field(name: string): unknown {
    const stored = this.item.values[this.column.id];
    const columnCtx = this.ctx.core.columnContext(this.column, this.ctx.apiVersion);
    switch (name) {
      case 'id':
        return this.column.id;
      case 'type':
        return this.column.type;
      case 'column':
        return this.column;
      case 'is_leaf':
        return true;
      case 'text':
        return this.rules.text(stored?.data, columnCtx);
      case 'value': {
        if (!stored) return null;
        const value = this.rules.value(stored.data, isoMillis(stored.changedAt), columnCtx);
        return value === null ? null : JSON.stringify(value);
      }
      case 'linked_items': {
        const ids = (this.typed().linked_item_records as number[] | undefined) ?? [];
        return ids.map((id) => this.ctx.core.store.items.get(id)).filter((i) => i !== undefined);
      }
      default:
        return this.typed()[name] ?? null;
    }
  }

  private typed(): Record<string, unknown> {
    if (!this.typedFields) {
      const stored = this.item.values[this.column.id];
      this.typedFields = this.rules.typed(
        stored?.data,
        stored ? isoMillis(stored.changedAt) : null,
        this.ctx.core.columnContext(this.column, this.ctx.apiVersion),
      );
    }
    return this.typedFields;
  }
}
