#!/usr/bin/env node
// Part of `npm run build`: the inspector's pages and stylesheet go beside the
// scripts tsc compiled into dist/inspector/web (the package ships dist only).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/inspector/web/', import.meta.url));
const to = fileURLToPath(new URL('../dist/inspector/web/', import.meta.url));
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) if (/\.(html|css|svg)$/.test(name)) copyFileSync(from + name, to + name);
