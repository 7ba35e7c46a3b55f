/**
 * The queue in front of one ZeroMQ socket. The engine pushes and never waits: zeromq.js takes
 * one send at a time, so messages wait here, at most `limit` of them; beyond that the oldest
 * is dropped and counted. A send the socket refuses (a Router peer that is gone or full) is
 * counted too. Nothing the network does can hold the engine's main thread.
 */
export interface Sendable {
  send(frames: (string | Buffer)[]): Promise<void>;
}

export class Outbox {
  private readonly queue: (string | Buffer)[][] = [];
  private pumping = false;
  /** Dropped here because the socket fell `limit` messages behind. */
  dropped = 0;
  /** Refused by the socket (EHOSTUNREACH, EAGAIN at a peer's high-water mark, closed). */
  failed = 0;
  sent = 0;

  constructor(private readonly socket: Sendable, private readonly limit: number) {}

  push(frames: (string | Buffer)[]): void {
    if (this.queue.length >= this.limit) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(frames);
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.queue.length) {
      try {
        await this.socket.send(this.queue.shift()!);
        this.sent++;
      } catch {
        this.failed++;
      }
    }
    this.pumping = false;
  }
}
