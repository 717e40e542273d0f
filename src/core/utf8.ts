const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are UTF-8, else null: never a lossy decode (a face then shows hex or base64). */
export function utf8OrNull(bytes: Uint8Array | null | undefined): string | null {
  if (!bytes) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
