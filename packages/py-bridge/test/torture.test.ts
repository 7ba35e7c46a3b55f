/**
 * The torture test of docs/segment.md: `cwts stress-publish` writes as fast as it can
 * while readers in C, Cython and pure Python, each its own process, check every snapshot
 * against the stress pattern. Bounded in time; asserts zero torn reads.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { buildCPrograms } from '../../../scripts/c-programs.mjs';
// @ts-expect-error: plain ESM build helpers shared with scripts/test.mjs
import { ROOT, VENV_PYTHON } from '../../../scripts/bootstrap.mjs';
import { Segment } from '../src/segment.js';

interface CheckResult {
  backend: string;
  reads: number;
  torn: number;
  retries: number;
  first_torn: unknown;
  latency_ns: { p50: number; p99: number; count: number };
}

const NAME = `cwts-torture-${process.pid}`;
const PUBLISH_SECONDS = 8;
const READ_SECONDS = 5;
const SYMBOLS = 4;

function runToEnd(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 500 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('torture: one publisher, readers in C, Cython and pure Python', () => {
  let publisher: Promise<{ code: number; stdout: string; stderr: string }>;
  let results: CheckResult[] = [];
  const cli = join(ROOT, 'packages/engine/dist/cli/main.js');

  beforeAll(async () => {
    const { stress_check: cReader } = buildCPrograms() as { stress_check: string };
    publisher = runToEnd(process.execPath, [cli, 'stress-publish', '--name', NAME, '--seconds', String(PUBLISH_SECONDS), '--symbols', String(SYMBOLS), '--json']);
    await waitFor(`/dev/shm/${NAME}`);
    const readers = await Promise.all([
      runToEnd(cReader, [NAME, String(READ_SECONDS), String(SYMBOLS)]),
      runToEnd(VENV_PYTHON, ['-m', 'cwts.stress_check', '--name', NAME, '--seconds', String(READ_SECONDS), '--symbols', String(SYMBOLS), '--backend', 'cython']),
      runToEnd(VENV_PYTHON, ['-m', 'cwts.stress_check', '--name', NAME, '--seconds', String(READ_SECONDS), '--symbols', String(SYMBOLS), '--backend', 'python']),
    ]);
    results = readers.map((r) => {
      if (!r.stdout.trim()) throw new Error(`a reader printed nothing (exit ${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as CheckResult;
    });
  }, 60_000);

  afterAll(async () => {
    await publisher;
    Segment.unlink(NAME);
  });

  it('publishes at full speed for the whole run', async () => {
    const { code, stdout } = await publisher;
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim()) as { updates: number; updatesPerSecond: number };
    expect(summary.updates).toBeGreaterThan(0);
    console.log(`stress-publish: ${summary.updates} updates, ${Math.round(summary.updatesPerSecond)} updates/s`);
  });

  for (const backend of ['c', 'cython', 'python']) {
    it(`${backend} reader checks many snapshots and finds no torn read`, () => {
      const result = results.find((r) => r.backend === backend);
      expect(result, `no result from the ${backend} reader`).toBeDefined();
      console.log(`${backend}: ${result!.reads} snapshots checked, ${result!.torn} torn, ${result!.retries} seqlock retries, publish-to-read p50 ${result!.latency_ns.p50} ns`);
      expect(result!.torn, JSON.stringify(result!.first_torn)).toBe(0);
      expect(result!.reads).toBeGreaterThan(1000);
    });
  }
});
