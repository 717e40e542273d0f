/** One line of a line diff: kept, removed from the first side, or added in the second. */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}
