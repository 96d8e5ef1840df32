import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { formatPath, type MappingProblem, type PathSegment } from './mapping-problem';
import type { MappingSource, SourcePosition } from './mapping.types';

export type MappingFormat = 'yaml' | 'json';

export interface ParsedMappingText {
  /** The plain data (JSON-compatible), or undefined when the text could not be parsed at all. */
  readonly data: unknown;
  readonly source: MappingSource;
  readonly problems: readonly MappingProblem[];
}

/**
 * Parses YAML or JSON keeping where every key and item is, so problems found later name a line.
 * JSON goes through JSON.parse first (strict syntax), then through the YAML parser for positions
 * (JSON is YAML 1.2).
 */
export function parseMappingText(text: string, file: string, format: MappingFormat): ParsedMappingText {
  const positions = new Map<string, SourcePosition>();
  const source: MappingSource = { file, positions };
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      return { data: undefined, source, problems: [jsonSyntaxProblem(text, error)] };
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
  const problems: MappingProblem[] = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const at = { line, col };
    return {
      code: 'SYNTAX',
      severity: 'error',
      path: '',
      message: `${format === 'json' ? 'JSON' : 'YAML'} syntax: ${firstLine(error.message)}`,
      line: at.line,
      column: at.col,
    };
  });
  if (problems.length > 0) return { data: undefined, source, problems };

  const toPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  positions.set('', { line: 1, column: 1 });
  if (doc.contents) collectPositions(doc.contents, [], positions, toPosition);
  return { data: doc.toJS({ maxAliasCount: 1000 }) as unknown, source, problems: [] };
}

/** A key's position stands for its value (the line a user looks at is the `monday:` line). */
function collectPositions(
  node: Node,
  path: PathSegment[],
  positions: Map<string, SourcePosition>,
  toPosition: (offset: number) => SourcePosition,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = [...path, key];
      const range = (isScalar(keyNode) ? keyNode.range : undefined) ?? (pair.value as Node | null)?.range;
      if (range) positions.set(formatPath(childPath), toPosition(range[0]));
      if (pair.value && typeof pair.value === 'object') collectPositions(pair.value as Node, childPath, positions, toPosition);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const childPath = [...path, index];
      const range = (item as Node | null)?.range;
      if (range) positions.set(formatPath(childPath), toPosition(range[0]));
      if (item && typeof item === 'object') collectPositions(item as Node, childPath, positions, toPosition);
    });
  }
}

function jsonSyntaxProblem(text: string, error: unknown): MappingProblem {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /position (\d+)/.exec(message);
  const base = { code: 'SYNTAX' as const, severity: 'error' as const, path: '', message: `JSON syntax: ${message}` };
  if (!offset) return base;
  const before = text.slice(0, Number(offset[1]));
  const lines = before.split('\n');
  return { ...base, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
