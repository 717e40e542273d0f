import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../src/core/providers/registry.js';
import { blocksOf, DocRun, isRecipe, isSample, sampleMismatch, secretVariables, type DocBlock } from '../helpers/doc-recipes.js';

/**
 * `platform=P` on a background `hooks listen` recipe: once it is ready, the
 * test does what the page leaves to the platform's dashboard. It sends a
 * delivery signed with the secret the page gave listen to the public URL
 * listen printed, then one signed with another secret: the first reaches the
 * app, the second is refused and does not.
 */
async function actAsPlatform(run: DocRun, block: DocBlock): Promise<void> {
  const provider = getProvider(String(block.attrs.platform));
  const url = /Ready! (\S+)/.exec(run.backgroundOutput())?.[1];
  expect(url, `${block.file}:${block.line}: the banner names a public URL`).toBeTruthy();
  const [name] = Object.keys(secretVariables(block.text));
  const secret = run.secret(name!);
  expect(secret, `${block.file}:${block.line}: the recipe takes the platform's secret from $…_SECRET`).toBeTruthy();
  const app = () => [...run.receivers.values()].flatMap((r) => r.requests);
  const before = app().length;
  const type = provider.catalog.representative;
  const sent = await run.hooks(['trigger', type, '--provider', provider.id, '--to', url!, '--secret', secret!]);
  expect(sent.code, sent.output).toBe(0);
  expect(app().length, 'the delivery reached the app').toBe(before + 1);
  expect(Object.keys(app().at(-1)!.headers)).toContain(provider.scheme.signatureHeader.toLowerCase());
  const forged = await run.hooks(['trigger', type, '--provider', provider.id, '--to', url!, '--secret', provider.newSecret()]);
  expect(forged.code, forged.output).toBe(1);
  expect(forged.output).toContain('401');
  expect(app().length, 'a forged delivery does not reach the app').toBe(before + 1);
}

/** One describe per page: its recipes in order, in one DocRun (see test/helpers/doc-recipes.ts). */
export function describeRecipes(files: string[]): void {
  for (const file of files) {
    const blocks = blocksOf(file).filter((b) => isRecipe(b) || isSample(b) || typeof b.attrs.file === 'string');
    if (!blocks.some(isRecipe)) continue;
    describe(`${file}: its recipes, run as written`, () => {
      let run: DocRun;
      let last = '';
      beforeAll(() => {
        run = new DocRun(file);
      });
      afterAll(async () => {
        await run.close();
      });
      for (const block of blocks) {
        if (isSample(block)) {
          it(`line ${block.line}: the sample is what the recipe above printed`, () => {
            expect(sampleMismatch(block.text, run.asPageShows(last))).toBeNull();
          });
          continue;
        }
        if (!isRecipe(block)) {
          it(`line ${block.line}: writes ${block.attrs.file}`, () => run.writeFile(block));
          continue;
        }
        const first = block.text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
        it(`line ${block.line}: ${first.slice(0, 80)}`, { timeout: Number(block.attrs.timeout ?? 60) * 1000 + 30_000 }, async () => {
          last = (await run.run(block)).output;
          if (block.attrs.platform) await actAsPlatform(run, block);
        });
      }
    });
  }
}
