import { docFiles } from '../helpers/doc-recipes.js';
import { describeRecipes } from './describe-recipes.js';

// Every `sh recipe` block of README.md and the task and reference pages of docs/, run as written
// (test/helpers/doc-recipes.ts; HOOKS_DOCS_PAGE=docs/ci.md runs one page). The command pages: recipes-commands.test.ts.
describeRecipes(docFiles().filter((f) => !f.startsWith('docs/commands/') && (!process.env.HOOKS_DOCS_PAGE || f === process.env.HOOKS_DOCS_PAGE)));
