import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { collect, integerOption } from '../options.js';

interface VerifyFlags {
  provider: string;
  secret: string;
  header: string[];
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
    .addOption(new Option('--secret <secret>', 'signing secret (or whpk_ public key)').env('HOOKS_SECRET').makeOptionMandatory())
    .option('--header <line>', "a request header as 'Name: value' (repeatable)", collect, [])
    .option('--body-file <file>', 'raw body file (default: stdin; - also means stdin)')
    .option('--now <unix-seconds>', 'check timestamps against this time instead of the clock', integerOption('--now'))
    .option('--tolerance <seconds>', 'accepted clock skew for timestamped schemes (default: the scheme\'s own, 300)', integerOption('--tolerance'))
    .option('--provider-file <file>', 'a custom profile (JSON) for a platform hooks does not ship')
    .option('--json', 'print one JSON object: {valid, provider, reason, message, hints}')
    .addHelpText(
      'after',
      `
Exit codes: 0 valid, 1 invalid, 2 usage error.

Reasons: missing_header, malformed_header, timestamp_out_of_tolerance, signature_mismatch.
Hints (what most likely changed): body_reserialized, newline_changed, secret_encoding,
secret_whitespace, wrong_provider, encoding_mismatch.

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
  $ hooks verify --json --secret "$SECRET" --header 'Stripe-Signature: t=…,v1=…' --body-file body.json`,
    )
    .action(async (flags: VerifyFlags) => {
      const [{ UsageError }, { HeaderBag }, { verifyDelivery }, { loadCustomProfile }, { readBody }] = await Promise.all([
        import('../../core/errors.js'),
        import('../../core/signing/headers.js'),
        import('../../core/providers/verification.js'),
        import('../../core/providers/custom.js'),
        import('../input.js'),
      ]);
      const headers: Array<[string, string]> = flags.header.map((line) => {
        const parsed = HeaderBag.parseLine(line);
        if (!parsed) throw new UsageError(`--header "${line}" is not 'Name: value'`, "quote each header, e.g. --header 'X-Ithbat-Signature: sha256=…'");
        return parsed;
      });
      const custom = flags.providerFile ? [loadCustomProfile(flags.providerFile)] : [];
      const body = await readBody(flags.bodyFile);
      const report = verifyDelivery({ provider: flags.provider, body, headers, secret: flags.secret, now: flags.now, tolerance: flags.tolerance, custom });
      // The secret cannot be used with the scheme: a usage error, never a verdict.
      if (report.reason === 'invalid_secret') throw new UsageError(`--secret: ${report.message}`, 'pass the secret exactly as the platform shows it', 'invalid_secret');
      if (flags.json) {
        const { printJson } = await import('../render/output.js');
        printJson({ valid: report.valid, provider: report.provider, reason: report.reason, message: report.message, hints: report.hints });
      } else {
        const { renderVerification } = await import('../render/verification.js');
        process.stdout.write(renderVerification(report));
      }
      process.exitCode = report.valid ? 0 : 1;
    });
}
