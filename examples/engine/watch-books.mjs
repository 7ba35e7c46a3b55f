#!/usr/bin/env node
/**
 * The engine from Node: start it on the simulated venue, follow books and candles through
 * async iterators, query its state, and stop it cleanly.
 *
 *   node examples/engine/watch-books.mjs [seconds]
 *
 * In your own project: `import { Engine } from '@cwts/engine'`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '@cwts/engine';

const seconds = Number(process.argv[2] ?? 5);
const engine = await Engine.start({
  segment: { name: 'cwts-example' },
  feeds: [{ type: 'simulated', seed: 7, eventsPerSecond: 2000 }],
  candles: { database: ':memory:', timeframes: ['1m'] },
  execution: { database: ':memory:' },
  audit: { database: ':memory:' },
  modes: { stateFile: join(tmpdir(), 'cwts-example-mode.json') },
});
console.log(`engine publishing ${engine.state().symbols.map((s) => s.symbol).join(', ')} to /dev/shm/${engine.segmentName}`);

// A slow consumer of an async iterator loses the oldest events, never slows the engine.
const books = engine.events('book', 1024);
const printer = (async () => {
  let last = 0;
  for await (const book of books) {
    if (Date.now() - last < 1000) continue;
    last = Date.now();
    console.log(`${book.symbol} #${book.updateCount}: ${book.bid} / ${book.ask}`);
  }
})();
engine.on('candle', (c) => console.log(`candle closed: ${c.symbol} ${c.timeframe} O ${c.open} H ${c.high} L ${c.low} C ${c.close} V ${c.volume}`));

await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const btc = engine.state().symbols.find((s) => s.symbol === 'BTC/USDT');
console.log(`BTC/USDT: ${btc?.updates} updates, ${btc?.updatesPerSecond}/s, last ${btc?.last}`);
console.log(`open 1m candle: ${JSON.stringify(engine.candles({ symbol: 'BTC/USDT', timeframe: '1m' }).at(-1))}`);
const summary = await engine.stop(); // ends the iterator too
await printer;
console.log(`stopped: ${summary.totalUpdates} book updates, receive-to-publish p50 ${(summary.publishLatencyNs.p50 / 1000).toFixed(1)} µs`);
