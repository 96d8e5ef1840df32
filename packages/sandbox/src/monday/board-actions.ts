import type { Clock } from '../clock';
import type { BoardEventListener } from './board-events';
import { isValueColumnType, rulesFor } from './column-types/registry';
import { statusSettings } from './column-types/status-labels';
import { invalidArgument, MondayApiError } from './errors';
import type { SeededRandom } from './random';
import type { BoardRecord, ColumnRecord, ColumnTypeName, GroupRecord } from './state/model';
import type { MondayStore } from './state/store';

export interface ColumnSpec {
  id: string;
  title: string;
  type: ColumnTypeName;
  settings?: Record<string, unknown>;
  description?: string;
}

export interface GroupSpec {
  id: string;
  title: string;
  color?: string;
}

export interface BoardSpec {
  id?: number;
  name: string;
  kind?: BoardRecord['kind'];
  description?: string;
  ownerId: number;
  columns: ColumnSpec[];
  groups: GroupSpec[];
}

const GROUP_COLORS = ['#579bfc', '#00c875', '#a25ddc', '#fdab3d', '#e2445c', '#cab641', '#037f4c', '#ff642e'];
const ID_PREFIX: Partial<Record<ColumnTypeName, string>> = { numbers: 'numeric', people: 'people', long_text: 'long_text' };

export function nameColumn(): ColumnRecord {
  return { id: 'name', title: 'Name', type: 'name', description: null, width: null, archived: false, settings: {}, revision: 1 };
}

/** Board structure: create_board with its defaults, create_column, create_group, and seeding with fixed ids. */
export class BoardActions {
  constructor(
    private readonly store: MondayStore,
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    private readonly emit: BoardEventListener,
  ) {}

  /** A board from a spec (seed data, fixed ids); the `name` column is added first when missing. */
  seedBoard(spec: BoardSpec): BoardRecord {
    const now = this.clock.now();
    const columns = spec.columns.map((c) => this.columnRecord(c));
    if (!columns.some((c) => c.type === 'name')) columns.unshift(nameColumn());
    const board: BoardRecord = {
      id: spec.id ?? this.store.nextId('board'),
      name: spec.name,
      kind: spec.kind ?? 'public',
      state: 'active',
      description: spec.description ?? null,
      workspaceId: null,
      ownerId: spec.ownerId,
      createdAt: now,
      updatedAt: now,
      columns,
      groups: spec.groups.map((g, i) => groupRecord(g, i)),
    };
    this.store.addBoard(board);
    return board;
  }

  /**
   * create_board: a new board gets Name, Person, Status and Date columns and one group `topics`
   * (the reference does not list the defaults; these follow what the web UI creates) `[?]`.
   */
  createBoard(input: { name: string; kind: BoardRecord['kind']; description?: string | null }, actorId: number): BoardRecord {
    if (!input.name || input.name.length > 255) throw new MondayApiError('CreateBoardException', 'Board name must be 1-255 characters');
    return this.seedBoard({
      name: input.name,
      kind: input.kind,
      description: input.description ?? undefined,
      ownerId: actorId,
      columns: [
        { id: 'person', title: 'Person', type: 'people' },
        { id: 'status', title: 'Status', type: 'status' },
        { id: 'date4', title: 'Date', type: 'date' },
      ],
      groups: [{ id: 'topics', title: 'Group Title' }],
    });
  }

  createColumn(
    input: { boardId: number; id?: string | null; title: string; type: string; description?: string | null; defaults?: Record<string, unknown> | null },
    actorId: number,
  ): ColumnRecord {
    const board = this.store.boards.get(input.boardId);
    if (!board) throw invalidArgument('Board not found', { board_id: input.boardId });
    if (!isValueColumnType(input.type)) {
      throw invalidArgument(`Column type ${input.type} is not supported by the emulator`, { column_type: input.type });
    }
    let id = input.id ?? undefined;
    if (id !== undefined) {
      if (!/^[a-z0-9_]{1,20}$/.test(id)) throw invalidArgument('Column id must be 1-20 lowercase letters, digits or underscores', { column_id: id });
      if (board.columns.some((c) => c.id === id)) throw invalidArgument('Column id already exists on the board', { column_id: id });
    } else {
      do id = `${ID_PREFIX[input.type] ?? input.type}_mk${this.random.token(6)}`;
      while (board.columns.some((c) => c.id === id));
    }
    const column = this.columnRecord({ id, title: input.title, type: input.type, settings: input.defaults ?? undefined, description: input.description ?? undefined });
    board.columns.push(column);
    board.updatedAt = this.clock.now();
    this.emit({ type: 'column_created', board, column, actorId });
    return column;
  }

  createGroup(input: { boardId: number; title: string; color?: string | null }): GroupRecord {
    const board = this.store.boards.get(input.boardId);
    if (!board) throw invalidArgument('Board not found', { board_id: input.boardId });
    const group = groupRecord({ id: `new_group_mk${this.random.token(6)}`, title: input.title, color: input.color ?? undefined }, board.groups.length);
    board.groups.push(group);
    return group;
  }

  private columnRecord(spec: ColumnSpec): ColumnRecord {
    const defaults = spec.type === 'name' ? {} : spec.type === 'status' ? { ...statusSettings() } : rulesFor(spec.type).defaultSettings();
    return {
      id: spec.id,
      title: spec.title,
      type: spec.type,
      description: spec.description ?? null,
      width: null,
      archived: false,
      settings: structuredClone(spec.settings ?? defaults),
      revision: 1,
    };
  }
}

function groupRecord(spec: GroupSpec, index: number): GroupRecord {
  return {
    id: spec.id,
    title: spec.title,
    color: spec.color ?? GROUP_COLORS[index % GROUP_COLORS.length],
    position: 65536 * (index + 1),
    archived: false,
    deleted: false,
  };
}
