#!/usr/bin/env node
/**
 * `npm run demo`: the main job on its embedded default, no network, no hardware.
 * The engine runs the simulated venue (examples/engine/demo.yaml) into /dev/shm/cwts-demo,
 * while a second process, Python, reads the books through the Cython shim and prints them.
 * Stops by itself after --seconds (default 8), or on Ctrl-C, with a short summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, VENV_PYTHON, bootstrap } from './bootstrap.mjs';

const SEGMENT = 'cwts-demo';

function parseSeconds(argv) {
  const i = argv.indexOf('--seconds');
  const seconds = i >= 0 ? Number(argv[i + 1]) : 8;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    console.error('usage: npm run demo [-- --seconds N]');
    process.exit(2);
  }
  return seconds;
}

function waitForSegment(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (existsSync(`/dev/shm/${SEGMENT}`)) return resolve();
      if (Date.now() > deadline) return reject(new Error(`/dev/shm/${SEGMENT} did not appear`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

function exited(child) {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main() {
  const seconds = parseSeconds(process.argv.slice(2));
  bootstrap();
  console.log(`\ncwts demo: the engine (simulated venue) and a Python reader share /dev/shm/${SEGMENT} for ${seconds} s (Ctrl-C stops early)\n`);
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const engine = spawn(process.execPath, [join(ROOT, 'packages/engine/dist/cli/main.js'), 'run',
    '--config', join(ROOT, 'examples/engine/demo.yaml'), '--seconds', String(seconds + 1)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let engineSummary = '';
  engine.stdout.on('data', (chunk) => (engineSummary += chunk));
  await waitForSegment(10_000);
  const reader = spawn(VENV_PYTHON, [join(ROOT, 'examples/read_books.py'), '--name', SEGMENT, '--seconds', String(seconds)], { stdio: 'inherit' });
  const stop = () => {
    reader.kill('SIGINT');
    engine.kill('SIGINT');
  };
  process.on('SIGINT', stop);
  const readerCode = await exited(reader);
  engine.kill('SIGINT');
  const engineCode = await exited(engine);
  console.log(`\nengine: ${engineSummary.trim()}`);
  return readerCode === 0 && engineCode === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`npm run demo: ${error.message}`);
    process.exitCode = 1;
  },
);
