/** Pure formatting of the bench's results: numbers, ratios and a Markdown table that also reads well on a terminal. */

const MISSING = '–';

/** Three significant figures at most, thousands grouped: 12,345 · 123 · 12.3 · 1.23 · 0.0123. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
  return Math.abs(rounded) >= 100 ? rounded.toLocaleString('en-US') : String(rounded);
}

/** A ratio to a ceiling: `0.42×`, `107×`; values under 1 % keep two significant figures (`0.0031×`). */
export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0×';
  if (Math.abs(value) >= 10) return `${formatNumber(value)}×`;
  if (Math.abs(value) >= 0.01) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

/** `p50 / p99` of a latency or lag, in milliseconds. */
export function formatPair(first: number | undefined, second: number | undefined, unit = ''): string {
  if (first === undefined && second === undefined) return MISSING;
  return `${formatNumber(first)} / ${formatNumber(second)}${unit}`;
}

/**
 * A Markdown pipe table with every column padded to its widest cell, so the same text is aligned on a
 * terminal and renders as a table in the README. Cells must not contain `|` (they are escaped if they do).
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escaped = (cell: string) => cell.replaceAll('|', '\\|');
  const all = [header, ...rows].map((row) => header.map((_, index) => escaped(row[index] ?? '')));
  const widths = header.map((_, index) => Math.max(3, ...all.map((row) => (row[index] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] as number)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(all[0] as string[]), rule, ...all.slice(1).map(line)].join('\n');
}
