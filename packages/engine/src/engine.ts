/**
 * The engine: owns the segment, the feeds, the books and the candles. `Engine.start`
 * validates the config, applies co-location, creates the segment and starts every feed;
 * `stop` ends them cleanly and says what the run did.
 */
import { ControlMode, HeaderFlag, MAX_SYMBOLS, SymbolStatus } from '@cwts/shm-layout';
import { MarketDataWriter, Segment, SegmentError, SignalProducer, native, type GpioLine, type Report } from '@cwts/py-bridge';
import { CandleBuilder } from './candles/candle-builder.js';
import { CandleStore, type CandleQuery } from './candles/candle-store.js';
import type { Candle } from './candles/candle-builder.js';
import { ConfigError, validateConfig } from './config/load.js';
import type { EngineConfig, EngineConfigInput, RiskConfig } from './config/schema.js';
import { TypedEmitter, type EventStream } from './events/emitter.js';
import { openFeed } from './feeds/open-feed.js';
import { RecordingWriter } from './feeds/recording.js';
import { ExecutionThread, type ExecutionSummary } from './execution/execution-thread.js';
import type { OrderRouter } from './execution/order-router.js';
import { OrderLedger, reconcile, type Reconciliation } from './execution/reconciliation.js';
import type { PositionRecord } from './execution/record-ring.js';
import { applyLimitUpdate, type LimitUpdate } from './risk/limit-update.js';
import { RISK_CONTROLS, type RiskControl } from './risk/pre-trade.js';
import { KillSwitch, type KillEvent } from './kill/kill-switch.js';
import { GpioKillSource, type GpioKillLineEvent } from './kill/gpio-kill-source.js';
import { AuditTrail } from './audit/audit-trail.js';
import { Breakers, type BreakerTrip } from './risk/breakers.js';
import { ModeMachine, modeName, type ModeChange, type ModeName } from './modes/control-mode.js';
import { TradeStore, type StoredFill, type StoredPosition } from './execution/trade-store.js';
import { ordersLeftWorking, planRecovery, readLeftBehind, type EndedOrder, type RecoveryPlan } from './recovery/crash-recovery.js';
import type { Feed, FeedStatus, Trade } from './market/events.js';
import { MarketPipeline, type PublishedBook } from './market/pipeline.js';
import type { ValidationCounts } from './book/validation.js';
import type { Percentiles } from './stats/sample-window.js';
import { SignalOutlet } from './execution/signal-outlet.js';
import { SignalSources, type FusionOutcome, type ModelEvent, type ModelState } from './fusion/signal-sources.js';
import type { ProposeResult, Vote } from './fusion/fusion-stage.js';
import type { NetworkCounts, NetworkService } from './network/network-service.js';

export interface EngineEvents extends Record<string, unknown> {
  book: PublishedBook;
  trade: Trade;
  candle: Candle;
  status: FeedStatus;
  /** The result of a reconciliation with the venue (at start with a live venue, and on demand). */
  reconcile: Reconciliation;
  /** The control mode changed (and the mode at start, with why). */
  mode: ModeChange;
  /** A SEMI_AUTO order waits for `approve(orderId)` or `refuse(orderId)`. */
  approval: { readonly orderId: number; readonly strategyId: number; readonly clientOrderId: number; readonly symbol: string; readonly side: 'buy' | 'sell'; readonly size: number; readonly price: number | undefined };
  /** A circuit breaker tripped (the engine moved to breakers.tripTo). */
  breaker: BreakerTrip;
  /** The kill switch engaged or released (with who and why), and what the hot loop cancelled. */
  kill: KillEvent & { readonly cancelled?: number; readonly flattened?: number };
  /** The GPIO kill line went active or inactive, or cannot be read (kill.gpio). */
  gpio: GpioKillLineEvent;
  /** A pre-trade refusal with its control and numbers, or a throttle that disabled a strategy (clientOrderId 0). */
  risk: RiskEvent;
  /** A report the execution published to the strategies (and to this stream). */
  report: Report;
  /** Every output of the model (config `model`), with the order it sent when it sent one. */
  model: ModelEvent;
  /** A fusion window decided (config `fusion`): every vote it counted, the decision and its order. */
  fusion: FusionOutcome;
  /** A strategy's position in a symbol after a fill, with its P&L. */
  position: PositionRecord;
  /** An operator changed a pre-trade limit at run time. */
  limit: LimitUpdate;
  /** A feed's events ended: a replay at its end, or a feed that failed for good. */
  feedEnded: { readonly feed: string; readonly reason: string };
}

export interface RiskEvent {
  readonly reason: number;
  readonly control: RiskControl | 'unknown';
  readonly strategyId: number;
  readonly clientOrderId: number;
  readonly symbol: string;
  readonly limit: number;
  readonly attempted: number;
  readonly reference: number;
}

export interface ColocationState {
  readonly ioCore: number | 'not pinned' | `failed: ${string}`;
  readonly memoryLocked: boolean | `failed: ${string}`;
  /** The execution hot-loop thread's core. */
  readonly hotLoopCore?: number | string;
  readonly onlineCpus: number;
}

export interface SymbolReport {
  readonly symbol: string;
  readonly index: number;
  readonly feed: string;
  readonly updates: number;
  readonly updatesPerSecond: number;
  readonly bid: number | undefined;
  readonly ask: number | undefined;
  readonly last: number;
  readonly flags: number;
  /** How often each validation flag was raised. */
  readonly validation: ValidationCounts;
}

export interface EngineState {
  readonly segment: string;
  readonly pid: number;
  readonly uptimeSeconds: number;
  readonly symbols: readonly SymbolReport[];
  readonly colocation: ColocationState;
  /** Receive to publish inside the engine, ns, over the most recent updates. */
  readonly publishLatencyNs: Percentiles;
  readonly unknownSymbolEvents: number;
  readonly lateTrades: number;
  /** Events recorded so far, when recording. */
  readonly recordedEvents: number | undefined;
  /** What the model did (config `model`): inferences, skips, warm-up; undefined without one. */
  readonly model: ModelState | undefined;
}

export interface EngineSummary extends EngineState {
  readonly totalUpdates: number;
  /** What the hot loop did; undefined when execution is off. */
  readonly execution: ExecutionSummary | undefined;
}

export interface EngineOptions {
  /** A line to watch as the kill switch instead of opening kill.gpio's (a stand-in where there is no GPIO); the engine closes it on stop. */
  readonly gpioKillLine?: GpioLine;
}

/** A signal for `Engine.submitSignal`: the ring's fields, with the symbol by name. */
export interface EngineSignal {
  readonly symbol: string;
  readonly action: number;
  readonly orderType: number;
  readonly timeInForce: number;
  readonly strategyId: number;
  readonly size: number;
  readonly price: number;
  readonly confidence: number;
  /** The order a CANCEL or MODIFY targets; 0 otherwise. */
  readonly targetClientOrderId: number;
}

export class ExecutionOffError extends Error {}

// A slot index past every symbol: the hot loop's validation rejects it as UNKNOWN_SYMBOL.
const NO_SYMBOL = 0xffffffff;
const STALE_CHECK_MS = 100;
const REPORT_DRAIN_MS = 5;

export class Engine {
  private static readonly segmentsInUse = new Set<string>();
  private readonly emitter = new TypedEmitter<EngineEvents>();
  private readonly pumps: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedMs = Date.now();
  private readonly rates = new Map<string, { count: number; perSecond: number }>();
  private stopping: Promise<EngineSummary> | undefined;
  private execution: ExecutionThread | undefined;
  private trades: TradeStore | undefined;
  private router: OrderRouter | undefined;
  private audit: AuditTrail | undefined;
  private recovery: RecoveryPlan | undefined;
  private sources: SignalSources | undefined;
  private readonly ledger = new OrderLedger((index) => this.symbolName(index));
  private readonly killSwitch: KillSwitch;
  private gpioKill: GpioKillSource | undefined;
  private readonly onKillSignal = (): void => this.killSwitch.engage('signal', 'SIGUSR1');
  private readonly breakers: Breakers;

  private modes!: ModeMachine;
  private riskLimits: RiskConfig;
  private producer: SignalProducer | undefined;
  private draining: Promise<void> | undefined;
  private auditFlushedMs = 0;
  private network: NetworkService | undefined;

  private constructor(
    readonly config: EngineConfig,
    private readonly segment: Segment,
    private readonly feeds: readonly Feed[],
    private readonly pipeline: MarketPipeline,
    private readonly candleBuilder: CandleBuilder,
    private readonly candleStore: CandleStore,
    private readonly recording: RecordingWriter | undefined,
    private readonly colocation: ColocationState,
    private readonly stopHeartbeat: () => void,
  ) {
    this.riskLimits = config.risk;
    this.killSwitch = new KillSwitch(segment, (event) => this.emitter.emit('kill', event));
    this.breakers = new Breakers(config.breakers, (trip) => {
      this.emitter.emit('breaker', trip);
      this.segment.setFlag(HeaderFlag.BREAKER_TRIPPED, true);
      const why = `breaker ${trip.breaker} tripped: ${trip.value} against a limit of ${trip.limit}`;
      this.modes.set(ControlMode[config.breakers.tripTo], why);
      if (config.breakers.engageKill) this.killSwitch.engage('breaker', why);
    });
    // The audit trail hears what the event stream hears, whoever listens or not.
    for (const kind of ['report', 'risk', 'kill', 'reconcile', 'mode', 'approval', 'breaker', 'gpio', 'fusion', 'limit'] as const) this.emitter.on(kind, (event) => this.audit?.append(kind, event));
    // A model output is audited when it sent an order; the others are only events (one per book update).
    this.emitter.on('model', (event) => event.order && this.audit?.append('model', event));
  }

  /** Starts the engine; an invalid config throws a ConfigError naming each bad field. */
  static async start(input: EngineConfigInput | EngineConfig = {}, options: EngineOptions = {}): Promise<Engine> {
    const config = validateConfig(input);
    const feeds: Feed[] = [];
    try {
      for (const feedConfig of config.feeds) feeds.push(await openFeed(feedConfig));
      const engine = Engine.assemble(config, feeds);
      // Before the hot loop: a kill line already active at start refuses the first order.
      await engine.startGpioKill(options.gpioKillLine);
      // The hot loop is up before the first market event, so no early signal waits on it.
      await engine.startExecution();
      // The model is checked and warmed up before the first market event reaches it.
      await engine.startSignalSources();
      await engine.startNetwork();
      engine.run();
      return engine;
    } catch (error) {
      await Promise.all(feeds.map((feed) => feed.close()));
      options.gpioKillLine?.close();
      throw error;
    }
  }

  private static assemble(config: EngineConfig, feeds: readonly Feed[]): Engine {
    // The segment refuses another process's live engine; this refuses one of our own.
    if (Engine.segmentsInUse.has(config.segment.name)) {
      throw new SegmentError('SEGMENT_EXISTS', `/dev/shm/${config.segment.name} belongs to a running engine in this process; stop it or use another name`);
    }
    const symbols = feeds.flatMap((feed) => feed.symbols.map((symbol) => ({ symbol, feed })));
    if (symbols.length > MAX_SYMBOLS) throw new ConfigError(`the feeds name ${symbols.length} symbols; the segment holds ${MAX_SYMBOLS}`);
    const duplicate = symbols.find((s, i) => symbols.findIndex((t) => t.symbol === s.symbol) !== i);
    if (duplicate) throw new ConfigError(`symbol ${duplicate.symbol} comes from two feeds; each symbol needs one source`);

    // Files first: a bad path fails the start before the segment exists.
    const candleStore = new CandleStore(config.candles.database);
    let audit: AuditTrail | undefined;
    let trades: TradeStore | undefined;
    let recording: RecordingWriter | undefined;
    let segment: Segment;
    let recovery: RecoveryPlan & { leftMode: number | undefined };
    const names = symbols.map((s) => s.symbol);
    try {
      audit = new AuditTrail(config.audit.database, config.audit.durability);
      trades = config.execution.enabled ? new TradeStore(config.execution.database, (index) => names[index] ?? `#${index}`) : undefined;
      recording = config.record ? new RecordingWriter(config.record.path, feeds) : undefined;
      // Read before the new segment replaces it: what the last run left there.
      recovery = Engine.planRecovery(config, names, audit, trades);
      segment = Segment.create({ name: config.segment.name, mode: config.segment.mode, replace: true });
    } catch (error) {
      candleStore.close();
      audit?.close();
      trades?.close();
      void recording?.close();
      throw error;
    }
    const colocation = applyColocation(config);
    const stopHeartbeat = segment.startHeartbeat(config.segment.heartbeatMs);
    const writer = new MarketDataWriter(segment);
    let engine: Engine | undefined;
    const candles = new CandleBuilder({ timeframes: config.candles.timeframes, store: candleStore, onClose: (candle) => engine?.emitter.emit('candle', candle) });
    const pipeline = new MarketPipeline(writer, candles, {
      wantsBooks: () => engine?.emitter.has('book') ?? false,
      onBook: (book) => engine?.emitter.emit('book', book),
      onTrade: (trade) => {
        engine?.sources?.onTrade(trade);
        engine?.emitter.emit('trade', trade);
      },
      onPublished: (state) => engine?.sources?.onBook(state),
      onStatus: (status) => engine?.emitter.emit('status', status),
    });
    symbols.forEach(({ symbol, feed }, index) => {
      const instrument = feed.instrument?.(symbol);
      writer.register(index, { name: symbol, venue: feed.name, tickSize: instrument?.tickSize ?? 0, lotSize: instrument?.lotSize ?? 0 });
      pipeline.addSymbol(symbol, index, feed.name, config.validation);
    });
    engine = new Engine(config, segment, feeds, pipeline, candles, candleStore, recording, colocation, stopHeartbeat);
    Engine.segmentsInUse.add(config.segment.name);
    engine.audit = audit;
    engine.trades = trades;
    engine.recovery = recovery;
    audit.append('start', { pid: process.pid, segment: config.segment.name, symbols: names, restoredPositions: recovery.positions.length, endedOrders: recovery.endedOrders.length, inconsistency: recovery.inconsistency ?? null });
    engine.openModes(recovery.leftMode, recovery.inconsistency);
    return engine;
  }

  /** Positions and orders the last run left (crash-recovery.ts): read before anything of this run is written. */
  private static planRecovery(config: EngineConfig, symbols: readonly string[], audit: AuditTrail, trades: TradeStore | undefined): RecoveryPlan & { leftMode: number | undefined } {
    const crashed = ModeMachine.crashedBefore(config.modes.stateFile);
    const left = readLeftBehind(config.segment.name);
    // Only a crash leaves orders unanswered, and only the simulated venue loses them (a live
    // venue keeps its orders: reconciliation finds them): a clean start reads no audit history.
    const ended = crashed && config.execution.venue.type === 'simulated' ? Engine.ordersLeftWorking(audit, symbols) : [];
    const plan = planRecovery({ crashed, stored: trades?.positions() ?? [], left, endedOrders: ended, symbols });
    return { ...plan, leftMode: left?.mode };
  }

  /** The last run's orders still working when it ended, from its audit records since its 'start'. */
  private static ordersLeftWorking(audit: AuditTrail, symbols: readonly string[]): EndedOrder[] {
    const lastRun = audit.lastRun(['start', 'report', 'approval']);
    const start = lastRun[0]?.kind === 'start' ? (lastRun[0].body as { symbols: string[] }) : undefined;
    return ordersLeftWorking({ symbols: start?.symbols ?? symbols, records: lastRun });
  }

  private openModes(leftInSegment: number | undefined, inconsistency: string | undefined): void {
    const { machine, why } = ModeMachine.open(this.config.modes.stateFile, ControlMode[this.config.modes.initial], leftInSegment, inconsistency,
      (mode) => this.segment.setControlMode(mode as ControlMode), (change) => this.emitter.emit('mode', change));
    this.modes = machine;
    if (machine.mode === ControlMode.EMERGENCY && why !== 'configured') process.stderr.write(`cwts: starting in EMERGENCY: ${why}\n`);
    this.emitter.emit('mode', { from: modeName(machine.mode), to: modeName(machine.mode), reason: `start: ${why}`, atMs: Date.now() });
  }

  get mode(): ModeName {
    return modeName(this.modes.mode);
  }

  /**
   * Changes the control mode. EMERGENCY is entered at once from anywhere; leaving it needs
   * `operator: true` and a passing recovery check (kill released, every book fresh).
   */
  setMode(to: ModeName, reason: string, options: { operator?: boolean } = {}): void {
    const stale = this.pipeline.symbols().filter((s) => s.flags & SymbolStatus.STALE).map((s) => s.symbol);
    const tripped = this.breakers.active().map((t) => t.breaker);
    const recovery = this.killSwitch.engaged ? 'the kill switch is engaged'
      : tripped.length ? `breakers still tripped: ${tripped.join(', ')} (resetBreakers first)`
      : stale.length ? `stale books: ${stale.join(', ')}` : undefined;
    this.modes.set(ControlMode[to], reason, { ...options, recovery });
  }

  /** The operator's reset of every tripped circuit breaker. */
  resetBreakers(): void {
    this.breakers.reset();
    this.segment.setFlag(HeaderFlag.BREAKER_TRIPPED, false);
  }

  /** Approves a SEMI_AUTO order waiting for an operator (its engine order id, from the 'approval' event). */
  approve(orderId: number): void {
    this.execution?.decide(orderId, true);
  }

  /** Refuses a SEMI_AUTO order waiting for an operator. */
  refuse(orderId: number): void {
    this.execution?.decide(orderId, false);
  }

  private async startGpioKill(standIn: GpioLine | undefined): Promise<void> {
    try {
      this.gpioKill = GpioKillSource.start(this.config.kill.gpio, standIn, this.segment, this.killSwitch, (event) => this.emitter.emit('gpio', event));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startExecution(): Promise<void> {
    if (!this.config.execution.enabled) return;
    try {
      const venue = this.config.execution.venue;
      const indexOf = new Map(this.pipeline.symbols().map((s) => [s.symbol, s.index]));
      const carried = {
        positions: (this.recovery?.positions ?? []).map(({ symbol, ...p }) => ({ ...p, symbolIndex: indexOf.get(symbol)! })),
        endedOrders: (this.recovery?.endedOrders ?? []).map(({ symbol, ...o }) => ({ ...o, symbolIndex: indexOf.get(symbol)! })),
      };
      this.execution = await ExecutionThread.start({
        segmentName: this.segment.name, core: this.config.colocation.hotLoopCore, venue: venue.type === 'ccxt' ? 'live' : 'simulated', risk: this.config.risk,
        approvalTimeoutMs: this.config.modes.approvalTimeoutMs, carried, flattenOnKill: this.config.kill.flatten, voters: fusionVoters(this.config),
      });
      if (venue.type === 'ccxt') {
        // ccxt takes about a second to load: only a live venue pays for it.
        const { OrderRouter } = await import('./execution/order-router.js');
        this.router = OrderRouter.open(venue, this.execution.venueEvents, this.symbolName);
        // Reconcile at start: orders the venue holds from an earlier run show up at once.
        this.reconcile().then(
          (r) => r.onlyAtVenue.length && process.stderr.write(`cwts: reconciliation: the venue has ${r.onlyAtVenue.length} open order(s) the engine does not know: ${r.onlyAtVenue.map((o) => o.clientId || o.exchangeId).join(', ')}\n`),
          (error: Error) => process.stderr.write(`cwts: reconciliation at start failed: ${error.message}\n`),
        );
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.draining = this.drainLoop(this.execution);
    process.on('SIGUSR1', this.onKillSignal);
  }

  private async startSignalSources(): Promise<void> {
    const symbols = this.pipeline.symbols();
    const outlet = new SignalOutlet(this.execution && this.segment, (symbol) => symbols.find((s) => s.symbol === symbol)?.index);
    try {
      this.sources = await SignalSources.open(this.config, symbols.map((s) => s.symbol), outlet, {
        model: (event) => this.emitter.emit('model', event),
        fusion: (outcome) => this.emitter.emit('fusion', outcome),
        warn: (message) => process.stderr.write(`cwts: ${message}\n`),
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startNetwork(): Promise<void> {
    if (!this.config.network) return;
    // zeromq's addon loads only when the config asks for the network.
    const { NetworkService } = await import('./network/network-service.js');
    try {
      this.network = await NetworkService.start(this, this.segment, this.config.network);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * A vote for the fusion stage from a Node caller (a strategy, another model): counted in
   * its symbol's window when its source is in `fusion.sources`, else refused with the reason.
   */
  propose(vote: Vote): ProposeResult {
    if (!this.pipeline.symbols().some((s) => s.symbol === vote.symbol)) return { accepted: false, reason: 'INVALID_SYMBOL', message: `unknown symbol ${JSON.stringify(vote.symbol)}` };
    return this.sources?.propose(vote) ?? { accepted: false, reason: 'UNKNOWN_SOURCE', message: 'fusion is not configured (no fusion block)' };
  }

  /** What the ZeroMQ sockets did: published, dropped, requests, CURVE refusals; undefined without a `network` block. */
  get networkCounts(): NetworkCounts | undefined {
    return this.network?.counts;
  }

  /** The symbol in segment slot `index` (`#index` for a slot no feed fills). */
  readonly symbolName = (index: number): string => this.pipeline.symbols()[index]?.symbol ?? `#${index}`;

  /** The segment slot of `symbol`, or undefined when no feed brings it. */
  symbolIndex(symbol: string): number | undefined {
    return this.pipeline.symbols().find((s) => s.symbol === symbol)?.index;
  }

  /**
   * Engages the kill switch: the segment flag first, then the hot loop cancels every working
   * order. `source` says who, in the kill event and the audit trail.
   */
  engageKill(reason = 'engaged through the Node API', source: 'api' | 'network' = 'api'): void {
    this.killSwitch.engage(source, reason);
  }

  /** Releases the kill switch: the explicit operator action it needs. */
  releaseKill(reason = 'released through the Node API', source: 'api' | 'network' = 'api'): void {
    this.killSwitch.release(source, reason);
  }

  get killEngaged(): boolean {
    return this.killSwitch.engaged;
  }

  /**
   * Drains the hot loop's records as soon as it pushes some (so a report reaches the event
   * stream and the network in microseconds, not at the next tick), and at least every
   * REPORT_DRAIN_MS for the kill switch's poll and the audit flush.
   */
  private async drainLoop(execution: ExecutionThread): Promise<void> {
    while (!this.stopping) {
      await execution.waitForRecords(REPORT_DRAIN_MS);
      if (this.stopping) break;
      this.drainReports();
      // Timers and I/O run between two drains, however fast the records come.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private drainReports(): void {
    this.drainRecords();
    // Drains follow the hot loop now, the audit's batches stay as they were: one transaction
    // and one head-file write per REPORT_DRAIN_MS at most (close() flushes the rest).
    const now = Date.now();
    if (now - this.auditFlushedMs < REPORT_DRAIN_MS) return;
    this.audit?.flush();
    this.auditFlushedMs = now;
  }

  private drainRecords(): void {
    this.killSwitch.poll();
    const trades = this.trades;
    const router = this.router;
    this.execution?.drain({
      orderRequest: (request) => router?.handle(request),
      report: (report) => {
        trades?.report(report);
        this.breakers.onReport(report);
        this.ledger.apply(report);
        this.emitter.emit('report', report);
      },
      position: (position) => {
        trades?.position(position);
        this.breakers.onPosition(position);
        this.emitter.emit('position', position);
      },
      approval: (a) => this.emitter.emit('approval', { orderId: a.orderId, strategyId: a.strategyId, clientOrderId: a.clientOrderId, symbol: this.symbolName(a.symbolIndex), side: a.buy ? 'buy' : 'sell', size: a.size, price: a.price || undefined }),
      kill: ({ engaged, cancelled, flattened, doneNs }) =>
        this.emitter.emit('kill', engaged
          ? {
            engaged: true, source: 'segment', reason: `the hot loop cancelled ${cancelled} working order(s)${this.config.kill.flatten ? ` and sent ${flattened} order(s) to flatten` : ''}`, atMs: Date.now(), cancelled, flattened,
            ...(this.killSwitch.engagedAtNs === undefined ? {} : { cancelAllSentAfterNs: doneNs - this.killSwitch.engagedAtNs }),
          }
          : { engaged: false, source: 'segment', reason: 'the hot loop takes orders again', atMs: Date.now(), cancelled: 0 }),
      vote: (v) => {
        const vote = { source: `strategy:${v.strategyId}`, symbol: this.symbolName(v.symbolIndex), side: v.buy ? 'buy' : 'sell', confidence: v.confidence } as const;
        const counted = this.sources?.propose(vote);
        if (counted && !counted.accepted) process.stderr.write(`cwts: the vote of strategy ${v.strategyId} (order ${v.clientOrderId}) was not counted: ${counted.message}\n`);
      },
      risk: (record) => this.emitter.emit('risk', {
        reason: record.reason, control: RISK_CONTROLS[record.control] ?? 'unknown', strategyId: record.strategyId, clientOrderId: record.clientOrderId,
        symbol: this.symbolName(record.symbolIndex), limit: record.limit, attempted: record.attempted, reference: record.reference,
      }),
    });
  }

  /**
   * Compares the engine's working orders with the venue's open ones. The simulated venue is
   * the engine's own book, so there it only lists what is working.
   */
  async reconcile(): Promise<Reconciliation> {
    const working = this.ledger.orders();
    if (!this.router) return { venue: 'simulated', checkedAtMs: Date.now(), matched: working.length, onlyAtVenue: [], onlyInEngine: [], sizeMismatch: [] };
    const { OrderRouter } = await import('./execution/order-router.js');
    const symbols = this.pipeline.symbols().map((s) => s.symbol);
    const result = reconcile(this.config.execution.venue.type === 'ccxt' ? this.config.execution.venue.exchange : 'live', working, await this.router.openOrders(symbols), OrderRouter.clientIdOf);
    this.emitter.emit('reconcile', result);
    return result;
  }

  /** The operator's action that lets a strategy the repeated-execution throttle disabled trade again. */
  enableStrategy(strategyId: number): void {
    this.execution?.enableStrategy(strategyId);
  }

  /**
   * Writes a signal into the segment's ring as a strategy's producer would, so that it takes
   * the same path: validation, risk, the venue, and reports (as 'report' events, and in the
   * report ring). A symbol no feed brings goes in as no slot at all, and the hot loop rejects
   * it with UNKNOWN_SYMBOL. Throws SignalProducerError (RING_FULL), or ExecutionOffError.
   */
  submitSignal(signal: EngineSignal): { clientOrderId: number; position: number } {
    if (!this.execution) throw new ExecutionOffError('execution is off (execution.enabled: false): no hot loop takes signals');
    this.producer ??= new SignalProducer(this.segment);
    const { symbol, ...fields } = signal;
    return this.producer.submit({ ...fields, symbolIndex: this.symbolIndex(symbol) ?? NO_SYMBOL, flags: 0, clientOrderId: 0 });
  }

  /** The pre-trade limits in force: the config's, with every update since the start. */
  get limits(): RiskConfig {
    return this.riskLimits;
  }

  /**
   * Changes one pre-trade limit at run time, for the next order the hot loop checks. Throws
   * LimitUpdateError for an unknown field, a bad value, or a strategy with no limits to change.
   */
  updateLimit(update: LimitUpdate): void {
    this.riskLimits = applyLimitUpdate(this.riskLimits, update);
    this.execution?.updateLimit(update);
    this.emitter.emit('limit', update);
  }

  /** Positions per strategy and symbol, as last stored. */
  positions(): StoredPosition[] {
    return this.trades?.positions() ?? [];
  }

  /** Every fill of this engine's trade database, oldest first. */
  fills(): StoredFill[] {
    return this.trades?.fills() ?? [];
  }

  /** Calls `listener` for every event of `type`; returns the unsubscribe function. */
  on<K extends keyof EngineEvents>(type: K, listener: (event: EngineEvents[K]) => void): () => void {
    return this.emitter.on(type, listener);
  }

  /** Events of `type` as an async iterator; a consumer that falls behind loses the oldest. */
  events<K extends keyof EngineEvents>(type: K, highWaterMark?: number): EventStream<EngineEvents[K]> {
    return this.emitter.stream(type, highWaterMark);
  }

  /** Stored candles of a symbol and timeframe, oldest first, with the open one last. */
  candles(query: CandleQuery): Candle[] {
    const stored = this.candleStore.query(query);
    const open = this.candleBuilder.current(query.symbol, query.timeframe);
    if (!open || (query.sinceMs !== undefined && open.openTimeMs < query.sinceMs)) return stored;
    const closed = stored.filter((c) => c.openTimeMs < open.openTimeMs);
    return [...closed, open].slice(-(query.limit ?? 1000));
  }

  get segmentName(): string {
    return this.segment.name;
  }

  state(): EngineState {
    return {
      segment: this.segment.path,
      pid: process.pid,
      uptimeSeconds: (Date.now() - this.startedMs) / 1000,
      symbols: this.pipeline.symbols().map((s) => ({
        symbol: s.symbol,
        index: s.index,
        feed: s.feed,
        updates: s.updates,
        updatesPerSecond: this.rates.get(s.symbol)?.perSecond ?? 0,
        bid: s.book.bestBid()?.price,
        ask: s.book.bestAsk()?.price,
        last: s.last,
        flags: s.flags,
        validation: { ...s.validator.counts },
      })),
      colocation: { ...this.colocation, hotLoopCore: this.execution?.pinned ?? 'no execution' },
      publishLatencyNs: this.pipeline.publishLatency.percentiles(),
      unknownSymbolEvents: this.pipeline.unknownSymbolEvents,
      lateTrades: this.candleBuilder.lateTrades,
      recordedEvents: this.recording?.events,
      model: this.sources?.modelState(),
    };
  }

  /** Stops feeds, flushes candles, marks the segment stopped (and removes it unless kept). */
  stop(): Promise<EngineSummary> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private run(): void {
    for (const feed of this.feeds) this.pumps.push(this.pump(feed));
    this.timers.push(setInterval(() => this.pipeline.checkStale(Date.now()), STALE_CHECK_MS));
    this.timers.push(setInterval(() => this.sampleRates(), 1000));
    this.timers.push(setInterval(() => this.candleBuilder.flush(), this.config.candles.flushMs));
  }

  private async pump(feed: Feed): Promise<void> {
    const recording = this.recording;
    try {
      for await (const event of feed.events()) {
        recording?.write(event);
        this.pipeline.handle(event);
      }
      // A feed that ends by itself (a replay at its end) leaves its symbols stale.
      if (!this.stopping) this.feedEnded(feed, 'the feed ended');
    } catch (error) {
      // A feed that dies is reported and its symbols go stale; the engine keeps running.
      this.feedEnded(feed, (error as Error).message);
    }
  }

  private feedEnded(feed: Feed, reason: string): void {
    this.pipeline.handle({ type: 'status', feed: feed.name, state: 'down', reason });
    this.emitter.emit('feedEnded', { feed: feed.name, reason });
  }

  private sampleRates(): void {
    this.breakers.onLatency(this.pipeline.publishLatency.percentiles().p99);
    // A trip with a cool-down clears itself: so does its flag.
    if (this.segment.hasFlag(HeaderFlag.BREAKER_TRIPPED) && this.breakers.active().length === 0) this.segment.setFlag(HeaderFlag.BREAKER_TRIPPED, false);
    for (const s of this.pipeline.symbols()) {
      const rate = this.rates.get(s.symbol) ?? { count: 0, perSecond: 0 };
      rate.perSecond = s.updates - rate.count;
      rate.count = s.updates;
      this.rates.set(s.symbol, rate);
    }
  }

  private async shutdown(): Promise<EngineSummary> {
    this.timers.forEach(clearInterval);
    process.off('SIGUSR1', this.onKillSignal);
    this.gpioKill?.close();
    await this.sources?.close();
    await this.draining;
    const execution = await this.execution?.stop();
    this.drainReports();
    await this.network?.close();
    await this.router?.close();
    this.trades?.close();
    this.audit?.close();
    this.modes?.close();
    await Promise.all(this.feeds.map((feed) => feed.close()));
    await Promise.all(this.pumps);
    const state = this.state();
    this.candleBuilder.flush();
    this.candleStore.close();
    await this.recording?.close();
    this.stopHeartbeat();
    if (this.config.segment.unlinkOnStop) Segment.unlink(this.segment.name);
    Engine.segmentsInUse.delete(this.segment.name);
    this.emitter.close();
    if (this.colocation.memoryLocked === true) native.unlockMemory();
    return { ...state, totalUpdates: state.symbols.reduce((sum, s) => sum + s.updates, 0), execution };
  }
}

/** Strategy ids listed in fusion.sources as `strategy:<id>`: the hot loop takes their new orders as votes. */
function fusionVoters(config: EngineConfig): number[] {
  return (config.fusion?.sources ?? []).flatMap(({ source }) => /^strategy:(\d+)$/.exec(source)?.[1] ?? []).map(Number);
}

/** Applies what the config asks and the system allows; reports what it got instead of failing. */
function applyColocation(config: EngineConfig): ColocationState {
  const { ioCore, lockMemory } = config.colocation;
  let pinned: ColocationState['ioCore'] = 'not pinned';
  if (ioCore !== undefined) {
    try {
      native.pinThread(ioCore);
      pinned = ioCore;
    } catch (error) {
      pinned = `failed: ${(error as Error).message}`;
    }
  }
  let locked: ColocationState['memoryLocked'] = false;
  if (lockMemory) {
    try {
      native.lockMemory();
      // V8 aborts at teardown on locked pages; unlock on any exit path.
      process.once('exit', () => native.unlockMemory());
      locked = true;
    } catch (error) {
      locked = `failed: ${(error as Error).message}`;
    }
  }
  return { ioCore: pinned, memoryLocked: locked, onlineCpus: native.onlineCpus() };
}
