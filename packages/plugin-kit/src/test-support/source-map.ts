// Just enough of the source map format (v3) to check where generated code comes from.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export interface SourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  mappings: string;
}

export interface MappedPosition {
  source: string;
  /** 1-based, as editors count. */
  line: number;
  column: number;
}

function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) throw new Error(`not base64 VLQ: ${segment}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Where the generated code at `line`:`column` (1-based line, 0-based column) comes from: the
 * segment starting at or just before that column on that line.
 */
export function originalPosition(
  map: SourceMap,
  line: number,
  column: number,
): MappedPosition | null {
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  const lines = map.mappings.split(';');
  let found: MappedPosition | null = null;
  for (const [index, text] of lines.entries()) {
    let generatedColumn = 0;
    for (const segment of text.split(',').filter((s) => s !== '')) {
      const [dColumn = 0, dSource, dLine, dSourceColumn] = decodeSegment(segment);
      generatedColumn += dColumn;
      if (dSource === undefined || dLine === undefined || dSourceColumn === undefined) continue;
      source += dSource;
      sourceLine += dLine;
      sourceColumn += dSourceColumn;
      if (index === line - 1 && generatedColumn <= column) {
        found = { source: map.sources[source] ?? '?', line: sourceLine + 1, column: sourceColumn };
      }
    }
    if (index === line - 1) return found;
  }
  return null;
}

/** The 1-based line and 0-based column of the first occurrence of `needle`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)?.length ?? 0 };
}
