#!/usr/bin/env node
/**
 * `npm test`: bootstraps what is missing, then runs every suite, each with its own
 * runner's summary: C (golden vectors through the generated header), the C++ matcher's own
 * tests, vitest (TypeScript,
 * native addon, cross-process torture), pytest (both Python backends). Every suite runs
 * even when an earlier one fails; the exit code is non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, VENV_PYTHON, bootstrap } from './bootstrap.mjs';
import { buildCPrograms, buildMatcherFuzz, buildMatcherTest } from './c-programs.mjs';

const FUZZ_SECONDS = 10;

const suites = [
  {
    name: 'C',
    run: () => {
      const { golden_check: goldenCheck } = buildCPrograms();
      return spawnSync(goldenCheck, [join(ROOT, 'packages/shm-layout/golden/segment-v1.bin'), join(ROOT, 'packages/shm-layout/golden/segment-v1.expected')], { stdio: 'inherit' }).status;
    },
  },
  {
    name: 'C++ matcher (tests, then 10 s of fuzzing under ASan and UBSan)',
    run: () => spawnSync(buildMatcherTest(), [], { stdio: 'inherit' }).status || spawnSync(buildMatcherFuzz(), [String(FUZZ_SECONDS)], { stdio: 'inherit' }).status,
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
