/** Helpers the engine's tests share. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach } from 'vitest';
import type { Engine } from '../src/index.js';

/** Waits until `condition` holds, for at most `ms`: no fixed sleeps that a busy machine outruns. */
export async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(5);
  }
}

/** Each test of the calling suite gets a fresh temp `dir`; the `engine` it leaves is stopped, and the dir removed. */
export function perTestEngine(prefix: string): { dir: string; engine: Engine | undefined } {
  const slot: { dir: string; engine: Engine | undefined } = { dir: '', engine: undefined };
  beforeEach(() => {
    slot.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await slot.engine?.stop();
    slot.engine = undefined;
    rmSync(slot.dir, { recursive: true, force: true });
  });
  return slot;
}
