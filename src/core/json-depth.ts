/**
 * How deeply a JSON text nests, read without parsing (strings are skipped),
 * so a hostile body is measured before anything recursive touches it.
 * JSON.parse copes with any depth but JSON.stringify overflows the stack at
 * a few thousand levels.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Deeper than any real webhook payload, far below where JSON.stringify fails. */
export const MAX_JSON_DEPTH = 64;
