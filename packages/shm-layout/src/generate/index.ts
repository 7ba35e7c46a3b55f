/** Every generated file, keyed by its path from the repository root. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputedLayout } from '../layout.js';
import { goldenExpected, goldenImage, type GoldenContent } from '../golden.js';
import { generateCHeader } from './c-header.js';
import { generateCythonPxd, generatePython } from './python.js';
import { generateTypeScript } from './typescript.js';

const GOLDEN_JSON = 'packages/shm-layout/golden/segment-v1.json';

export function generatedFiles(layout: ComputedLayout, root: string): ReadonlyMap<string, string | Uint8Array> {
  const golden = JSON.parse(readFileSync(join(root, GOLDEN_JSON), 'utf8')) as GoldenContent;
  return new Map<string, string | Uint8Array>([
    ['packages/shm-layout/src/generated/layout.ts', generateTypeScript(layout)],
    ['packages/shm-layout/generated/cwts_shm.h', generateCHeader(layout)],
    ['python/cwts/_layout.py', generatePython(layout)],
    ['python/cwts/_layout.pxd', generateCythonPxd(layout)],
    ['packages/shm-layout/golden/segment-v1.bin', goldenImage(golden)],
    ['packages/shm-layout/golden/segment-v1.expected', goldenExpected(golden)],
  ]);
}
