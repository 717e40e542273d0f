import { docFiles } from '../helpers/doc-recipes.js';
import { describeRecipes } from './describe-recipes.js';

// Every `sh recipe` block of docs/commands/, run as written (test/helpers/doc-recipes.ts). The other pages: recipes-pages.test.ts.
describeRecipes(docFiles().filter((f) => f.startsWith('docs/commands/') && (!process.env.HOOKS_DOCS_PAGE || f === process.env.HOOKS_DOCS_PAGE)));
