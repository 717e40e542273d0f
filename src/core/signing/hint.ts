/** What most likely changed, found by re-running the real check with one thing changed (see diagnosis.ts). */
export type HintCode =
  | 'body_reserialized'
  | 'newline_changed'
  | 'secret_encoding'
  | 'secret_whitespace'
  | 'wrong_provider'
  | 'encoding_mismatch'
  | 'timestamp_unit'
  | 'authorization_format'
  | 'body_hash'
  | 'key_id'
  | 'missing_handshake';

export interface Hint {
  code: HintCode;
  message: string;
}

/** The one line a hint is shown as, in every face: `likely cause [code]: message`. */
export function hintLine(hint: Hint): string {
  return `likely cause [${hint.code}]: ${hint.message}`;
}
