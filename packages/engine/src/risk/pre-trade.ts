/**
 * Pre-trade risk, the stage between validation and the venue (SEC 15c3-5 style controls):
 * restricted symbols, maximum order size and value, a price collar around the reference
 * price, a message-rate throttle, duplicate-order detection, credit limits per strategy and
 * for the account (positions plus working orders), and a repeated-execution throttle that
 * disables a strategy until an operator re-enables it. A missing limit refuses the order.
 * Each refusal names its control and the numbers. Cancels never come here: they always pass.
 */
import { RejectReason } from '@cwts/shm-layout';
import type { RiskConfig, StrategyLimits } from '../config/schema.js';
import { EventWindow } from './event-window.js';
import { applyLimitUpdate, type LimitUpdate } from './limit-update.js';

export interface OrderUnderCheck {
  readonly strategyId: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly size: number;
  /** Limit price; undefined for a market order. */
  readonly price: number | undefined;
  /** The published mid; undefined when there is none. */
  readonly reference: number | undefined;
  /** What taking it would cost at the touch (for a market order's value). */
  readonly touch: number | undefined;
  /** Open position value plus working orders value, quote currency, before this order. */
  readonly strategyExposure: number;
  readonly accountExposure: number;
  readonly nowMs: number;
  /** The control mode's multiplier of the size, value and credit limits. */
  readonly multiplier: number;
}

/** The controls, by name; a refusal carries the index, so it fits a ring row. */
export const RISK_CONTROLS = [
  'limits', 'repeated-execution throttle', 'restricted symbol', 'max order size', 'reference price', 'max order value',
  'price collar', 'strategy credit limit', 'account credit limit', 'message rate', 'duplicate order',
] as const;
export type RiskControl = (typeof RISK_CONTROLS)[number];

export interface RiskRefusal {
  readonly reason: number;
  readonly control: RiskControl;
  readonly limit: number;
  readonly attempted: number;
  readonly reference: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

export class PreTradeRisk {
  private readonly sent = new Map<number, EventWindow>();
  private readonly fills = new Map<number, EventWindow>();
  private readonly recent = new Map<string, number>();
  /** The keys of `recent` in the order they were seen: what to forget first. */
  private readonly seen = new EventWindow<string>();
  private readonly forget = (key: string, atMs: number): void => {
    // Seen again since: the later sighting keeps it.
    if (this.recent.get(key) === atMs) this.recent.delete(key);
  };
  private readonly disabled = new Set<number>();
  private readonly restricted: ReadonlySet<string>;
  /** The longest duplicate window of any strategy: entries older than this can go. */
  private readonly longestWindowMs: number;

  constructor(private config: RiskConfig) {
    this.restricted = new Set(config.restrictedSymbols);
    this.longestWindowMs = Math.max(0, ...Object.values(config.strategies).map((limits: StrategyLimits) => limits.duplicateWindowMs));
  }

  /** undefined when the order may go on; otherwise why not, with the numbers. */
  check(o: OrderUnderCheck): RiskRefusal | undefined {
    const limits = this.limitsOf(o.strategyId);
    const refuse = (reason: number, control: RiskControl, limit: number, attempted: number, reference = o.reference ?? 0): RiskRefusal => ({ reason, control, limit, attempted, reference });
    if (!limits || !this.config.account) return refuse(RejectReason.RISK_NOT_CONFIGURED, 'limits', 0, o.size);
    if (this.disabled.has(o.strategyId)) return refuse(RejectReason.RISK_STRATEGY_DISABLED, 'repeated-execution throttle', limits.maxFillsPerMinute, this.count(this.fills, o.strategyId, o.nowMs, MINUTE_MS));
    if (this.restricted.has(o.symbol)) return refuse(RejectReason.RISK_RESTRICTED_SYMBOL, 'restricted symbol', 0, o.size);
    const m = o.multiplier;
    if (o.size > limits.maxOrderSize * m) return refuse(RejectReason.RISK_MAX_ORDER_SIZE, 'max order size', limits.maxOrderSize * m, o.size);
    const price = o.price ?? o.touch;
    if (price === undefined) return refuse(RejectReason.RISK_PRICE_COLLAR, 'reference price', 0, 0);
    const value = o.size * price;
    if (value > limits.maxOrderValue * m) return refuse(RejectReason.RISK_MAX_ORDER_VALUE, 'max order value', limits.maxOrderValue * m, value);
    if (o.price !== undefined) {
      if (o.reference === undefined) return refuse(RejectReason.RISK_PRICE_COLLAR, 'reference price', limits.priceCollarPct, o.price, 0);
      const away = (Math.abs(o.price - o.reference) / o.reference) * 100;
      if (away > limits.priceCollarPct) return refuse(RejectReason.RISK_PRICE_COLLAR, 'price collar', limits.priceCollarPct, away);
    }
    if (o.strategyExposure + value > limits.creditLimit * m) return refuse(RejectReason.RISK_CREDIT_LIMIT, 'strategy credit limit', limits.creditLimit * m, o.strategyExposure + value);
    if (o.accountExposure + value > this.config.account.creditLimit * m) return refuse(RejectReason.RISK_CREDIT_LIMIT, 'account credit limit', this.config.account.creditLimit * m, o.accountExposure + value);
    const rate = this.count(this.sent, o.strategyId, o.nowMs, SECOND_MS);
    if (rate + 1 > limits.maxOrdersPerSecond) return refuse(RejectReason.RISK_RATE_LIMIT, 'message rate', limits.maxOrdersPerSecond, rate + 1);
    const key = `${o.strategyId} ${o.symbol} ${o.side} ${o.size} ${o.price ?? 'market'}`;
    const seen = this.recent.get(key);
    if (seen !== undefined && o.nowMs - seen < limits.duplicateWindowMs) return refuse(RejectReason.RISK_DUPLICATE_ORDER, 'duplicate order', limits.duplicateWindowMs, o.nowMs - seen);
    // Passed: it counts toward the rate and the duplicate window from now on.
    this.record(this.sent, o.strategyId, o.nowMs);
    this.recent.set(key, o.nowMs);
    this.seen.record(o.nowMs, key);
    this.seen.count(o.nowMs, this.longestWindowMs, this.forget);
    return undefined;
  }

  /** A fill of a strategy's order; too many in a minute disables the strategy. Returns true when it did. */
  onFill(strategyId: number, nowMs: number): boolean {
    this.record(this.fills, strategyId, nowMs);
    const limits = this.limitsOf(strategyId);
    if (!limits || this.disabled.has(strategyId) || this.count(this.fills, strategyId, nowMs, MINUTE_MS) <= limits.maxFillsPerMinute) return false;
    this.disabled.add(strategyId);
    return true;
  }

  /** The operator's action that lets a disabled strategy trade again. */
  enable(strategyId: number): void {
    this.disabled.delete(strategyId);
    this.fills.delete(strategyId);
  }

  /** An operator's limit update at run time (risk/limit-update.ts); throws LimitUpdateError. */
  update(update: LimitUpdate): void {
    this.config = applyLimitUpdate(this.config, update);
  }

  isDisabled(strategyId: number): boolean {
    return this.disabled.has(strategyId);
  }

  private limitsOf(strategyId: number): StrategyLimits | undefined {
    return this.config.strategies[String(strategyId)] ?? this.config.strategies['*'];
  }

  private record(windows: Map<number, EventWindow>, strategyId: number, nowMs: number): void {
    let window = windows.get(strategyId);
    if (!window) windows.set(strategyId, (window = new EventWindow()));
    window.record(nowMs, undefined);
  }

  /** Events of a strategy within the last `windowMs`. */
  private count(windows: Map<number, EventWindow>, strategyId: number, nowMs: number, windowMs: number): number {
    return windows.get(strategyId)?.count(nowMs, windowMs) ?? 0;
  }
}
