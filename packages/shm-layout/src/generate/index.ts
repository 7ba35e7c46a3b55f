/** Every generated file, keyed by its path from the repository root. */
import type { ComputedLayout } from '../layout.js';
import { generateCHeader } from './c-header.js';
import { generateCythonPxd, generatePython } from './python.js';
import { generateTypeScript } from './typescript.js';

export function generatedFiles(layout: ComputedLayout): ReadonlyMap<string, string> {
  return new Map([
    ['packages/shm-layout/src/generated/layout.ts', generateTypeScript(layout)],
    ['packages/shm-layout/generated/cwts_shm.h', generateCHeader(layout)],
    ['python/cwts/_layout.py', generatePython(layout)],
    ['python/cwts/_layout.pxd', generateCythonPxd(layout)],
  ]);
}
