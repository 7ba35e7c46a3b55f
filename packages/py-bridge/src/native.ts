/**
 * Typed loader for the native addon (native/cwts_native.c): POSIX shared memory, process-shared
 * futexes and thread pinning. The addon is loaded on first use, so importing this package works
 * without it until one of these functions is called.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type FutexWaitResult = 'ok' | 'timeout' | 'not-equal';

/** A failed syscall: `code` is the errno name ("ENOENT", "EEXIST", ... or "E<n>"). */
export interface NativeError extends Error {
  code: string;
}

export interface NativeAddon {
  /** Creates /dev/shm/<name> (never an existing one: EEXIST) with exactly `mode`, sized and mapped shared. */
  shmCreate(name: string, size: number, mode: number): ArrayBuffer;
  /** Maps all of an existing /dev/shm/<name> read/write shared. */
  shmAttach(name: string): ArrayBuffer;
  shmUnlink(name: string): void;
  /** The object's size in bytes, without mapping it. */
  shmSize(name: string): number;
  /**
   * Sleeps while the uint32 at `byteOffset` equals `expected` (process-shared FUTEX_WAIT).
   * 'ok' may be spurious: re-check the word. A negative `timeoutMs` waits forever.
   */
  futexWait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): FutexWaitResult;
  /** Wakes up to `count` waiters on the word at `byteOffset`; returns how many were woken. */
  futexWake(buffer: ArrayBuffer, byteOffset: number, count: number): number;
  /** Pins the calling thread (only) to one core. */
  pinThread(core: number): void;
  onlineCpus(): number;
  currentCpu(): number;
  /** mlockall(MCL_CURRENT | MCL_FUTURE); throws EPERM/ENOMEM when RLIMIT_MEMLOCK is too low. */
  lockMemory(): void;
  /** munlockall(); call before the process exits, V8 aborts at teardown on locked pages. */
  unlockMemory(): void;
}

/** Where `npm run build` puts the addon; the same relative path works from src/ and dist/. */
export const ADDON_PATH = fileURLToPath(new URL('../build/Release/cwts_native.node', import.meta.url));

const require = createRequire(import.meta.url);
let addon: NativeAddon | undefined;

/** Loads the addon once per thread; throws a clear error when it has not been built. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  try {
    addon = require(ADDON_PATH) as NativeAddon;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
      throw new Error(`the cwts native addon is not built (no ${ADDON_PATH}): \`npm run build\` builds it`, { cause: error });
    }
    throw new Error(`cannot load the cwts native addon ${ADDON_PATH}: ${(error as Error).message}`, { cause: error });
  }
  return addon;
}

export function shmCreate(name: string, size: number, mode: number): ArrayBuffer {
  return loadNative().shmCreate(name, size, mode);
}

export function shmAttach(name: string): ArrayBuffer {
  return loadNative().shmAttach(name);
}

export function shmUnlink(name: string): void {
  loadNative().shmUnlink(name);
}

export function shmSize(name: string): number {
  return loadNative().shmSize(name);
}

export function futexWait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutMs: number): FutexWaitResult {
  return loadNative().futexWait(buffer, byteOffset, expected, timeoutMs);
}

export function futexWake(buffer: ArrayBuffer, byteOffset: number, count: number): number {
  return loadNative().futexWake(buffer, byteOffset, count);
}

export function pinThread(core: number): void {
  loadNative().pinThread(core);
}

export function onlineCpus(): number {
  return loadNative().onlineCpus();
}

export function currentCpu(): number {
  return loadNative().currentCpu();
}

export function lockMemory(): void {
  loadNative().lockMemory();
}

export function unlockMemory(): void {
  loadNative().unlockMemory();
}
