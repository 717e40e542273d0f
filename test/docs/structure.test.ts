import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blocksOf, docFiles, isShell, ROOT } from '../helpers/doc-recipes.js';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const h = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!h) continue;
    const base = h[1]!.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Every link and image target of a page outside its code blocks. */
function links(markdown: string): string[] {
  const text = markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

const pages = docFiles();

describe('the docs', () => {
  it('mark every shell block as a recipe, a synopsis or a command the tests cannot run (with the reason)', () => {
    const unmarked = pages
      .flatMap(blocksOf)
      .filter(isShell)
      .filter((b) => !(b.attrs.recipe === true || b.attrs.synopsis === true || (typeof b.attrs.manual === 'string' && b.attrs.manual.trim())))
      .map((b) => `${b.file}:${b.line}`);
    expect(unmarked).toEqual([]);
  });

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const target of links(readFileSync(join(ROOT, page), 'utf8'))) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, hash] = target.split('#');
        const file = path ? normalize(join(dirname(page), path)) : page;
        if (!existsSync(join(ROOT, file))) broken.push(`${page}: ${target} (no ${file})`);
        else if (hash && file.endsWith('.md') && !anchors(readFileSync(join(ROOT, file), 'utf8')).has(hash)) broken.push(`${page}: ${target} (no heading #${hash} in ${file})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('index every page under docs/ in docs/README.md, and show every screenshot the browser tests take', () => {
    const index = readFileSync(join(ROOT, 'docs/README.md'), 'utf8');
    const linked = new Set(links(index).map((l) => normalize(join('docs', l.split('#')[0]!))));
    expect(pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md' && !linked.has(p))).toEqual([]);
    const shown = new Set(pages.flatMap((p) => links(readFileSync(join(ROOT, p), 'utf8')).map((l) => normalize(join(dirname(p), l)))));
    const shots = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.png'));
    expect(shots.length).toBeGreaterThan(0);
    expect(shots.map((f) => `docs/${f}`).filter((f) => !shown.has(f))).toEqual([]);
    // The browser test writes each picture it takes into docs/ (HOOKS_UPDATE_SCREENSHOTS=1): the same names.
    const taken = [...readFileSync(join(ROOT, 'test/browser/inspector.test.ts'), 'utf8').matchAll(/'([a-z-]+\.png)'/g)].map((m) => m[1]);
    expect(taken.sort()).toEqual(shots.sort());
  });

  it('keep the README short, and install only what exists (no published-package line while hooks-cli is not on the registry)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
    const installs = pages.flatMap((p) => readFileSync(join(ROOT, p), 'utf8').split('\n').filter((l) => /npm (install|i) (-g|--global) /.test(l)).map((l) => `${p}: ${l.trim()}`));
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.filter((l) => !/(-g|--global)( --prefix \S+)? \.\/hooks-cli-[\d.]+\.tgz/.test(l))).toEqual([]);
  });
});

