import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DocRun, parseBlocks, parseInfo, sampleMismatch, secretVariables } from '../helpers/doc-recipes.js';

/** The recipe harness itself: a recipe that fails fails its test, and nothing it started outlives it. */
const page = (md: string) => parseBlocks(md, 'page.md');
let run: DocRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** Running: a zombie (killed, waiting for a parent that never reaps it) is not. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('the docs recipe harness', () => {
  it('reads info strings and blocks with their section', () => {
    expect(parseInfo('sh recipe exit=1 background ready="Ready! now" platform=ithbat')).toEqual({ lang: 'sh', attrs: { recipe: true, exit: '1', background: true, ready: 'Ready! now', platform: 'ithbat' } });
    const blocks = page('# A\n\n## B\n\n### C\n\n- item\n\n  ```sh recipe\n  hooks --version\n  ```\n\n```json file=hooks.json\n{}\n```\n');
    expect(blocks).toMatchObject([
      { line: 9, lang: 'sh', text: 'hooks --version', section: 'B' },
      { line: 13, lang: 'json', attrs: { file: 'hooks.json' }, text: '{}' },
    ]);
  });

  it('gives $<PROVIDER>_SECRET a fresh secret of that provider, and nothing else', () => {
    const vars = secretVariables('--secret "$ITHBAT_SECRET" $CLERK_WEBHOOK_SECRET ${STRIPE_SECRET} $SCALEKIT_STANDARD_SECRET $TOKEN $MY_SECRET process.env.LMIF_WEBHOOK_SECRET "env:GITHUB_SECRET"');
    expect(Object.keys(vars).sort()).toEqual(['CLERK_WEBHOOK_SECRET', 'GITHUB_SECRET', 'ITHBAT_SECRET', 'LMIF_WEBHOOK_SECRET', 'SCALEKIT_STANDARD_SECRET', 'STRIPE_SECRET']);
    expect(vars.ITHBAT_SECRET).toMatch(/^ith_whsec_[0-9a-f]{64}$/);
  });

  it('keeps one secret per variable for the whole page', async () => {
    const [first, second] = page('```sh recipe\necho "$ITHBAT_SECRET"\n```\n```sh recipe\necho "$ITHBAT_SECRET"\n```\n');
    run = new DocRun('page.md', []);
    const a = (await run.run(first!)).output;
    expect(a).toMatch(/^ith_whsec_/);
    expect((await run.run(second!)).output).toBe(a);
  });

  it('compares a sample with the output once ids, numbers and secrets are neutral, and fails on any other difference', () => {
    const out = '✓ Created sub_01M96Y3NAR8MM6AAAQ813HAEG7 "dev"\n  secret       ith_whsec_35934e8752d44df81453675f424cf0b473281242c28f837f366348a31e140a83\n  ! warn  large_body  answered 413  [413, 45.1 ms]\nlast\n';
    expect(sampleMismatch('✓ Created sub_01ABC "dev"\n  secret ith_whsec_c8bc0000000000000000000000000000\n  ! warn  large_body  answered 413  [413, 2 ms]\nlast', out)).toBeNull();
    expect(sampleMismatch('✓ Created sub_01ABC "dev"\n…\nlast', out)).toBeNull();
    expect(sampleMismatch('✓ Created sub_01ABC "dev"\n  secret ith_whsec_c8bc…\n…', out)).toMatch(/line 2/);
    expect(sampleMismatch('…\n  ✓ pass  large_body  answered 200  [200, 2 ms]\n…', out)).not.toBeNull();
    expect(sampleMismatch('✓ Created sub_01ABC "dev"', out)).not.toBeNull();
  });

  it('passes what a recipe exports on to the later ones, as one terminal does', async () => {
    const [sets, reads] = page('```sh recipe\nexport GREETING="hello there"\nLOCAL=1\n```\n```sh recipe\necho "$GREETING/${LOCAL:-unset}"\n```\n');
    run = new DocRun('page.md', []);
    await run.run(sets!);
    expect((await run.run(reads!)).output).toBe('hello there/unset\n');
  });

  it('fails a recipe whose command fails, and one that exits otherwise than the page says', async () => {
    const [fails, says1, ok] = page('```sh recipe\ntrue\nhooks trigger user.creatd --to 3000 --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\necho never\n```\n```sh recipe exit=1\nexit 1\n```\n```sh recipe\nhooks --version\n```\n');
    run = new DocRun('page.md', []);
    await expect(run.run(fails!)).rejects.toThrow(/page\.md:1: exited 2, the page says 0[\s\S]*did you mean/);
    await expect(run.run(says1!)).resolves.toMatchObject({ code: 1 });
    await expect(run.run(ok!)).resolves.toMatchObject({ code: 0, output: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('maps the ports a page names to free ones, answers 3000-3999 with a recording receiver, and gives hooks server a --port', async () => {
    run = new DocRun('page.md', []);
    const text = await run.substitute('hooks server\nhooks listen --forward 3000/webhooks --port 4000\ncurl localhost:3000/x http://127.0.0.1:8787/api "localhost:3001" --route \'user.*=3001\'\napp.listen(3000, cb)\nhooks audit 3002/x\n');
    const app = await run.port(3000);
    const api = await run.port(8787);
    expect(text).toBe(`hooks server --port ${api}\nhooks listen --forward ${app}/webhooks --port ${await run.port(4000)}\ncurl localhost:${app}/x http://127.0.0.1:${api}/api "localhost:${await run.port(3001)}" --route 'user.*=${await run.port(3001)}'\napp.listen(${app}, cb)\nhooks audit ${await run.port(3002)}/x\n`);
    expect(run.receivers.has(3000) && run.receivers.has(3001) && !run.receivers.has(4000)).toBe(true);
  });

  it('waits for a background recipe to be ready, stops it with Ctrl-C when its section ends, and kills what a recipe left running', async () => {
    const [bg, later, leaves] = page('## One\n```sh recipe background ready="up"\ntrap "exit 0" INT\necho up\nwhile true; do sleep 0.1; done\n```\n## Two\n```sh recipe\ntrue\n```\n```sh recipe\nsleep 300 &\necho $! > left.pid\n```\n');
    run = new DocRun('page.md', []);
    await run.run(bg!);
    await run.run(later!);
    expect(run.backgroundOutput()).toBe('');
    await run.run(leaves!);
    const pid = Number(readFileSync(join(run.cwd, 'left.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  });

  it('restarts a background recipe when the page starts the same command again, and lets an app die of Ctrl-C', async () => {
    const [first, again] = page('## A\n```sh recipe background ready="up"\necho up $$; exec sleep 300\n```\n### B\n```sh recipe background ready="up"\necho up $$; exec sleep 300\n```\n');
    run = new DocRun('page.md', []);
    const pid = (out: string) => Number(/up (\d+)/.exec(out)![1]);
    const one = pid((await run.run(first!)).output);
    const two = pid((await run.run(again!)).output);
    await new Promise((r) => setTimeout(r, 200));
    expect([alive(one), alive(two)]).toEqual([false, true]);
    await run.close();
    run = undefined;
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(two)).toBe(false);
  });

  it('fails a background recipe that exits before it is ready, and one that does not stop cleanly on Ctrl-C', async () => {
    const [dies, stubborn, next] = page('## A\n```sh recipe background ready="never"\nexit 3\n```\n## B\n```sh recipe background ready="up"\ntrap "exit 5" INT\necho up\nwhile true; do sleep 0.1; done\n```\n## C\n```sh recipe\ntrue\n```\n');
    run = new DocRun('page.md', []);
    await expect(run.run(dies!)).rejects.toThrow(/exited \(3\) before printing "never"/);
    await run.run(stubborn!);
    await expect(run.run(next!)).rejects.toThrow(/exited 5 on Ctrl-C, expected 0/);
  });

  it('removes its directory when closed', async () => {
    run = new DocRun('page.md', []);
    const root = run.root;
    await run.close();
    run = undefined;
    expect(existsSync(root)).toBe(false);
  });
});
