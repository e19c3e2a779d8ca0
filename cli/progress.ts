// A one-line progress indicator on stderr for runs that take a while. It appears
// only on a terminal and only after a moment, so quick runs and CI logs stay clean.

/** The part of a stream the indicator needs (`process.stderr` in the CLI). */
export interface ProgressStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** A stream's 'error' (a closed pipe) when it is a Node stream: `process.stdout` in the CLI. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  off?(event: 'error', listener: (error: Error) => void): unknown;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ProgressOptions {
  /** Milliseconds before the line first appears. */
  readonly delayMs?: number;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export class Progress {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private done = 0;
  private current = '';
  private visible = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly enabled: boolean,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? 800;
    this.intervalMs = options.intervalMs ?? 120;
    this.startedAt = this.now();
  }

  /** Starts ticking; nothing is drawn before the delay. */
  start(): void {
    if (!this.enabled || this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Never keep the process alive for a spinner.
    this.timer.unref();
  }

  /** Records a finished request and names the file now being run. */
  advance(doneCount: number, current: string): void {
    this.done = doneCount;
    this.current = current;
  }

  /** Erases the line so other output starts at column 0; the next tick redraws it. */
  clear(): void {
    if (!this.visible) return;
    this.stream.write('\r\u001b[K');
    this.visible = false;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** The text of the line at this moment (exposed for tests). */
  line(): string {
    const elapsed = ((this.now() - this.startedAt) / 1000).toFixed(1);
    const spinner = frames[this.frame % frames.length] ?? '';
    const text = `${spinner} ${this.done} done · ${elapsed} s · ${this.current}`;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }

  private tick(): void {
    if (this.now() - this.startedAt < this.delayMs) return;
    this.frame += 1;
    this.stream.write(`\r\u001b[K${this.line()}`);
    this.visible = true;
  }
}
