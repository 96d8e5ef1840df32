import type { BoardRecord, ColumnRecord, ItemRecord, ItemState, StoredValue, UpdateRecord } from './state/model';

/**
 * What happened on a board, as the webhook layer needs it. Emitted synchronously by the actions,
 * whoever made the change (API token user or a human through the control API): `actorId` is that user.
 */
export type BoardEvent =
  | { type: 'item_created'; board: BoardRecord; item: ItemRecord; actorId: number }
  | {
      type: 'column_value_changed';
      board: BoardRecord;
      item: ItemRecord;
      column: ColumnRecord;
      previous: StoredValue | undefined;
      current: StoredValue | undefined;
      actorId: number;
    }
  | { type: 'item_renamed'; board: BoardRecord; item: ItemRecord; previousName: string; actorId: number }
  | { type: 'item_deleted'; board: BoardRecord; item: ItemRecord; actorId: number }
  | { type: 'item_archived'; board: BoardRecord; item: ItemRecord; actorId: number }
  | { type: 'item_restored'; board: BoardRecord; item: ItemRecord; previousState: ItemState; actorId: number }
  | { type: 'item_moved'; board: BoardRecord; item: ItemRecord; sourceGroupId: string; actorId: number }
  | { type: 'update_created'; board: BoardRecord; item: ItemRecord; update: UpdateRecord; actorId: number }
  | { type: 'column_created'; board: BoardRecord; column: ColumnRecord; actorId: number };

export type BoardEventListener = (event: BoardEvent) => void;
