/**
 * What a running engine knows beyond the segment (rates, latencies, co-location), written
 * once a second beside it for `cwts status` to read. Written to a temp name and renamed,
 * so a reader never sees half a file.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { EngineState } from './engine.js';

export function stateFilePath(segmentName: string): string {
  return `/dev/shm/${segmentName}.state.json`;
}

export function writeStateFile(segmentName: string, state: EngineState): void {
  const path = stateFilePath(segmentName);
  writeFileSync(`${path}.tmp`, JSON.stringify({ writtenAtMs: Date.now(), ...state }), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function readStateFile(segmentName: string): (EngineState & { writtenAtMs: number }) | undefined {
  try {
    return JSON.parse(readFileSync(stateFilePath(segmentName), 'utf8')) as EngineState & { writtenAtMs: number };
  } catch {
    return undefined;
  }
}

export function removeStateFile(segmentName: string): void {
  rmSync(stateFilePath(segmentName), { force: true });
}
