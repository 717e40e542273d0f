/** The width output must fit: the terminal's, or $COLUMNS when stdout is not one (as less and gh read it); none otherwise. */
export function terminalWidth(): number | null {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : null;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Characters a terminal shows: colour codes take no room. */
export function shownLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * `text` cut to `width` shown characters with an ellipsis: at the end, or,
 * for a URL, after its origin, so the host and the end of the path (what
 * tells two subscriptions apart) both stay.
 */
export function cut(text: string, width: number): string {
  if (shownLength(text) <= width) return text;
  const plain = [...text.replace(ANSI, '')];
  const origin = /^https?:\/\/[^/]+/.exec(text)?.[0];
  if (origin && width >= 12) {
    // The whole origin when it leaves room for the path's end; else half and half.
    const head = [...origin].length + 5 <= width ? [...origin].length + 1 : Math.ceil((width - 1) / 2);
    const tail = width - 1 - head;
    return `${plain.slice(0, head).join('')}…${plain.slice(plain.length - tail).join('')}`;
  }
  return `${plain.slice(0, Math.max(0, width - 1)).join('')}…`;
}
