import { randomBytes } from 'node:crypto';

/** A text secret of `bytes` random bytes, hex (how most platforms hand them out). */
export const hexSecret = (prefix = '', bytes = 32): string => prefix + randomBytes(bytes).toString('hex');

/** Standard Webhooks: `whsec_` + base64 of 32 random bytes. */
export const whsecSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
