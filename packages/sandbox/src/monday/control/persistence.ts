import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { StateSnapshot } from '../state/model';

/** Loads a persisted state file, or undefined when there is none. */
export function loadState(path: string): StateSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as StateSnapshot;
  if (parsed.version !== 1) throw new Error(`${path}: unsupported monday emulator state version ${String(parsed.version)}`);
  return parsed;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file. */
export function saveState(path: string, snapshot: StateSnapshot): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
}

/** Coalesces bursts of changes into one write after `delayMs` (real time). */
export class DebouncedSaver {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly save: () => void,
    private readonly delayMs = 250,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }
}
