/**
 * Recordings of market events: gzip-compressed lines, a JSON header first, then one compact
 * JSON array per event (symbols as indexes into the header, levels flattened, receive times
 * relative to the first event). A replay yields the same events in the same order every
 * time, paced on the recorded receive times or as fast as possible.
 */
import { createReadStream, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import type { FeedConfig } from '../config/schema.js';
import type { Feed, FeedState, Level, MarketEvent } from '../market/events.js';

export const RECORDING_FORMAT = 'cwts-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: number;
  readonly startedMs: number;
  readonly feeds: readonly { readonly name: string; readonly symbols: readonly string[] }[];
  readonly symbols: readonly string[];
}

type Line =
  | ['s' | 'd', number, number, number, number, number[], number[]]
  | ['t', number, number, number, string, number, number, 'b' | 's']
  | ['k', number, number, number, number, number]
  | ['f', string, string | null, FeedState, string | null];

const flatten = (levels: readonly Level[]): number[] => levels.flatMap(([price, size]) => [price, size]);

function unflatten(flat: unknown): Level[] {
  if (!Array.isArray(flat) || flat.length % 2 !== 0) throw new Error('levels must be a flat [price, size, ...] array');
  const levels: Level[] = [];
  for (let i = 0; i < flat.length; i += 2) levels.push([Number(flat[i]), Number(flat[i + 1])]);
  return levels;
}

export class RecordingWriter {
  private readonly gzip: Gzip;
  private readonly file: WriteStream;
  private readonly symbolIndex: Map<string, number>;
  private firstReceiveNs: number | undefined;
  events = 0;

  constructor(readonly path: string, feeds: readonly Pick<Feed, 'name' | 'symbols'>[]) {
    const symbols = feeds.flatMap((f) => f.symbols);
    this.symbolIndex = new Map(symbols.map((s, i) => [s, i]));
    this.gzip = createGzip();
    // Opened here, synchronously, so that a bad path fails the caller instead of a later event.
    this.file = createWriteStream(path, { fd: openSync(path, 'w', 0o644) });
    this.gzip.pipe(this.file);
    const header: RecordingHeader = { format: RECORDING_FORMAT, version: RECORDING_VERSION, startedMs: Date.now(), feeds: feeds.map((f) => ({ name: f.name, symbols: [...f.symbols] })), symbols };
    this.gzip.write(`${JSON.stringify(header)}\n`);
  }

  write(event: MarketEvent): void {
    this.gzip.write(`${JSON.stringify(this.encode(event))}\n`);
    this.events++;
  }

  /** Flushes and closes the file; resolves when it is on disk. */
  async close(): Promise<void> {
    this.gzip.end();
    await finished(this.file);
  }

  private encode(event: MarketEvent): Line {
    if (event.type === 'status') return ['f', event.feed, event.symbol ?? null, event.state, event.reason ?? null];
    const symbol = this.symbolIndex.get(event.symbol) ?? -1;
    this.firstReceiveNs ??= event.receiveTsNs;
    const receive = event.receiveTsNs - this.firstReceiveNs;
    switch (event.type) {
      case 'snapshot':
      case 'delta':
        return [event.type === 'snapshot' ? 's' : 'd', symbol, event.exchangeTsMs, receive, event.sequence, flatten(event.bids), flatten(event.asks)];
      case 'trade':
        return ['t', symbol, event.exchangeTsMs, receive, event.id, event.price, event.size, event.side === 'buy' ? 'b' : 's'];
      case 'ticker':
        return ['k', symbol, event.exchangeTsMs, receive, event.last, event.volume24h];
    }
  }
}

export type ReplayFeedConfig = Extract<FeedConfig, { type: 'replay' }>;

/** Lines between two yields to the event loop when replaying as fast as possible. */
const BATCH = 256;

export class ReplayFeed implements Feed {
  readonly name: string;
  private closed = false;

  private constructor(private readonly config: ReplayFeedConfig, readonly header: RecordingHeader) {
    this.name = config.name;
  }

  get symbols(): readonly string[] {
    return this.header.symbols;
  }

  /** Reads the header; a file that is not a recording fails here, with its path. */
  static async open(config: ReplayFeedConfig): Promise<ReplayFeed> {
    const lines = openLines(config.path);
    try {
      const first = await lines[Symbol.asyncIterator]().next();
      if (first.done) throw new Error('it is empty');
      let header: RecordingHeader;
      try {
        header = JSON.parse(first.value) as RecordingHeader;
      } catch {
        throw new Error('its first line is not a JSON header');
      }
      if (header.format !== RECORDING_FORMAT) throw new Error(`its header says format ${JSON.stringify(header.format)}, expected "${RECORDING_FORMAT}"`);
      if (header.version !== RECORDING_VERSION) throw new Error(`it is version ${header.version}; this engine reads version ${RECORDING_VERSION}`);
      if (!Array.isArray(header.symbols)) throw new Error('its header has no symbols list');
      return new ReplayFeed(config, header);
    } catch (error) {
      throw new Error(`${config.path} is not a cwts recording: ${(error as Error).message}`, { cause: error });
    } finally {
      lines.close();
    }
  }

  async *events(): AsyncGenerator<MarketEvent> {
    const lines = openLines(this.config.path);
    const speed = this.config.speed;
    const startedNs = Number(process.hrtime.bigint());
    let number = 0;
    yield { type: 'status', feed: this.name, state: 'live' };
    try {
      for await (const text of lines) {
        if (this.closed) break;
        if (++number === 1) continue; // the header
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          throw new Error(`${this.config.path} line ${number}: not JSON (the recording is damaged or truncated)`);
        }
        const recordedNs = line[0] === 'f' ? undefined : line[3];
        if (speed === 'max' || recordedNs === undefined) {
          if (number % BATCH === 0) await yieldToLoop();
        } else {
          const factor = speed === 'recorded' ? 1 : speed;
          const aheadMs = (recordedNs / factor - (Number(process.hrtime.bigint()) - startedNs)) / 1e6;
          if (aheadMs >= 1) await sleep(aheadMs);
        }
        yield this.decode(line, number);
      }
    } finally {
      lines.close();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private decode(line: Line, number: number): MarketEvent {
    const receiveTsNs = Number(process.hrtime.bigint());
    const symbolOf = (index: number): string => {
      const symbol = this.header.symbols[index];
      if (symbol === undefined) throw new Error(`${this.config.path} line ${number}: symbol index ${index} is not in the header`);
      return symbol;
    };
    switch (line[0]) {
      case 's':
      case 'd':
        return { type: line[0] === 's' ? 'snapshot' : 'delta', symbol: symbolOf(line[1]), exchangeTsMs: line[2], receiveTsNs, sequence: line[4], bids: unflatten(line[5]), asks: unflatten(line[6]) };
      case 't':
        return { type: 'trade', symbol: symbolOf(line[1]), exchangeTsMs: line[2], receiveTsNs, id: line[4], price: line[5], size: line[6], side: line[7] === 'b' ? 'buy' : 'sell' };
      case 'k':
        return { type: 'ticker', symbol: symbolOf(line[1]), exchangeTsMs: line[2], receiveTsNs, last: line[4], volume24h: line[5] };
      case 'f':
        // The recorded feeds' states become this feed's: its symbols are the recorded ones.
        return { type: 'status', feed: this.name, ...(line[2] === null ? {} : { symbol: line[2] }), state: line[3], ...(line[4] === null ? {} : { reason: line[4] }) };
      default:
        throw new Error(`${this.config.path} line ${number}: unknown record kind ${JSON.stringify((line as unknown[])[0])}`);
    }
  }
}

function openLines(path: string): ReturnType<typeof createInterface> {
  const file = createReadStream(path);
  const input = createGunzip();
  // pipe() does not forward errors: a missing file must fail the reader, not hang it.
  file.on('error', (error) => input.destroy(error));
  return createInterface({ input: file.pipe(input), crlfDelay: Infinity });
}
