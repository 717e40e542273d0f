import Table from 'cli-table3';
import { style } from './style.js';
import { cut, shownLength, terminalWidth } from './width.js';

/** Narrowest a column is cut to: enough for an id's prefix or a status and the ellipsis. */
const MIN_COLUMN = 6;

export interface TableFit {
  /** Columns cut last, only when the others are as narrow as they go: ids a reader copies into the next command. */
  keep?: readonly string[];
  /** Columns cut before any other, in this order: the least telling ones. */
  cutFirst?: readonly string[];
}

/**
 * A plain table for a terminal; columns sized to their content, then, when
 * that is wider than the terminal, cut down (with an ellipsis) until it
 * fits: the `cutFirst` columns, then the widest of the others, the `keep`
 * ones last. `--json` is where values are whole.
 */
export function renderTable(head: string[], rows: Array<Array<string | number>>, how: TableFit = {}): string {
  const cells = rows.map((row) => row.map(String));
  const natural = head.map((h, i) => Math.max(shownLength(h), ...cells.map((row) => shownLength(row[i] ?? ''))));
  const index = (names: readonly string[] = []) => names.map((n) => head.indexOf(n)).filter((i) => i >= 0);
  const widths = fit(natural, terminalWidth(), index(how.keep), index(how.cutFirst));
  const table = new Table({
    // Colours come from chalk, which turns them off when stdout is not a terminal.
    head: head.map(style.bold),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    // cli-table3 counts the padding (one space each side) in a column's width.
    ...(widths ? { colWidths: widths.map((w) => w + 2) } : {}),
  });
  for (const row of cells) table.push(widths ? row.map((cell, i) => cut(cell, widths[i]!)) : row);
  return table.toString();
}

/** Column widths that fit `max` (each column costs its width, two spaces and a border; one more border closes the row); null when they fit as they are. */
function fit(natural: number[], max: number | null, keep: number[], cutFirst: number[]): number[] | null {
  const total = (ws: number[]) => ws.reduce((sum, w) => sum + w + 3, 1);
  if (max === null || total(natural) <= max) return null;
  const widths = [...natural];
  let excess = total(widths) - max;
  for (const i of cutFirst) {
    const take = Math.min(excess, Math.max(0, widths[i]! - MIN_COLUMN));
    widths[i]! -= take;
    excess -= take;
  }
  // The others widest first; the kept ones only when nothing else is left to cut (a table wider than the terminal wraps into noise).
  for (const cuttable of [widths.map((_, i) => i).filter((i) => !keep.includes(i)), keep]) {
    for (; excess > 0 && cuttable.length > 0; excess--) {
      const widest = cuttable.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
      if (widths[widest]! <= MIN_COLUMN) break;
      widths[widest]!--;
    }
  }
  return widths;
}
