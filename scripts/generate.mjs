#!/usr/bin/env node
/**
 * `npm run generate`: rewrites every file generated from the layout spec. Two passes: the
 * golden image is written by compiled code that embeds the generated layout hash, so after a
 * spec change the first pass updates the hash and the second writes the image with it.
 */
import { join } from 'node:path';
import { ROOT, bootstrap, run } from './bootstrap.mjs';

for (let pass = 0; pass < 2; pass++) {
  bootstrap({ only: 'build' });
  run(process.execPath, [join(ROOT, 'packages/shm-layout/dist/generate/cli.js')]);
}
