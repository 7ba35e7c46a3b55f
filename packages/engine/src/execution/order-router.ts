/**
 * The live venue's main-thread half: takes the hot loop's order requests, sends them to the
 * exchange through ccxt (createOrder, cancelOrder, editOrder), follows the orders with
 * watchOrders, and hands what the exchange says back to the hot loop as venue events. Our
 * engine order id travels as the exchange's client order id (`cwts<id>`).
 */
import ccxt from 'ccxt';
import { RejectReason, TimeInForce } from '@cwts/shm-layout';
import { openProExchange, type CcxtOrder, type ProExchange } from '../ccxt/pro-exchange.js';
import type { VenueOrder } from './reconciliation.js';
import { REQUEST_OP, VENUE_EVENT_TYPE, type OrderRequest, type RecordRing, type VenueEvent } from './record-ring.js';

export interface CcxtVenueConfig {
  readonly exchange: string;
  readonly ccxtOptions: Record<string, unknown>;
}

const CLIENT_ID_PREFIX = 'cwts';
const TIME_IN_FORCE: Readonly<Record<number, string>> = { [TimeInForce.GTC]: 'GTC', [TimeInForce.IOC]: 'IOC', [TimeInForce.FOK]: 'FOK', [TimeInForce.POST_ONLY]: 'PO' };
const RETRY_MS = 500;

interface Tracked {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly market: boolean;
  exchangeId: string | undefined;
  filled: number;
  cost: number;
  done: boolean;
}

export class OrderRouter {
  private readonly orders = new Map<number, Tracked>();
  private closed = false;
  private readonly watching: Promise<void>;
  /** Exchange errors, latest last, for the log and `state()`. */
  readonly errors: string[] = [];

  private constructor(private readonly exchange: ProExchange, private readonly events: RecordRing, private readonly symbolName: (index: number) => string) {
    this.watching = this.watch();
  }

  static open(config: CcxtVenueConfig, events: RecordRing, symbolName: (index: number) => string): OrderRouter {
    const exchange = openProExchange(config.exchange, config.ccxtOptions);
    if (!exchange.has['createOrder'] || !exchange.has['watchOrders']) throw new Error(`ccxt.pro's ${config.exchange} cannot create and watch orders`);
    return new OrderRouter(exchange, events, symbolName);
  }

  /** One request from the hot loop; the answer goes back as venue events. */
  handle(request: OrderRequest): void {
    void this.send(request);
  }

  /** The venue's open orders in `symbols`, for reconciliation. */
  async openOrders(symbols: readonly string[]): Promise<VenueOrder[]> {
    await this.exchange.loadMarkets();
    const orders = await Promise.all(symbols.map((symbol) => this.exchange.fetchOpenOrders(symbol)));
    return orders.flat().map((o) => ({ clientId: o.clientOrderId ?? '', exchangeId: o.id, symbol: o.symbol ?? '', remaining: o.remaining ?? 0 }));
  }

  /** The client order id the venue knows an engine order by. */
  static clientIdOf(orderId: number): string {
    return `${CLIENT_ID_PREFIX}${orderId}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.exchange.close().catch(() => undefined);
    await this.watching;
  }

  private async send(r: OrderRequest): Promise<void> {
    const emit = (type: number, reason = 0, price = 0, size = 0): void => this.events.pushVenueEvent({ type, orderId: r.orderId, price, size, remaining: size, reason });
    const refused = r.op === REQUEST_OP.NEW ? VENUE_EVENT_TYPE.REJECTED : VENUE_EVENT_TYPE.REQUEST_REFUSED;
    try {
      await this.exchange.loadMarkets();
      if (r.op === REQUEST_OP.NEW) {
        const tracked: Tracked = { symbol: this.symbolName(r.symbolIndex), side: r.buy ? 'buy' : 'sell', market: r.market === 1, exchangeId: undefined, filled: 0, cost: 0, done: false };
        this.orders.set(r.orderId, tracked);
        const params: Record<string, unknown> = { clientOrderId: OrderRouter.clientIdOf(r.orderId), timeInForce: TIME_IN_FORCE[r.timeInForce] ?? 'GTC' };
        if (r.timeInForce === TimeInForce.POST_ONLY) params.postOnly = true;
        const order = await this.exchange.createOrder(tracked.symbol, tracked.market ? 'market' : 'limit', tracked.side, r.size, tracked.market ? undefined : r.price, params);
        tracked.exchangeId = order.id;
        emit(VENUE_EVENT_TYPE.ACCEPTED);
        this.update(r.orderId, tracked, order);
      } else {
        const tracked = this.orders.get(r.orderId);
        if (!tracked?.exchangeId) return emit(refused, RejectReason.UNKNOWN_ORDER);
        // A cancel is confirmed by the order's update on watchOrders; a modify by the edit's answer.
        if (r.op === REQUEST_OP.CANCEL) await this.exchange.cancelOrder(tracked.exchangeId, tracked.symbol);
        else {
          await this.exchange.editOrder(tracked.exchangeId, tracked.symbol, 'limit', tracked.side, r.size, r.price);
          emit(VENUE_EVENT_TYPE.MODIFIED, 0, r.price, r.size);
        }
      }
    } catch (error) {
      this.errors.push(`${new Date().toISOString()} order ${r.orderId}: ${(error as Error).message}`);
      if (this.errors.length > 100) this.errors.shift();
      emit(refused, reasonOf(error));
    }
  }

  /** Follows every order of the account; fills are the differences between updates. */
  private async watch(): Promise<void> {
    // ccxt needs its http agent loaded before it opens a plain ws:// url (local venues, tests).
    await this.exchange.loadHttpProxyAgent();
    while (!this.closed) {
      try {
        await this.exchange.loadMarkets();
        for (const order of await this.exchange.watchOrders()) {
          const id = Number(order.clientOrderId?.startsWith(CLIENT_ID_PREFIX) ? order.clientOrderId.slice(CLIENT_ID_PREFIX.length) : NaN);
          const tracked = this.orders.get(id);
          if (tracked) this.update(id, tracked, order);
        }
      } catch (error) {
        if (this.closed) return;
        this.errors.push(`${new Date().toISOString()} watchOrders: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private update(orderId: number, tracked: Tracked, order: CcxtOrder): void {
    if (tracked.done) return;
    const filled = order.filled ?? 0;
    const cost = order.cost ?? filled * (order.average ?? order.price ?? 0);
    const remaining = order.remaining ?? 0;
    if (filled > tracked.filled) {
      const size = filled - tracked.filled;
      const event: VenueEvent = { type: VENUE_EVENT_TYPE.FILL, orderId, price: (cost - tracked.cost) / size, size, remaining: order.status === 'closed' ? 0 : remaining, reason: 0 };
      tracked.filled = filled;
      tracked.cost = cost;
      this.events.pushVenueEvent(event);
    }
    if (order.status === 'closed' || order.status === 'canceled' || order.status === 'rejected' || order.status === 'expired') {
      tracked.done = true;
      this.orders.delete(orderId);
      if (order.status !== 'closed') {
        const reason = order.status === 'canceled' ? RejectReason.NONE : RejectReason.VENUE_REJECTED;
        this.events.pushVenueEvent({ type: VENUE_EVENT_TYPE.CANCELLED, orderId, price: 0, size: 0, remaining, reason });
      }
    }
  }
}

function reasonOf(error: unknown): number {
  if (error instanceof ccxt.OrderNotFound) return RejectReason.UNKNOWN_ORDER;
  if (error instanceof ccxt.BadSymbol) return RejectReason.UNKNOWN_SYMBOL;
  return RejectReason.VENUE_REJECTED;
}
