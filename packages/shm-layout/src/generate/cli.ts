/**
 * `node dist/generate/cli.js [--check]`: writes the generated files, or with --check
 * lists the stale ones and exits 1.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeLayout } from '../layout.js';
import { layoutSpec } from '../spec.js';
import { generatedFiles } from './index.js';

/** dist/generate/cli.js → the repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export function staleFiles(root: string = REPO_ROOT): string[] {
  const stale: string[] = [];
  for (const [path, content] of generatedFiles(computeLayout(layoutSpec), root)) {
    let current: Buffer | undefined;
    try {
      current = readFileSync(join(root, path));
    } catch {
      current = undefined;
    }
    if (!current?.equals(typeof content === 'string' ? Buffer.from(content) : content)) stale.push(path);
  }
  return stale;
}

function main(args: readonly string[]): number {
  if (args.includes('--help')) {
    console.log('usage: generate [--check]\n  writes the files generated from the layout spec; --check only lists stale ones');
    return 0;
  }
  if (args.includes('--check')) {
    const stale = staleFiles();
    for (const path of stale) console.error(`stale: ${path} (run npm run generate)`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [path, content] of generatedFiles(computeLayout(layoutSpec), REPO_ROOT)) {
    mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, path), content);
    console.log(`wrote ${path}`);
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
