/**
 * Child processes for the sections: a measurement program that prints one JSON line, a
 * long-running peer (publisher, echo server, engine) around a measurement, and core pinning.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/bootstrap.mjs';
import { benchSymbols } from '../engine-symbols.mjs';

export const CLI = join(ROOT, 'packages/engine/dist/cli/main.js');

/**
 * Cores for the two sides of a cross-process measurement, or null when this machine cannot
 * pin (one core, or no taskset): the peer (Node) on core 0, the measuring client on core 1.
 */
export const PINNING = os.availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0 ? { peer: 0, client: 1 } : null;

/** `command args`, on `core` when given and pinning works. */
function pinned(command, args, core) {
  return core === undefined || PINNING === null ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
}

/**
 * Runs a program to its end and parses the last line of its stdout that starts with '{' as
 * JSON (other lines, such as V8's --trace-gc, may follow it); rejects with its stderr.
 */
export function runJson(command, args, { core, timeoutMs = 600_000 } = {}) {
  const [file, argv] = pinned(command, args, core);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const what = `${command} ${args.join(' ')}`;
      if (code !== 0) return reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-2000)}`));
      const last = stdout.split('\n').findLast((line) => line.startsWith('{')) ?? '';
      try {
        resolve({ result: JSON.parse(last), stdout });
      } catch {
        reject(new Error(`${what} printed no JSON line at the end: ${JSON.stringify(last.slice(0, 200))}`));
      }
    });
  });
}

/**
 * Starts a long-running peer that prints one JSON line when it is ready; resolves to that
 * line and a stop function (SIGTERM, then SIGKILL after a second).
 */
export async function startPeer(command, args, { core, readyTimeoutMs = 20_000 } = {}) {
  const [file, argv] = pinned(command, args, core);
  const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const ready = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} was not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)));
        } catch {
          reject(new Error(`${command} printed ${JSON.stringify(stdout.slice(0, newline))} instead of its JSON ready line`));
        }
      });
      exited.then((how) => reject(new Error(`${command} ${args.join(' ')} exited (${how}) before it was ready: ${stderr.trim().slice(-2000)}`)));
    });
    return { ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until /dev/shm/<name> exists (at most 5 s). */
export async function segmentExists(name) {
  for (let i = 0; i < 500 && !existsSync(`/dev/shm/${name}`); i++) await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(`/dev/shm/${name}`)) throw new Error(`/dev/shm/${name} did not appear within 5 s`);
}

/** Starts `cwts stress-publish` in the background; resolves once its segment exists. */
export async function startPublisher(name, args) {
  const child = spawn(process.execPath, [CLI, 'stress-publish', '--name', name, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => (code === 0 || signal === 'SIGINT' ? resolve() : reject(new Error(`cwts stress-publish failed (${signal ?? code}): ${stderr.trim()}`)))),
  );
  done.catch(() => {}); // handled where the caller awaits `done`; not an unhandled rejection meanwhile
  try {
    await segmentExists(name);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, done };
}

/**
 * Runs `cwts run` on the simulated venue (`symbols` symbols, `rate` updates/s or 'max'), every
 * risk control on with limits it never reaches, around `measure(segmentName, candlesFile)`;
 * with `keepCandles`, 1m candles go to `candlesFile`, which another process can read.
 */
export async function withEngine(symbols, rate, measure, { keepCandles = false } = {}) {
  const name = `cwts-bench-engine-${process.pid}`;
  const dir = mkdtempSync(join(os.tmpdir(), 'cwts-bench-'));
  const config = join(dir, 'engine.json');
  const candles = keepCandles ? { database: join(dir, 'candles.sqlite'), timeframes: ['1m'], flushMs: 500 } : { database: ':memory:' };
  writeFileSync(config, JSON.stringify({ ...engineConfig(name, symbols, rate, dir), candles }));
  const engine = spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    await segmentExists(name);
    await new Promise((r) => setTimeout(r, 500)); // warm-up
    return await measure(name, candles.database);
  } finally {
    engine.kill('SIGINT');
    await new Promise((resolve) => (engine.exitCode === null ? engine.on('exit', resolve) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine configuration of the sections that run it steadily: in-memory stores, FULL_AUTO, risk on, state in `dir`. */
export function engineConfig(name, symbols, rate, dir) {
  const feed = { type: 'simulated', eventsPerSecond: rate, ...(symbols === 5 ? {} : { symbols: benchSymbols(symbols) }) };
  const risk = { account: { creditLimit: 1e12 }, strategies: { '*': { maxOrderSize: 1e6, maxOrderValue: 1e12, creditLimit: 1e12, priceCollarPct: 50, maxOrdersPerSecond: 1e6, duplicateWindowMs: 0, maxFillsPerMinute: 1e9 } } };
  return { segment: { name }, feeds: [feed], candles: { database: ':memory:' }, execution: { database: ':memory:' }, audit: { database: ':memory:' }, modes: { initial: 'FULL_AUTO', stateFile: join(dir, 'mode.json') }, risk };
}
