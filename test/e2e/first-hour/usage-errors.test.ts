import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/** Mistakes commander finds (a missing argument, an unknown flag) read like every other hooks error. */
describe('usage errors found while parsing', () => {
  it('names the missing argument, what it takes, and an example', async () => {
    const r = await runCli(['completion']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("error: missing required argument 'shell'");
    expect(r.stderr).toBe('hooks completion: missing <shell>: bash, zsh or fish\n  hooks completion --help shows examples\n');
  });

  it('says an unknown flag in the same form, with the closest one', async () => {
    const r = await runCli(['trigger', 'user.created', '--too', '3000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hooks trigger: unknown option '--too' \(did you mean --to\?\)\n {2}hooks trigger --help lists the flags\n$/);
  });

  it('is JSON on stdout with --json', async () => {
    const r = await runCli(['events', 'show', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('usage');
    expect(error.message).toMatch(/^missing <id>: .+$/);
    expect(error.hint).toContain('hooks events show --help');
  });
});
