/**
 * A client of the control socket (a DEALER): what the `cwts` commands use to talk to a
 * running engine, and what a Node script may use. Requests carry increasing ids; a reply
 * resolves its request, an error reply rejects it with the engine's code. Reports of a
 * submitted signal go to `onReport`. Over tcp:// it is a CURVE client: the server's public
 * key and this client's key pair, both from `cwts keys generate` files.
 */
import { Dealer } from 'zeromq';
import { readKeyPair, readPublicKey } from './curve-keys.js';
import { SCHEMA_VERSION, type ControlReply, type ErrorCode, type WireReport } from './schema.js';

export interface ControlClientOptions {
  /** The engine's public key file (`<name>.key`); required for tcp://. */
  readonly serverKeyFile?: string | undefined;
  /** This client's secret key file (`<name>.key_secret`), whose public half the engine authorized; required for tcp://. */
  readonly keyFile?: string | undefined;
  /** How long a request waits for its reply. */
  readonly timeoutMs?: number;
  readonly onReport?: (report: WireReport, requestId: string | number | null) => void;
}

export class ControlError extends Error {
  constructor(readonly code: ErrorCode | 'TIMEOUT', message: string) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 5000;

interface Waiting {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ControlClient {
  private readonly socket: Dealer;
  private readonly waiting = new Map<number, Waiting>();
  private readonly receiving: Promise<void>;
  private nextId = 1;

  constructor(readonly endpoint: string, private readonly options: ControlClientOptions = {}) {
    // A Dealer waits to send until a peer is connected: never longer than a request may wait.
    this.socket = new Dealer({ linger: 0, sendTimeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    if (endpoint.startsWith('tcp://')) {
      if (!options.serverKeyFile || !options.keyFile) {
        throw new ControlError('INVALID_ARGUMENT', `${endpoint} is tcp://: give the engine's public key file and this client's secret key file (cwts keys generate writes both)`);
      }
      const own = readKeyPair(options.keyFile);
      this.socket.curveServerKey = readPublicKey(options.serverKeyFile);
      this.socket.curvePublicKey = own.publicKey;
      this.socket.curveSecretKey = own.secretKey;
    }
    this.socket.connect(endpoint);
    this.receiving = this.receive();
  }

  /** Sends `{cmd, ...args}`; resolves to the reply's result, rejects with a ControlError. */
  request(cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const fail = (error: ControlError): void => {
        clearTimeout(timer);
        this.waiting.delete(id);
        reject(error);
      };
      const timedOut = (): ControlError => new ControlError('TIMEOUT', `no reply from ${this.endpoint} within ${timeoutMs} ms: is an engine running with network.control there? (over tcp://, an unknown CURVE key gets no answer at all)`);
      const timer = setTimeout(() => fail(timedOut()), timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      // A send that waited the whole timeout found no engine to take it (none connected, or the handshake refused).
      this.socket.send(JSON.stringify({ v: SCHEMA_VERSION, id, cmd, ...args })).catch((error: Error & { code?: string }) =>
        fail(error.code === 'EAGAIN' ? timedOut() : new ControlError('INTERNAL', `cannot send to ${this.endpoint}: ${error.message}`)));
    });
  }

  private async receive(): Promise<void> {
    try {
      for await (const [body] of this.socket) {
        const message = JSON.parse(body!.toString('utf8')) as ControlReply;
        if (message.type === 'report') {
          this.options.onReport?.(message.report, message.id);
          continue;
        }
        const waiting = typeof message.id === 'number' ? this.waiting.get(message.id) : undefined;
        if (!waiting) continue; // a reply after its timeout
        this.waiting.delete(message.id as number);
        clearTimeout(waiting.timer);
        if (message.ok) waiting.resolve(message.result);
        else waiting.reject(new ControlError(message.error.code, message.error.message));
      }
    } catch {
      // closed
    }
  }

  async close(): Promise<void> {
    for (const waiting of this.waiting.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new ControlError('INTERNAL', 'the client was closed'));
    }
    this.waiting.clear();
    this.socket.close();
    await this.receiving;
  }
}
