/**
 * A live status line on long runs: rewritten in place on a terminal, printed once a
 * second otherwise (logs and CI), so progress shows without flooding.
 */
export class StatusLine {
  private lastPlainMs = 0;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${text}`);
      this.shown = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlainMs < 1000) return;
    this.lastPlainMs = now;
    this.stream.write(`${text}\n`);
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
