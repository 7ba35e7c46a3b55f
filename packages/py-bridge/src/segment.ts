/**
 * The segment object: create it (the engine) or attach to it (tools, tests), with the
 * identity check of docs/segment.md. Holds the accessors every other module writes through.
 */
import {
  HeaderFlag,
  HeaderView,
  LAYOUT_HASH,
  LAYOUT_VERSION,
  MAGIC,
  SEGMENT_SIZE,
  SegmentAccessors,
  formatSegment,
  headerOffset,
  type ControlMode,
} from '@cwts/shm-layout';
import type { FlagWord } from './gpio-line.js';
import { shmAttach, shmCreate, shmUnlink } from './native.js';

export const DEFAULT_SEGMENT_NAME = 'cwts';
export const DEFAULT_SEGMENT_MODE = 0o600;

export type SegmentErrorCode = 'SEGMENT_NOT_FOUND' | 'SEGMENT_EXISTS' | 'SIZE_MISMATCH' | 'LAYOUT_MISMATCH';

export class SegmentError extends Error {
  override name = 'SegmentError';
  constructor(readonly code: SegmentErrorCode, message: string) {
    super(message);
  }
}

export interface CreateOptions {
  readonly name?: string;
  /** File mode of /dev/shm/<name>; 0600 keeps other users out. */
  readonly mode?: number;
  /** Replace an existing object whose engine is gone; a live engine's is never replaced. */
  readonly replace?: boolean;
}

const hex = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`;

function processAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

export class Segment {
  readonly accessors: SegmentAccessors;
  readonly header: HeaderView;

  private constructor(
    readonly name: string,
    readonly buffer: ArrayBuffer,
  ) {
    this.accessors = new SegmentAccessors(buffer);
    this.header = new HeaderView(this.accessors.views).at(headerOffset());
  }

  get path(): string {
    return `/dev/shm/${this.name}`;
  }

  /** Creates and initialises a fresh segment; the caller is its only writer of market data. */
  static create(options: CreateOptions = {}): Segment {
    const name = options.name ?? DEFAULT_SEGMENT_NAME;
    const mode = options.mode ?? DEFAULT_SEGMENT_MODE;
    let buffer: ArrayBuffer;
    try {
      buffer = shmCreate(name, SEGMENT_SIZE, mode);
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw error;
      Segment.refuseIfLive(name, options.replace ?? false);
      shmUnlink(name);
      buffer = shmCreate(name, SEGMENT_SIZE, mode);
    }
    const segment = new Segment(name, buffer);
    formatSegment(segment.accessors.views, { enginePid: process.pid, createdNs: Date.now() * 1e6, heartbeatNs: process.hrtime.bigint() });
    return segment;
  }

  /** Attaches to an existing segment after checking that it is the layout this build reads. */
  static attach(name: string = DEFAULT_SEGMENT_NAME): Segment {
    let buffer: ArrayBuffer;
    try {
      buffer = shmAttach(name);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) {
        throw new SegmentError('SEGMENT_NOT_FOUND', `no segment /dev/shm/${name}: start the engine, or pass the name it uses`);
      }
      throw error;
    }
    if (buffer.byteLength !== SEGMENT_SIZE) {
      throw new SegmentError(
        'SIZE_MISMATCH',
        `/dev/shm/${name} is ${buffer.byteLength} bytes, layout v${LAYOUT_VERSION} needs ${SEGMENT_SIZE}: ` +
          'the engine and this reader were built from different specs; rebuild both from one checkout',
      );
    }
    const segment = new Segment(name, buffer);
    segment.checkIdentity();
    return segment;
  }

  static unlink(name: string = DEFAULT_SEGMENT_NAME): void {
    try {
      shmUnlink(name);
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
    }
  }

  private static refuseIfLive(name: string, replace: boolean): void {
    let pid = 0;
    try {
      const existing = new Segment(name, shmAttach(name));
      pid = existing.header.enginePid;
    } catch {
      // An object of the wrong size or content belongs to no live engine of ours.
    }
    if (processAlive(pid) && pid !== process.pid) {
      throw new SegmentError('SEGMENT_EXISTS', `/dev/shm/${name} belongs to a running engine (pid ${pid}); stop it or use another name`);
    }
    if (!replace) {
      throw new SegmentError(
        'SEGMENT_EXISTS',
        `/dev/shm/${name} exists, left by an engine that is gone (pid ${pid}); pass replace to take it over, or remove it`,
      );
    }
  }

  private checkIdentity(): void {
    const h = this.header;
    if (h.magic !== MAGIC) {
      throw new SegmentError('LAYOUT_MISMATCH', `/dev/shm/${this.name} has magic ${hex(h.magic)}, expected ${hex(MAGIC)} ("CWTS-SHM"): not a cwts segment`);
    }
    if (h.layoutVersion !== LAYOUT_VERSION || h.layoutHash !== LAYOUT_HASH) {
      throw new SegmentError(
        'LAYOUT_MISMATCH',
        `/dev/shm/${this.name} has layout v${h.layoutVersion} hash ${hex(h.layoutHash)}, this build reads v${LAYOUT_VERSION} hash ${hex(LAYOUT_HASH)}: ` +
          'rebuild the engine and its readers from the same checkout',
      );
    }
  }

  beat(): void {
    this.header.heartbeatNs = process.hrtime.bigint();
  }

  setFlag(flag: HeaderFlag, on: boolean): void {
    const index = this.header.flagsIndex;
    if (on) Atomics.or(this.accessors.views.u32, index, flag);
    else Atomics.and(this.accessors.views.u32, index, ~flag >>> 0);
  }

  /** Where a header flag lives, for a native thread to set it (the GPIO kill watcher). */
  flagWord(flag: HeaderFlag): FlagWord {
    return { buffer: this.buffer, byteOffset: this.header.flagsIndex * 4, mask: flag };
  }

  hasFlag(flag: HeaderFlag): boolean {
    return (this.header.flags & flag) !== 0;
  }

  setControlMode(mode: ControlMode): void {
    this.header.controlMode = mode;
  }

  /** Marks the engine alive and keeps its heartbeat fresh until the returned stop is called. */
  startHeartbeat(periodMs = 5): () => void {
    this.setFlag(HeaderFlag.ENGINE_ALIVE, true);
    this.setFlag(HeaderFlag.STOPPED_CLEANLY, false);
    this.beat();
    const timer = setInterval(() => this.beat(), periodMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.setFlag(HeaderFlag.ENGINE_ALIVE, false);
      this.setFlag(HeaderFlag.STOPPED_CLEANLY, true);
    };
  }
}
