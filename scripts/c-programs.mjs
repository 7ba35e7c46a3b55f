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

const MATCHER = join(ROOT, 'packages/matcher/native');

function buildCxx(name, sources, flags) {
  mkdirSync(C_BUILD, { recursive: true });
  const output = join(C_BUILD, name);
  const result = spawnSync('c++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', ...flags, ...sources.map((s) => join(MATCHER, s)), '-o', output], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`c++ ${name} failed`);
  return output;
}

/** The matcher's C++ test binary. */
export function buildMatcherTest() {
  return buildCxx('matcher_test', ['order_book.cpp', 'test/order_book_test.cpp'], ['-O2']);
}

/** The matcher's C++ benchmark. */
export function buildMatcherBench() {
  return buildCxx('matcher_bench', ['order_book.cpp', 'bench/order_book_bench.cpp'], ['-O2']);
}

/** The matcher's fuzz target with the random driver, under AddressSanitizer and UBSan (gcc has no libFuzzer). */
export function buildMatcherFuzz() {
  return buildCxx('matcher_fuzz', ['order_book.cpp', 'fuzz/order_book_fuzz.cpp', 'fuzz/random_driver.cpp'], ['-g', '-O1', '-fsanitize=address,undefined', '-fno-sanitize-recover=all']);
}
