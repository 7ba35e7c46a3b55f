/** The C programs of the test suite, built against the generated header. */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bootstrap.mjs';

export const C_BUILD = join(ROOT, 'packages/shm-layout/build');
const C_INCLUDE = join(ROOT, 'packages/shm-layout/generated');

/** Compiles golden_check and stress_check; returns their paths. */
export function buildCPrograms() {
  mkdirSync(C_BUILD, { recursive: true });
  const built = {};
  for (const name of ['golden_check', 'stress_check']) {
    const output = join(C_BUILD, name);
    const result = spawnSync('cc', ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', `-I${C_INCLUDE}`,
      join(ROOT, `packages/shm-layout/test/c/${name}.c`), '-o', output], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`cc ${name}.c failed`);
    built[name] = output;
  }
  return built;
}
