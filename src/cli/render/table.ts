import Table from 'cli-table3';
import { style } from './style.js';

/** A plain table for a terminal; columns sized to their content. */
export function renderTable(head: string[], rows: Array<Array<string | number>>): string {
  const table = new Table({
    // Colours come from chalk, which turns them off when stdout is not a terminal.
    head: head.map(style.bold),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}
