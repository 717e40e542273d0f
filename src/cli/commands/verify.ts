import type { Command } from 'commander';
import { summary } from './index.js';
import { UsageError } from '../../core/errors.js';
import { HeaderBag } from '../../core/signing/headers.js';
import { Option } from '../commander.js';
import { jsonOption, secretOption } from '../flags.js';
import { integerOption } from '../options.js';
import { finish } from '../outcome.js';

interface VerifyFlags {
  provider: string;
  secret?: string;
  jwks?: string;
  header: Array<[string, string]>;
  bodyFile?: string;
  now?: number;
  tolerance?: number;
  providerFile?: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(summary('verify'))
    .addOption(new Option('--provider <id>', 'provider id, or auto to pick it from the headers').default('auto'))
    .addOption(secretOption('signing secret (or whpk_ public key; for FusionAuth also a PEM public key or a JWK/JWKS)'))
    .option('--jwks <url|file>', 'verify with the public keys of a JWKS (FusionAuth: https://<host>/.well-known/jwks.json)')
    .addOption(new Option('--header <line>', "a request header as 'Name: value' (repeatable)").argParser(headerLine).default([], 'none'))
    .option('--body-file <file>', 'raw body file (default: stdin; - also means stdin)')
    .option('--now <unix-seconds>', 'check timestamps against this time instead of the clock', integerOption('--now'))
    .option('--tolerance <seconds>', "accepted clock skew for timestamped schemes (default: the scheme's own, 300)", integerOption('--tolerance'))
    .option('--provider-file <file>', 'a custom profile (JSON) for a platform hooks does not ship')
    .addOption(jsonOption('print one JSON object: {valid, provider, reason, message, hints}'))
    .addHelpText(
      'after',
      `
Exit codes: 0 valid, 1 invalid, 2 usage error (a secret the scheme cannot use, too).

Reasons: missing_header, malformed_header, timestamp_out_of_tolerance, signature_mismatch.
Hints (what most likely changed): body_reserialized, newline_changed, secret_encoding,
secret_whitespace, wrong_provider, encoding_mismatch, timestamp_unit, authorization_format,
body_hash, key_id. Bodies over 256 KB are not diagnosed.

Provider file (JSON): {"id": "acme", "signatureHeader": "X-Acme-Signature", "algorithm": "sha256",
  "encoding": "hex", "prefix": "sha256=", "template": "{timestamp}.{body}",
  "timestampHeader": "X-Acme-Timestamp", "idHeader": "X-Acme-Id", "tolerance": 300}
  algorithm: sha1|sha256|sha512; encoding: hex|base64; template placeholders: {id} {timestamp} {body}

Examples:
  $ hooks verify --provider ithbat --secret "$ITHBAT_SECRET" \\
      --header 'X-Ithbat-Signature: sha256=5d1c…' --body-file body.json
  $ curl -s https://example.test/captured.json | hooks verify --provider auto --secret "$SECRET" \\
      --header 'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek' --header 'webhook-timestamp: 1614265330' \\
      --header 'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' --now 1614265330
  $ hooks verify --provider-file acme.json --provider acme --secret s3cr3t --header 'X-Acme-Signature: …' < body.json
  $ hooks verify --json --secret "$SECRET" --header 'Stripe-Signature: t=…,v1=…' --body-file body.json
  $ hooks verify --provider fusionauth --jwks http://127.0.0.1:8787/.well-known/jwks.json \\
      --header 'X-FusionAuth-Signature-JWT: eyJ…' --body-file body.json`,
    )
    .action(async (flags: VerifyFlags) => {
      const [{ checkSignature }, { readBody }, { printVerification }] = await Promise.all([
        import('../../core/providers/verification.js'),
        import('../input.js'),
        import('../render/verification.js'),
      ]);
      if (flags.secret === undefined && flags.jwks === undefined) throw new UsageError('verify needs --secret, or --jwks for a platform that signs with a private key', 'pass the signing secret as the platform shows it (or set HOOKS_SECRET)', 'missing_secret');
      if (flags.secret !== undefined && flags.jwks !== undefined) throw new UsageError('--secret and --jwks are two ways to give the key: pass one', 'keep --jwks for public keys, --secret for a shared secret');
      const secret = flags.jwks !== undefined ? await (await import('../../core/signing/jwks.js')).loadJwks(flags.jwks) : flags.secret!;
      const body = await readBody(flags.bodyFile);
      const outcome = checkSignature({ provider: flags.provider, body, headers: flags.header, secret, now: flags.now, tolerance: flags.tolerance, providerFile: flags.providerFile });
      printVerification(outcome.report, Boolean(flags.json));
      finish(outcome);
    });
}

/** `--header 'Name: value'`, repeatable. */
function headerLine(line: string, previous: Array<[string, string]>): Array<[string, string]> {
  const parsed = HeaderBag.parseLine(line);
  if (!parsed) throw new UsageError(`--header "${line}" is not 'Name: value'`, "quote each header, e.g. --header 'X-Ithbat-Signature: sha256=…'");
  return [...previous, parsed];
}
