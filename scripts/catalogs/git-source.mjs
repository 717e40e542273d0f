import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * A platform's repository, read with git (a clone or a bare mirror): the
 * catalog scripts read their artifacts from it and record which commit and
 * path each came from.
 */
export function gitSource(dir, url) {
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const commit = git('rev-parse', 'HEAD').trim();
  return {
    url,
    commit,
    read: (path) => git('show', `${commit}:${path}`),
    list: (folder) => git('ls-tree', '-r', '--name-only', commit, folder).split('\n').filter(Boolean),
    /** `{name, url, repo, commit, path}`: how a generated file names one artifact. */
    cite: (name, path, page) => ({ name, ...(page ? { url: page } : {}), repo: url, commit, path }),
  };
}

/** The ```json blocks of a Markdown page, parsed; blocks that are not JSON are skipped. */
export function jsonBlocks(markdown) {
  const out = [];
  for (const m of markdown.matchAll(/```json\s*\n([\s\S]*?)\n\s*```/gi)) {
    try {
      out.push(JSON.parse(m[1]));
    } catch {
      // Prose examples with comments or ellipses: not data.
    }
  }
  return out;
}

/** Writes generated JSON with a final newline and says so; `indent` 0 writes it on one line (large schema files). */
export function writeJson(file, value, indent = 1) {
  writeFileSync(file, `${JSON.stringify(value, null, indent || undefined)}\n`);
  console.log(`wrote ${file}`);
}

export function argsOrUsage(count, usage) {
  const args = process.argv.slice(2);
  if (args.length !== count) {
    console.error(usage);
    process.exit(2);
  }
  return args;
}
