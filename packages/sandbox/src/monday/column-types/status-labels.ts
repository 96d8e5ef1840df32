import type { ColumnRecord } from '../state/model';

export interface LabelColor {
  color: string;
  border: string;
  var_name: string;
}

/** monday's status colours by colour id; a label created by colour gets the colour's id (reference 5.3). */
export const STATUS_COLORS: Record<number, LabelColor> = {
  0: { color: '#fdab3d', border: '#e99729', var_name: 'orange' },
  1: { color: '#00c875', border: '#00b461', var_name: 'green-shadow' },
  2: { color: '#df2f4a', border: '#ce3048', var_name: 'red-shadow' },
  3: { color: '#007eb5', border: '#3db0df', var_name: 'blue-links' },
  4: { color: '#9d50dd', border: '#9238af', var_name: 'purple' },
  5: { color: '#c4c4c4', border: '#b0b0b0', var_name: 'grey' },
  6: { color: '#037f4c', border: '#006e41', var_name: 'grass-green' },
  7: { color: '#579bfc', border: '#4387e8', var_name: 'bright-blue' },
  8: { color: '#cab641', border: '#c0ab31', var_name: 'saladish' },
  9: { color: '#ffcb00', border: '#c29e11', var_name: 'egg_yolk' },
  10: { color: '#e2445c', border: '#ce3048', var_name: 'dark-red' },
  11: { color: '#ff158a', border: '#e01279', var_name: 'sofia_pink' },
  12: { color: '#784bd1', border: '#8f4dc4', var_name: 'dark_purple' },
  13: { color: '#66ccff', border: '#4ebbf5', var_name: 'chili-blue' },
  14: { color: '#bb3354', border: '#a42d4a', var_name: 'dark-pink' },
  15: { color: '#ff7575', border: '#ff5b5b', var_name: 'tan' },
  16: { color: '#7f5347', border: '#6e4639', var_name: 'brown' },
  17: { color: '#9cd326', border: '#89b921', var_name: 'lime-green' },
  18: { color: '#225091', border: '#1d4680', var_name: 'navy' },
  19: { color: '#ff642e', border: '#e55a27', var_name: 'dark-orange' },
};

/** The empty status label id (reference 5.3). */
export const EMPTY_STATUS_ID = 5;

export interface StatusSettings {
  done_colors: number[];
  labels: Record<string, string>;
  labels_positions_v2: Record<string, number>;
  labels_colors: Record<string, LabelColor>;
}

/** Settings of a status column with the given labels (id -> text); default = Working on it / Done / Stuck. */
export function statusSettings(
  labels: Record<number, string> = { 0: 'Working on it', 1: 'Done', 2: 'Stuck' },
  doneIds = [1],
  /** Display order of the label ids (default: ascending ids). */
  order?: number[],
): StatusSettings {
  const settings: StatusSettings = { done_colors: doneIds, labels: {}, labels_positions_v2: {}, labels_colors: {} };
  let position = 0;
  const ids = order ?? Object.keys(labels).map(Number);
  for (const [id, text] of ids.map((i) => [String(i), labels[i]] as const)) {
    settings.labels[id] = text;
    settings.labels_positions_v2[id] = position++;
    settings.labels_colors[id] = STATUS_COLORS[Number(id)] ?? STATUS_COLORS[5];
  }
  settings.labels_positions_v2[String(EMPTY_STATUS_ID)] = position;
  return settings;
}

export function readStatusSettings(column: ColumnRecord): StatusSettings {
  return column.settings as unknown as StatusSettings;
}

export function labelIdByText(settings: StatusSettings, text: string): number | undefined {
  for (const [id, label] of Object.entries(settings.labels)) if (label === text) return Number(id);
  return undefined;
}

/** Adds a label with the first free colour id (never the empty id 5); undefined when all colours are taken. */
export function addStatusLabel(settings: StatusSettings, text: string): number | undefined {
  for (let id = 0; id <= 40; id++) {
    if (id === EMPTY_STATUS_ID || settings.labels[String(id)] !== undefined) continue;
    settings.labels[String(id)] = text;
    settings.labels_positions_v2[String(id)] = Object.keys(settings.labels_positions_v2).length;
    settings.labels_colors[String(id)] = STATUS_COLORS[id] ?? STATUS_COLORS[5];
    return id;
  }
  return undefined;
}
