/**
 * A local stand-in for Bybit's v5 public API, enough for ccxt's real bybit client: REST
 * `/v5/market/instruments-info` for the markets, and the public spot websocket, which
 * acknowledges subscriptions and then replays a recorded session's messages of the
 * subscribed topics in their recorded order. It can drop every connection on demand.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Session {
  readonly instruments: readonly Record<string, unknown>[];
  readonly messages: readonly { readonly topic: string; readonly [key: string]: unknown }[];
}

export function loadSession(path: string): Session {
  return JSON.parse(readFileSync(path, 'utf8')) as Session;
}

export class FakeBybit {
  /** Every topic subscribed, in order, across connections. */
  readonly subscriptions: string[] = [];
  connections = 0;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();

  private constructor(private readonly session: Session, private readonly messageGapMs: number) {
    this.http = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      response.setHeader('content-type', 'application/json');
      if (url.pathname === '/v5/market/instruments-info' && url.searchParams.get('category') === 'spot') {
        response.end(JSON.stringify({ retCode: 0, retMsg: 'OK', result: { category: 'spot', list: session.instruments, nextPageCursor: '' }, retExtInfo: {}, time: Date.now() }));
        return;
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ retCode: 10001, retMsg: `no route ${url.pathname}` }));
    });
    this.wss = new WebSocketServer({ server: this.http, path: '/v5/public/spot' });
    this.wss.on('connection', (socket) => this.serve(socket));
  }

  /** Port 0 picks a free one; a given port brings the venue back where a feed already points. */
  static async start(session: Session, { port = 0, messageGapMs = 5 } = {}): Promise<FakeBybit> {
    const fake = new FakeBybit(session, messageGapMs);
    await new Promise<void>((resolve) => fake.http.listen(port, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** ccxt constructor options that point its bybit client here. */
  ccxtOptions(): Record<string, unknown> {
    const base = `http://127.0.0.1:${this.port}`;
    return {
      urls: { api: { public: base, spot: base, ws: { public: { spot: `ws://127.0.0.1:${this.port}/v5/public/spot` } } } },
      options: { fetchMarkets: { types: ['spot'] }, adjustForTimeDifference: false },
    };
  }

  /** Closes every websocket connection, as an exchange restart would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private serve(socket: WebSocket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (raw) => {
      const request = JSON.parse(String(raw)) as { op?: string; args?: string[]; req_id?: string };
      if (request.op === 'ping') {
        send(socket, { success: true, ret_msg: 'pong', conn_id: 'fake', op: 'ping' });
        return;
      }
      if (request.op !== 'subscribe') return;
      const topics = request.args ?? [];
      this.subscriptions.push(...topics);
      send(socket, { success: true, ret_msg: 'subscribe', conn_id: 'fake', req_id: request.req_id, op: 'subscribe' });
      void this.replay(socket, new Set(topics));
    });
  }

  private async replay(socket: WebSocket, topics: ReadonlySet<string>): Promise<void> {
    for (const message of this.session.messages) {
      if (!topics.has(message.topic)) continue;
      await new Promise((resolve) => setTimeout(resolve, this.messageGapMs));
      if (!send(socket, message)) return;
    }
  }
}

/** Sends if the socket is still open (a dropped one is not an error here); says whether it did. */
function send(socket: WebSocket, message: unknown): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}
