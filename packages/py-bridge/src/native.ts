/**
 * Typed loader for the native addon (native/cwts_native.c): POSIX shared memory, process-shared
 * futexes, thread pinning and the GPIO kill line (native/gpio_line.c). The addon is loaded on first use, so importing this package works
 * without it until one of these functions is called.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type FutexWaitResult = 'ok' | 'timeout' | 'not-equal';

/** A failed syscall: `code` is the errno name ("ENOENT", "EEXIST", ... or "E<n>"). */
export interface NativeError extends Error {
  code: string;
}

/** How the line's input is biased; 'as-is' leaves what the board or a previous user set. */
export type GpioBias = 'as-is' | 'disabled' | 'pull-up' | 'pull-down';

export interface GpioLineOptions {
  /** Shown as the line's user by gpioinfo; default "cwts-kill". At most 31 bytes. */
  readonly consumer?: string;
  /** The line is active when low: the kernel then reports logical levels (a rising edge is "went active"). */
  readonly activeLow?: boolean;
  readonly bias?: GpioBias;
  /** The kernel's debounce period, 0..1,000,000 µs; it adds its whole period to the edge latency. */
  readonly debounceUs?: number;
}

/** The uAPI v2 line request as sent to the kernel (flags are GPIO_V2_LINE_FLAG_* bits). */
export interface GpioLineRequest {
  readonly offset: number;
  readonly consumer: string;
  readonly flags: number;
  readonly numAttrs: number;
  readonly debounceUs: number;
  readonly eventBufferSize: number;
}

export interface GpioOpenedLine {
  /** The line request fd: poll it, read struct gpio_v2_line_event from it, close it to free the line. */
  readonly fd: number;
  /** The logical level at open: edges alone would miss a line that is already active. */
  readonly active: boolean;
  readonly request: GpioLineRequest;
}

interface GpioEventCounts {
  /** Events the kernel dropped so far (gaps in seqno: it drops the oldest on overflow). */
  readonly gaps: number;
  /** Active edges so far (each one set the flag). */
  readonly activeEdges: number;
}

/** An edge of the line; on an active one the watcher had set the flag before this was queued. */
export interface GpioEdgeEvent extends GpioEventCounts {
  readonly kind: 'edge';
  readonly active: boolean;
  /** The kernel's timestamp of the edge, CLOCK_MONOTONIC ns (process.hrtime.bigint's clock). */
  readonly timestampNs: bigint;
  /** When the watcher thread set the flag (active edges only), CLOCK_MONOTONIC ns. */
  readonly flagSetNs?: bigint;
  readonly offset: number;
  readonly seqno: number;
  readonly lineSeqno: number;
}

/**
 * Something the watcher could not take as an edge: a malformed struct or short read (it goes on),
 * or the end of the line's events or a failed syscall (`ended`: it watches no more).
 */
export interface GpioErrorEvent extends GpioEventCounts {
  readonly kind: 'error';
  /** 'MALFORMED', 'SHORT_READ', 'EOF', or the errno name of a failed poll/read. */
  readonly code: string;
  readonly message: string;
  readonly ended: boolean;
}

export type GpioLineEvent = GpioEdgeEvent | GpioErrorEvent;

export interface GpioWatcherStats extends GpioEventCounts {
  readonly events: number;
  readonly errors: number;
  readonly running: boolean;
}

/** The watcher thread: stop() wakes it, joins it and releases what it held. */
export interface GpioWatcher {
  stop(): void;
  stats(): GpioWatcherStats;
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
  /** The request gpioOpenLine would send for these options, without opening anything. */
  gpioLineRequest(offset: number, options: GpioLineOptions): GpioLineRequest;
  /** Requests one input line with both edges through the chip's character device, and reads its level. */
  gpioOpenLine(chip: string, offset: number, options: GpioLineOptions): GpioOpenedLine;
  /**
   * Starts a thread that reads line events from `fd` (the caller keeps owning it). On each active
   * edge it ORs `mask` into the uint32 at `byteOffset` of `buffer`, then queues the event for `onEvent`.
   */
  gpioWatch(fd: number, offset: number, label: string, buffer: ArrayBuffer, byteOffset: number, mask: number, onEvent: (event: GpioLineEvent) => void): GpioWatcher;
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

export function gpioLineRequest(offset: number, options: GpioLineOptions = {}): GpioLineRequest {
  return loadNative().gpioLineRequest(offset, options);
}

export function gpioOpenLine(chip: string, offset: number, options: GpioLineOptions = {}): GpioOpenedLine {
  return loadNative().gpioOpenLine(chip, offset, options);
}

export function gpioWatch(fd: number, offset: number, label: string, buffer: ArrayBuffer, byteOffset: number, mask: number, onEvent: (event: GpioLineEvent) => void): GpioWatcher {
  return loadNative().gpioWatch(fd, offset, label, buffer, byteOffset, mask, onEvent);
}
