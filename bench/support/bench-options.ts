/** `--name value` options of a bench (process.argv), with defaults; benches stay bounded either way. */
export function numberOption(name: string, fallback: number): number {
  const raw = rawOption(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`);
  return value;
}

export function numberListOption(name: string, fallback: number[]): number[] {
  const raw = rawOption(name);
  if (raw === undefined) return fallback;
  return raw.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a comma-separated list of positive integers, got ${raw}`);
    return value;
  });
}

export function choiceOption<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = rawOption(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`--${name} must be one of ${choices.join(', ')}, got ${raw}`);
  return raw as T;
}

export function stringOption(name: string): string | undefined {
  return rawOption(name);
}

function rawOption(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
