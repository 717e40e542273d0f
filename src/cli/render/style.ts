import chalk from 'chalk';

/** Colours only where a person reads them; chalk itself honours NO_COLOR and FORCE_COLOR. */
export const style = {
  ok: (s: string) => chalk.green(s),
  bad: (s: string) => chalk.red(s),
  warn: (s: string) => chalk.yellow(s),
  dim: (s: string) => chalk.dim(s),
  bold: (s: string) => chalk.bold(s),
  code: (s: string) => chalk.cyan(s),
};
