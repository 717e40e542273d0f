import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blocksOf, docFiles, DocRun, isRecipe } from '../../helpers/doc-recipes.js';

/**
 * What two of the docs' recipes must leave behind, beyond exiting 0 (which
 * test/docs/recipes-*.test.ts check for every recipe): each runs in a fresh
 * home with `hooks` on PATH, as a reader's would.
 */
let run: DocRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe("the docs' recipes, run as written", () => {
  it('install bash completion on a fresh home, wherever the docs give the line', async () => {
    const recipes = docFiles().flatMap((f) => blocksOf(f)).filter((b) => isRecipe(b) && b.text.includes('hooks completion bash >'));
    expect(recipes.length).toBeGreaterThan(0);
    for (const recipe of recipes) {
      run = new DocRun(recipe.file);
      await run.run(recipe);
      expect(readFileSync(join(run.home, '.local/share/bash-completion/completions/hooks'), 'utf8'), `${recipe.file}:${recipe.line}`).toContain('complete');
      await run.close();
      run = undefined;
    }
  });

  it('the CI recipe for hooks server runs, and the log it writes (a console link on its first line) is readable by its owner only', async () => {
    const recipe = blocksOf('docs/ci.md').find((b) => isRecipe(b) && b.text.startsWith('# In CI: start it in the background'));
    expect(recipe, 'docs/ci.md has the recipe').toBeTruthy();
    run = new DocRun('docs/ci.md');
    const { output } = await run.run({ ...recipe!, text: `umask 022\n${recipe!.text}` });
    expect(output).toMatch(/hooks server at http:\/\/127\.0\.0\.1:\d+/);
    expect(statSync(join(run.cwd, 'server.log')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(run.cwd, 'server.log'), 'utf8').split('\n')[0]!).console_url).toMatch(/\?token=/);
  });
});
