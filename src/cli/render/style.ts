import chalk from 'chalk';

// chalk turns colour off when stdout is not a terminal; NO_COLOR (no-color.org)
// is ours to honour.
if (process.env.NO_COLOR) chalk.level = 0;

export const style = {
  ok: (s: string) => chalk.green(s),
  bad: (s: string) => chalk.red(s),
  warn: (s: string) => chalk.yellow(s),
  dim: (s: string) => chalk.dim(s),
  bold: (s: string) => chalk.bold(s),
  code: (s: string) => chalk.cyan(s),
};
