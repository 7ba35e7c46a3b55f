/**
 * The ZAP handler (ZeroMQ RFC 27) of one ZeroMQ context: libzmq asks it about every CURVE
 * handshake on that context's sockets, and lets in only a client whose public key is
 * authorized. Without a handler libzmq would encrypt but admit any key, so the engine never
 * binds a tcp:// endpoint without one. A refused peer's connection is closed in the handshake:
 * it gets nothing, not even an error.
 */
import { Router, type Context } from 'zeromq';

const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';
const Z85_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** A 40-character Z85 key as its 32 bytes (the form ZAP hands over). */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new RangeError(`a Z85 string's length is a multiple of 5, got ${text.length}`);
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const digit = Z85_CHARS.indexOf(text[i + j]!);
      if (digit < 0) throw new RangeError(`${JSON.stringify(text[i + j])} is not a Z85 character`);
      value = value * 85 + digit;
    }
    out.writeUInt32BE(value >>> 0, (i / 5) * 4);
  }
  return out;
}

export class ZapHandler {
  private readonly authorized: Set<string>;
  private serving: Promise<void> = Promise.resolve();
  /** Handshakes refused and let in. */
  refused = 0;
  accepted = 0;

  private constructor(private readonly socket: Router, authorizedKeys: Iterable<string>, private readonly onRefused: (address: string) => void) {
    this.authorized = new Set([...authorizedKeys].map((k) => z85Decode(k).toString('hex')));
  }

  /** Serves ZAP for `context` until closed; `authorizedKeys` are Z85 public keys. Bind CURVE sockets after this resolves. */
  static async start(context: Context, authorizedKeys: Iterable<string>, onRefused: (address: string) => void): Promise<ZapHandler> {
    const socket = new Router({ context, linger: 0 });
    await socket.bind(ZAP_ENDPOINT);
    const handler = new ZapHandler(socket, authorizedKeys, onRefused);
    handler.serving = handler.serve();
    return handler;
  }

  private async serve(): Promise<void> {
    for await (const frames of this.socket) {
      // [routing id, empty, version, request id, domain, address, identity, mechanism, credentials...]
      const [routingId, , version, requestId, , address, , mechanism, credential] = frames;
      const key = mechanism?.toString() === 'CURVE' && credential ? credential.toString('hex') : '';
      const ok = version?.toString() === '1.0' && this.authorized.has(key);
      if (ok) this.accepted++;
      else {
        this.refused++;
        this.onRefused(address?.toString() ?? 'unknown');
      }
      await this.socket.send([routingId!, '', '1.0', requestId ?? '', ok ? '200' : '400', ok ? 'OK' : 'unknown CURVE key', ok ? key : '', '']);
    }
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.serving.catch(() => undefined);
  }
}
