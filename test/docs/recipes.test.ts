import { docFiles } from '../helpers/doc-recipes.js';
import { describeRecipes } from './describe-recipes.js';

// Every `sh recipe` block of README.md and docs/, run as written (test/helpers/doc-recipes.ts).
describeRecipes(docFiles().filter((f) => !process.env.HOOKS_DOCS_PAGE || f === process.env.HOOKS_DOCS_PAGE));
