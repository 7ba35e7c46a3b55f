/**
 * A local stand-in for Bybit's v5 private API, enough for ccxt's real bybit client to trade:
 * REST order create, cancel and amend, and the private websocket (auth, then `order` topic
 * updates in the unified account's format). Market orders fill at once at the fake's price;
 * limit orders that cross it fill at their own price, the others rest until cancelled.
 * Signatures are not checked: the point is the message format, not the cryptography.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeOrder {
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly symbol: string;
  readonly side: 'Buy' | 'Sell';
  readonly orderType: 'Market' | 'Limit';
  qty: number;
  price: number;
  status: 'New' | 'Filled' | 'Cancelled';
  filled: number;
  value: number;
}

export class FakeBybitAccount {
  readonly orders = new Map<string, FakeOrder>();
  /** Every REST path called, in order. */
  readonly calls: string[] = [];
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly subscribers = new Set<WebSocket>();
  private nextId = 1;

  /** `prices`: the price each symbol (exchange id, e.g. BTCUSDT) trades at. */
  private constructor(private readonly prices: Readonly<Record<string, number>>) {
    this.http = createServer((request, response) => void this.rest(request).then((body) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    }));
    this.http.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/v5/private') return socket.destroy();
      this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws));
    });
  }

  static async start(prices: Readonly<Record<string, number>>): Promise<FakeBybitAccount> {
    const fake = new FakeBybitAccount(prices);
    await new Promise<void>((resolve) => fake.http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** ccxt constructor options for the private side (merge with the public fake's). */
  ccxtOptions(): Record<string, unknown> {
    const port = (this.http.address() as AddressInfo).port;
    return {
      apiKey: 'test-key',
      secret: 'test-secret',
      urls: { api: { private: `http://127.0.0.1:${port}`, ws: { private: { contract: `ws://127.0.0.1:${port}/v5/private` } } } },
      options: { enableUnifiedMargin: false, enableUnifiedAccount: true },
    };
  }

  async stop(): Promise<void> {
    for (const ws of this.subscribers) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async rest(request: IncomingMessage): Promise<unknown> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.calls.push(`${request.method} ${url.pathname}`);
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, string>;
    const ok = (result: unknown) => ({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: Date.now() });
    if (url.pathname === '/v5/asset/coin/query-info') return ok({ rows: [] });
    if (url.pathname === '/v5/order/realtime') {
      const symbol = url.searchParams.get('symbol');
      const open = [...this.orders.values()].filter((o) => o.status === 'New' && (!symbol || o.symbol === symbol));
      return ok({ category: 'spot', list: open.map(wire), nextPageCursor: '' });
    }
    if (url.pathname === '/v5/order/create') {
      const order: FakeOrder = {
        orderId: `fake-${this.nextId++}`, orderLinkId: body.orderLinkId ?? '', symbol: body.symbol!, side: body.side as FakeOrder['side'],
        orderType: body.orderType as FakeOrder['orderType'], qty: Number(body.qty), price: Number(body.price ?? 0), status: 'New', filled: 0, value: 0,
      };
      this.orders.set(order.orderId, order);
      // The acknowledgement first, then the order's life on the private stream.
      setTimeout(() => this.trade(order), 5);
      return ok({ orderId: order.orderId, orderLinkId: order.orderLinkId });
    }
    const order = [...this.orders.values()].find((o) => o.orderId === body.orderId || (body.orderLinkId && o.orderLinkId === body.orderLinkId));
    if (url.pathname === '/v5/order/cancel' || url.pathname === '/v5/order/amend') {
      if (!order || order.status !== 'New') return { retCode: 110001, retMsg: 'Order does not exist.', result: {}, retExtInfo: {}, time: Date.now() };
      if (url.pathname === '/v5/order/cancel') order.status = 'Cancelled';
      else {
        order.qty = Number(body.qty ?? order.qty);
        order.price = Number(body.price ?? order.price);
      }
      setTimeout(() => this.publish(order), 5);
      return ok({ orderId: order.orderId, orderLinkId: order.orderLinkId });
    }
    return { retCode: 10001, retMsg: `no route ${url.pathname}`, result: {}, retExtInfo: {}, time: Date.now() };
  }

  private trade(order: FakeOrder): void {
    this.publish(order);
    const at = this.prices[order.symbol] ?? 0;
    const crosses = order.orderType === 'Market' || (order.side === 'Buy' ? order.price >= at : order.price <= at);
    if (!crosses) return;
    const price = order.orderType === 'Market' ? at : order.price;
    order.filled = order.qty;
    order.value = order.qty * price;
    order.status = 'Filled';
    this.publish(order);
  }

  /** An order placed on the account by someone else (by hand, or a crashed earlier run). */
  placeDirect(orderLinkId: string, symbol: string, side: FakeOrder['side'], qty: number, price: number): FakeOrder {
    const order: FakeOrder = { orderId: `fake-${this.nextId++}`, orderLinkId, symbol, side, orderType: 'Limit', qty, price, status: 'New', filled: 0, value: 0 };
    this.orders.set(order.orderId, order);
    return order;
  }

  private publish(o: FakeOrder): void {
    const message = { id: `fake-${Date.now()}`, topic: 'order', creationTime: Date.now(), data: [wire(o)] };
    for (const ws of this.subscribers) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  private serve(ws: WebSocket): void {
    ws.on('close', () => this.subscribers.delete(ws));
    ws.on('message', (raw) => {
      const request = JSON.parse(String(raw)) as { op?: string; req_id?: string; args?: string[] };
      if (request.op === 'auth') ws.send(JSON.stringify({ success: true, ret_msg: '', op: 'auth', conn_id: 'fake' }));
      else if (request.op === 'subscribe') {
        if (request.args?.includes('order')) this.subscribers.add(ws);
        ws.send(JSON.stringify({ success: true, ret_msg: '', op: 'subscribe', req_id: request.req_id, conn_id: 'fake' }));
      } else if (request.op === 'ping') ws.send(JSON.stringify({ success: true, ret_msg: 'pong', op: 'ping', conn_id: 'fake' }));
    });
  }
}

/** An order as Bybit's unified account sends it (REST lists and the `order` topic). */
function wire(o: FakeOrder): Record<string, unknown> {
  return {
    category: 'spot', symbol: o.symbol, orderId: o.orderId, orderLinkId: o.orderLinkId, side: o.side, orderType: o.orderType,
    price: String(o.price), qty: String(o.qty), timeInForce: 'GTC', orderStatus: o.status, cumExecQty: String(o.filled),
    cumExecValue: String(o.value), avgPrice: o.filled ? String(o.value / o.filled) : '0', leavesQty: String(o.status === 'New' ? o.qty - o.filled : 0),
    leavesValue: '0', cumExecFee: '0', createdTime: String(Date.now()), updatedTime: String(Date.now()), rejectReason: 'EC_NoError',
  };
}
