#!/usr/bin/env node
/**
 * `npm test`: bootstraps what is missing, then runs every suite, each with its own
 * runner's summary: C (golden vectors through the generated header), vitest (TypeScript,
 * native addon, cross-process torture), pytest (both Python backends). Every suite runs
 * even when an earlier one fails; the exit code is non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, VENV_PYTHON, bootstrap } from './bootstrap.mjs';

const C_BUILD = join(ROOT, 'packages/shm-layout/build');
const C_INCLUDE = join(ROOT, 'packages/shm-layout/generated');

/** The C programs of the test suite: golden reader and stress reader. */
export function buildCPrograms() {
  mkdirSync(C_BUILD, { recursive: true });
  for (const name of ['golden_check', 'stress_check']) {
    const result = spawnSync('cc', ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', `-I${C_INCLUDE}`,
      join(ROOT, `packages/shm-layout/test/c/${name}.c`), '-o', join(C_BUILD, name)], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`cc ${name}.c failed`);
  }
}

const suites = [
  {
    name: 'C',
    run: () => {
      buildCPrograms();
      return spawnSync(join(C_BUILD, 'golden_check'), [join(ROOT, 'packages/shm-layout/golden/segment-v1.bin'), join(ROOT, 'packages/shm-layout/golden/segment-v1.expected')], { stdio: 'inherit' }).status;
    },
  },
  {
    name: 'TypeScript (vitest)',
    run: () => spawnSync(join(ROOT, 'node_modules/.bin/vitest'), ['run'], { cwd: ROOT, stdio: 'inherit' }).status,
  },
  {
    name: 'Python (pytest)',
    run: () => {
      const result = spawnSync(VENV_PYTHON, ['-m', 'pytest', '-q'], { cwd: join(ROOT, 'python'), stdio: 'inherit' });
      // pytest exits 5 when it collected nothing: that is a failure here, not a pass.
      return result.status;
    },
  },
];

function main() {
  try {
    bootstrap();
  } catch (error) {
    console.error(`npm test: bootstrap failed: ${error.message}`);
    return 1;
  }
  const outcomes = suites.map((suite) => {
    console.log(`\n=== ${suite.name}`);
    let status;
    try {
      status = suite.run();
    } catch (error) {
      console.error(error.message);
      status = 1;
    }
    return { name: suite.name, ok: status === 0, status };
  });
  console.log('\n=== Summary');
  for (const o of outcomes) console.log(`${o.ok ? 'ok    ' : 'FAILED'} ${o.name}${o.ok ? '' : ` (exit ${o.status})`}`);
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

process.exitCode = main();
