/**
 * The engine's one config file (JSON or YAML), as a schema: every field has a default
 * where a sane one exists, and an invalid file fails at start with the field's path and why.
 */
import { z } from 'zod';
import { TIMEFRAMES } from '../candles/timeframes.js';

const symbolName = z.string().min(1).max(31).regex(/^[^\0]+$/, 'must not contain NUL');
const positive = z.number().finite().positive();

export const simulatedSymbolSchema = z.strictObject({
  symbol: symbolName,
  startPrice: positive,
  tickSize: positive,
  lotSize: positive,
});

const simulatedFeedSchema = z.strictObject({
  type: z.literal('simulated'),
  name: z.string().min(1).default('sim'),
  seed: z.number().int().default(42),
  eventsPerSecond: z.union([positive, z.literal('max')]).default(2000),
  depth: z.number().int().min(1).max(50).default(50),
  /** Standard deviation of the fair value's move per update, relative to the start price. */
  volatility: positive.optional(),
  /** The venue clock at the start, UTC ms; omitted: now. Fix it to reproduce timestamps too. */
  startTimeMs: z.number().int().nonnegative().optional(),
  /** Omitted: the venue's default symbols. */
  symbols: z.array(simulatedSymbolSchema).min(1).max(100).optional(),
});

const ccxtFeedSchema = z.strictObject({
  type: z.literal('ccxt'),
  name: z.string().min(1).optional(),
  exchange: z.string().min(1),
  symbols: z.array(symbolName).min(1).max(100),
  depth: z.number().int().min(1).max(50).default(50),
  /** Merged into the ccxt constructor config (keys, urls, options). */
  ccxtOptions: z.record(z.string(), z.unknown()).default({}),
});

const replayFeedSchema = z.strictObject({
  type: z.literal('replay'),
  name: z.string().min(1).default('replay'),
  path: z.string().min(1),
  speed: z.union([z.literal('recorded'), z.literal('max'), positive]).default('recorded'),
});

/** One strategy's pre-trade limits; every field is required: a limit left out is not "unlimited". */
export const strategyLimitsSchema = z.strictObject({
  /** Largest order, base currency. */
  maxOrderSize: positive,
  /** Largest order value (size x price, or the reference price for a market order), quote currency. */
  maxOrderValue: positive,
  /** Largest open position value plus working orders value, quote currency. */
  creditLimit: positive,
  /** Limit prices further than this from the reference price (the published mid) are refused, percent. */
  priceCollarPct: positive,
  /** New orders and modifies per second; cancels always pass. */
  maxOrdersPerSecond: positive,
  /** The same order (side, symbol, size, price) again within this window is refused as a duplicate. */
  duplicateWindowMs: z.number().int().nonnegative(),
  /** More fills than this in a minute disables the strategy until an operator re-enables it. */
  maxFillsPerMinute: z.number().int().positive(),
});

const gpioKillSchema = z.strictObject({
  /** The chip's character device, e.g. /dev/gpiochip0. */
  chip: z.string().min(1).max(254),
  /** The line's offset on that chip. */
  line: z.number().int().min(0).max(0xffff_ffff),
  /** The switch pulls the line low when pressed. */
  activeLow: z.boolean().default(false),
  bias: z.enum(['as-is', 'disabled', 'pull-up', 'pull-down']).default('as-is'),
  /** The kernel's debounce period; it adds its whole length to the kill latency, so keep it small. */
  debounceUs: z.number().int().min(0).max(1_000_000).default(0),
  /** The line's user as gpioinfo shows it. */
  consumer: z.string().min(1).max(31).regex(/^[\x20-\x7e]+$/, 'must be printable ASCII').default('cwts-kill'),
});
const endpoint = z.string().regex(/^(ipc:\/\/.+|tcp:\/\/[^:]+:\d+)$/, 'must be ipc://PATH or tcp://HOST:PORT');

/** The ZeroMQ sockets (docs/network.md); every tcp:// endpoint requires CURVE. */
export const networkSchema = z
  .strictObject({
    /** Where engine events and books are published (PUB). */
    publish: z.array(endpoint).default([]),
    /** Where the control socket listens (ROUTER). */
    control: z.array(endpoint).default([]),
    /** CURVE for the tcp:// endpoints: the engine's key pair and the directory of the clients' public keys. */
    curve: z.strictObject({ secretKeyFile: z.string().min(1), authorizedKeysDir: z.string().min(1) }).optional(),
    /** Messages queued per peer (ZeroMQ's high-water mark) and per socket in the engine; beyond, they are dropped and counted. */
    highWaterMark: z.number().int().min(1).max(1_000_000).default(1000),
    /** Levels per side in a published book. */
    bookDepth: z.number().int().min(1).max(50).default(10),
    /** How often the health event goes out. */
    healthMs: z.number().int().min(10).default(1000),
    /** Largest control request accepted; a larger one closes the peer's connection. */
    maxRequestBytes: z.number().int().min(256).max(1 << 20).default(16_384),
  })
  .refine((n) => n.curve !== undefined || ![...n.publish, ...n.control].some((e) => e.startsWith('tcp://')), {
    message: 'tcp:// endpoints need curve: { secretKeyFile, authorizedKeysDir } (cwts keys generate writes them)',
    path: ['curve'],
  });

export const feedSchema = z.discriminatedUnion('type', [simulatedFeedSchema, ccxtFeedSchema, replayFeedSchema]);

const strategyIdSchema = z.number().int().min(1).max(2 ** 32 - 1);
/** Base-currency order size per symbol for the orders a model or the fusion stage sends. */
const orderSizesSchema = z.record(symbolName, positive).default({});

/** An ONNX model as a signal source (docs/model.md); omitted: no model. */
export const modelSchema = z
  .strictObject({
    /** The .onnx file; it must fit the feature set (docs/model.md, "The model contract"). */
    path: z.string().min(1),
    /** Its source name in events, the audit trail and fusion (`model:<name>`); omitted: the file name without .onnx. */
    name: z.string().min(1).optional(),
    /** Symbols to run it on; omitted: every symbol. */
    symbols: z.array(symbolName).min(1).optional(),
    /** p_up at or above this is a buy signal. */
    buyAbove: z.number().gt(0.5).lt(1).default(0.6),
    /** p_up at or below this is a sell signal. */
    sellBelow: z.number().gt(0).lt(0.5).default(0.4),
    /** Run the model on every n-th book update of a symbol (once its features are warm). */
    everyUpdates: z.number().int().positive().default(1),
    /** Inference runs on zeros before the engine takes market data. */
    warmupRuns: z.number().int().min(1).max(10_000).default(20),
    /** Send its signals as market orders into the signal ring, as this strategy id; false: events only. */
    trade: z.boolean().default(false),
    strategyId: strategyIdSchema.default(9001),
    /** At most one order per symbol within this many ms. */
    cooldownMs: z.number().int().nonnegative().default(1000),
    orderSize: orderSizesSchema,
  })
  .refine((m) => m.sellBelow < m.buyAbove, { message: 'sellBelow must be below buyAbove', path: ['sellBelow'] });

/** The weighted vote of several sources on one symbol (docs/model.md, "Signal fusion"); omitted: off. */
export const fusionSchema = z.strictObject({
  /** Who votes, and how much: `model:<name>`, `strategy:<id>` or any name a Node caller proposes under. */
  sources: z
    .array(z.strictObject({ source: z.string().min(1), weight: positive }))
    .min(1)
    .refine((list) => new Set(list.map((s) => s.source)).size === list.length, { message: 'each source may be listed once' }),
  /** A window opens at a symbol's first vote and closes after this, or once every source voted. */
  windowMs: z.number().int().positive().max(60_000).default(500),
  /** |weighted score| needed for an order; the score is in -1..1. */
  threshold: z.number().gt(0).max(1).default(0.5),
  /** Fewer voters than this in a window decide nothing. */
  minSources: z.number().int().positive().default(2),
  /** The fused orders' strategy id in the signal ring (risk limits apply to it as to any strategy). */
  strategyId: strategyIdSchema.default(9000),
  /** Send the fused decision as a market order; false: decide, record and emit only. */
  trade: z.boolean().default(true),
  orderSize: orderSizesSchema,
}).refine((f) => !f.sources.some((s) => s.source === `strategy:${f.strategyId}`), {
  message: 'must not be one of fusion.sources: the fused orders would come back as votes',
  path: ['strategyId'],
});

export const engineConfigSchema = z.strictObject({
  segment: z
    .strictObject({
      name: z.string().min(1).max(200).regex(/^[^/\0]+$/, "must not contain '/'").default('cwts'),
      /** File mode of /dev/shm/<name>, as a number (0o600 = 384) or an octal string ("0600"). */
      mode: z
        .union([z.number().int().min(0).max(0o777), z.string().regex(/^0?[0-7]{3}$/, 'must be octal like "0600"').transform((s) => parseInt(s, 8))])
        .default(0o600),
      /** Remove /dev/shm/<name> when the engine stops; false keeps it for post-mortem reads. */
      unlinkOnStop: z.boolean().default(true),
      heartbeatMs: z.number().int().min(1).max(1000).default(5),
    })
    .prefault({}),
  feeds: z.array(feedSchema).min(1).prefault([{ type: 'simulated' }]),
  validation: z
    .strictObject({
      staleAfterMs: z.number().int().positive().default(5000),
      outlierBandPct: positive.default(10),
      outlierWindow: z.number().int().min(10).default(200),
    })
    .prefault({}),
  candles: z
    .strictObject({
      /** SQLite file; ':memory:' keeps candles for this run only. */
      database: z.string().min(1).default('cwts-candles.sqlite'),
      timeframes: z.array(z.enum(TIMEFRAMES)).min(1).default(['1m', '5m', '1h']),
      /**
       * How often the open candles are written as they stand, so that readers of the
       * database in other processes (the FreqTrade adapter) see the candle in progress.
       */
      flushMs: z.number().int().min(100).max(3_600_000).default(1000),
    })
    .prefault({}),
  /**
   * Pre-trade limits, checked in the hot path on every new order and modify. A strategy with
   * no entry of its own takes the "*" entry; with neither, or without an account limit, every
   * order is refused (RISK_NOT_CONFIGURED).
   */
  risk: z
    .strictObject({
      strategies: z.record(z.string().regex(/^(\*|\d+)$/), strategyLimitsSchema).default({}),
      account: z.strictObject({ creditLimit: positive }).optional(),
      restrictedSymbols: z.array(symbolName).default([]),
    })
    .prefault({}),
  breakers: z
    .strictObject({
      consecutiveLosses: z.number().int().positive().optional(),
      maxDrawdown: positive.optional(),
      errorRate: z.strictObject({ limit: z.number().min(0).max(1), windowMs: z.number().int().positive(), minReports: z.number().int().positive() }).optional(),
      latencyP99Us: positive.optional(),
      /** The mode a trip moves the engine to. */
      tripTo: z.enum(['MANUAL', 'SEMI_AUTO', 'FULL_AUTO', 'EMERGENCY']).default('EMERGENCY'),
      /** 'operator': a trip stays until reset through the API; a number: it clears itself after so many ms. */
      reset: z.union([z.literal('operator'), z.number().int().positive()]).default('operator'),
      /** A trip also engages the kill switch (source 'breaker'): working orders cancelled, and flattened if kill.flatten. */
      engageKill: z.boolean().default(false),
    })
    .prefault({}),
  modes: z
    .strictObject({
      /** The mode on a first start, or after a clean stop (a crash restores the last one). */
      initial: z.enum(['MANUAL', 'SEMI_AUTO', 'FULL_AUTO', 'EMERGENCY']).default('MANUAL'),
      /** Where the mode is kept across runs. */
      stateFile: z.string().min(1).default('cwts-mode.json'),
      /** SEMI_AUTO: an order no operator approves within this is refused. */
      approvalTimeoutMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  audit: z
    .strictObject({
      /** The hash-chained audit trail (SQLite); `<database>.head` beside it holds the latest head. */
      database: z.string().min(1).default('cwts-audit.sqlite'),
      /** FULL: every batch fsynced, survives a power cut; NORMAL: survives a crash, a power cut can lose the last batches (verify then reports the lost tail). */
      durability: z.enum(['FULL', 'NORMAL']).default('FULL'),
    })
    .prefault({}),
  model: modelSchema.optional(),
  fusion: fusionSchema.optional(),
  /** ZeroMQ event publication and control socket; omitted: no network sockets at all. */
  network: networkSchema.optional(),
  /** Record every event of every feed to this file (see `cwts record`); omitted: no recording. */
  record: z.strictObject({ path: z.string().min(1) }).optional(),
  execution: z
    .strictObject({
      /** Take signals from the segment's ring and fill them on the simulated venue. */
      enabled: z.boolean().default(true),
      /** SQLite file of fills and positions; ':memory:' keeps them for this run only. */
      database: z.string().min(1).default('cwts-trades.sqlite'),
      /** Where orders go: the simulated venue (the default), or a live exchange through ccxt. */
      venue: z
        .discriminatedUnion('type', [
          z.strictObject({ type: z.literal('simulated') }),
          z.strictObject({ type: z.literal('ccxt'), exchange: z.string().min(1), ccxtOptions: z.record(z.string(), z.unknown()).default({}) }),
        ])
        .default({ type: 'simulated' }),
    })
    .prefault({}),
  kill: z
    .strictObject({
      /** Engaging also closes every open position with market orders, after cancelling the working ones. */
      flatten: z.boolean().default(false),
      /** A hardware kill switch on a GPIO line (Linux GPIO character device); omitted: none. */
      gpio: gpioKillSchema.optional(),
    })
    .prefault({}),
  colocation: z
    .strictObject({
      /** Core for the engine's main (I/O) thread; omitted: not pinned. */
      ioCore: z.number().int().min(0).optional(),
      /** Core for the execution hot-loop thread; omitted: not pinned. */
      hotLoopCore: z.number().int().min(0).optional(),
      /** Lock the engine's memory (mlockall) so the hot path never page-faults. */
      lockMemory: z.boolean().default(false),
    })
    .prefault({}),
});

export type EngineConfigInput = z.input<typeof engineConfigSchema>;
export type EngineConfig = z.output<typeof engineConfigSchema>;
export type FeedConfig = z.output<typeof feedSchema>;
export type RiskConfig = z.output<typeof engineConfigSchema>['risk'];
export type NetworkConfig = z.output<typeof networkSchema>;
export type StrategyLimits = z.output<typeof strategyLimitsSchema>;
export type GpioKillConfig = z.output<typeof gpioKillSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type FusionConfig = z.output<typeof fusionSchema>;
