import type { Command } from 'commander';
import { summary } from './index.js';
import { dataDirOption, jsonOption, secretOption, timeoutOption } from '../flags.js';
import { portOption } from '../options.js';
import { untilStopped } from '../signals.js';

interface InspectFlags {
  dataDir?: string;
  secret?: string;
  port: number;
  open: boolean;
  timeout: number;
  insecure?: boolean;
  json?: boolean;
  link?: boolean;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description(summary('inspect'))
    .addOption(dataDirOption())
    .addOption(secretOption('secret to re-sign replays and curl commands with (default: the listen session secret of each delivery\'s provider)'))
    .option('--port <port>', 'where to listen (127.0.0.1; the next free port if taken)', portOption('--port'), 4040)
    .option('--no-open', 'do not open the browser')
    .addOption(timeoutOption('how long a replay target may take to answer'))
    .option('--insecure', 'accept self-signed certificates on https replay targets')
    .option('--link', 'print a fresh link to each running inspector (of hooks listen or hooks inspect) and exit')
    .addOption(jsonOption('print {"url"} as one JSON line when ready ({"links": […]} with --link)'))
    .addHelpText(
      'after',
      `
The web inspector over what hooks listen stored: a live list (newest first, filters, search
in bodies), each delivery's headers, body (pretty, raw, hex), verdict and attempts; replay,
edit-then-replay (re-signed, with a diff first), copy as curl (signed now), download the
body, export HAR, diff two deliveries. hooks listen serves the same on 127.0.0.1:4040 while
it runs (--no-inspect turns it off). 127.0.0.1 only. The printed link opens one browser tab,
once, within 10 minutes; it grants nothing else. The tab keeps its session to itself (no
cookie), so inspectors and the console never log each other out. --link prints a new link.

Examples:
  $ hooks inspect
  $ hooks inspect --data-dir ./.hooks --no-open
  $ hooks inspect --secret "$STANDARD_SECRET" --port 4050
  $ hooks inspect --link                      # a new link to the inspector already running`,
    )
    .action(async (flags: InspectFlags) => {
      const [{ startInspection }, { printInspector, printLinks }] = await Promise.all([import('../../inspector/inspection.js'), import('../render/inspect.js')]);
      if (flags.link) return printLinks(await (await import('../../core/ui-links.js')).inspectorLinks(), Boolean(flags.json));
      const inspector = await startInspection({
        dataDir: flags.dataDir,
        secret: flags.secret,
        port: flags.port,
        timeoutMs: flags.timeout,
        insecure: Boolean(flags.insecure),
      });
      printInspector(inspector.url, Boolean(flags.json));
      if (flags.open && process.stdout.isTTY && !flags.json) (await import('../browser.js')).openBrowser(inspector.url);
      await untilStopped(() => inspector.close());
    });
}
