/** The C and C++ programs of the test suite: readers built against the generated header, the matcher's tests. */
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

/** Compiles the matcher's C++ test binary; returns its path. */
export function buildMatcherTest() {
  mkdirSync(C_BUILD, { recursive: true });
  const output = join(C_BUILD, 'matcher_test');
  const native = join(ROOT, 'packages/matcher/native');
  const result = spawnSync('c++', ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Werror', join(native, 'order_book.cpp'), join(native, 'test/order_book_test.cpp'), '-o', output], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('c++ order_book_test.cpp failed');
  return output;
}
