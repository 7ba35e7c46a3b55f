/**
 * One place that builds ccxt.pro exchange clients for the engine (the live feed and the live
 * venue), with the check of the id and the workaround for ccxt's unhandled send rejection.
 */
import ccxt from 'ccxt';

// The part of a ccxt.pro exchange the engine uses (market data and orders), as ccxt fills it in. ccxt's typings index
// ccxt.pro by literal ids only and leave out ccxt.pro.exchanges, hence the casts below.
export interface ProExchange {
  client(url: string): WsClient;
  readonly has: Record<string, boolean | 'emulated' | undefined>;
  readonly markets: Record<string, { precision?: { price?: number; amount?: number } }> | undefined;
  loadMarkets(reload?: boolean): Promise<unknown>;
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string): Promise<{ bids: [number, number][]; asks: [number, number][]; timestamp?: number; nonce?: number }>;
  watchTrades(symbol: string): Promise<{ id?: string; timestamp?: number; price: number; amount: number; side?: string }[]>;
  watchTicker(symbol: string): Promise<{ last?: number; baseVolume?: number; timestamp?: number }>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  cancelOrder(id: string, symbol: string, params?: Record<string, unknown>): Promise<unknown>;
  editOrder(id: string, symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  watchOrders(symbol?: string): Promise<CcxtOrder[]>;
  fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]>;
  close(): Promise<void>;
}

export interface CcxtOrder {
  readonly id: string;
  readonly clientOrderId?: string;
  readonly symbol?: string;
  readonly status?: string;
  readonly filled?: number;
  readonly remaining?: number;
  readonly cost?: number;
  readonly average?: number;
  readonly price?: number;
}
interface WsClient {
  send(message: unknown): Promise<unknown>;
}
const PRO_IDS: readonly string[] = (ccxt.pro as unknown as { exchanges: string[] }).exchanges;
const PRO_CLASSES = ccxt.pro as unknown as Record<string, new (options: Record<string, unknown>) => ProExchange>;

/**
 * ccxt 4.5 sends a rate-limited subscription without handling the send's failure, so a socket
 * that closes while one waits (a drop, or close()) would end the process with an unhandled
 * rejection. The watchers on that socket learn of the close from ccxt's close handler anyway,
 * so marking every send's failure as handled loses nothing.
 */
function handleSendFailures(exchange: ProExchange): void {
  const clientOf = exchange.client.bind(exchange);
  const patched = new WeakSet<WsClient>();
  exchange.client = (url) => {
    const client = clientOf(url);
    if (!patched.has(client)) {
      patched.add(client);
      const send = client.send.bind(client);
      client.send = (message) => {
        const sent = send(message);
        sent.catch(() => undefined);
        return sent;
      };
    }
    return client;
  };
}

/** A ccxt.pro client for `id`; an id ccxt.pro does not have fails with the reason. */
export function openProExchange(id: string, options: Record<string, unknown>): ProExchange {
  if (!PRO_IDS.includes(id)) throw new Error(`ccxt.pro has no exchange '${id}': ccxt.pro.exchanges lists the ${PRO_IDS.length} it has`);
  const exchange = new PRO_CLASSES[id]!({ enableRateLimit: true, ...options });
  handleSendFailures(exchange);
  return exchange;
}
