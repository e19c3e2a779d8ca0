// The host side of a live stream in the panel: messages arrive from the engine one by one, as
// fast as the server sends them (10,000 SSE events a second is a real case), and go to the webview
// in batches: one post per frame (~16 ms) or per `maxBatch` messages, whichever comes first, and
// never a second post while one is still being delivered. Memory stays bounded whatever the rate:
// while a post is on its way at most `maxPending` messages wait (older ones are skipped, counted,
// and kept by the engine's recorder for Save), and the last `keepRecent` shown are kept to post
// again to a page that reloads. Pure: no vscode, so the batching is tested and benched in Node.
import type { StreamMessage } from '../../engine/model';
import { messageDataText } from '../../engine/streamMessages';
import { defaultMaxMessageCharsInPanel, defaultMaxMessagesInPanel } from './exchangeView';
import type { StreamMessageView } from './messages';

/** Milliseconds a message may wait for the next post: about one frame. */
export const defaultBatchIntervalMs = 16;
/** Messages in one post at most: a frame's worth at a fast rate, without one post growing huge. */
export const defaultMaxBatch = 500;

export interface LiveFeedOptions {
  /** Delivers a batch and the count so far; resolves when the webview has it (false: the panel is gone). */
  readonly post: (messages: readonly StreamMessageView[], count: number) => PromiseLike<boolean> | boolean;
  readonly batchIntervalMs?: number;
  readonly maxBatch?: number;
  /** Messages waiting at most while a post is on its way; the oldest beyond are skipped. Default `defaultMaxMessagesInPanel`. */
  readonly maxPending?: number;
  /** The most recent messages kept to post again to a reloaded page. Default `defaultMaxMessagesInPanel`. */
  readonly keepRecent?: number;
  readonly maxMessageChars?: number;
}

/** A message's data as the panel shows it: JSON pretty-printed, binary summarised, clipped. */
export function messageView(message: StreamMessage, maxChars = defaultMaxMessageCharsInPanel): StreamMessageView {
  const data = messageDataText(message.data, maxChars);
  return { at: message.at, direction: message.direction, type: message.type, id: message.id, dataKind: data.kind, data: data.text, omitted: data.omitted };
}

/** Batches one stream's messages to the webview, bounded in memory and in posts. */
export class LiveStreamFeed {
  private pending: StreamMessage[] = [];
  private recentViews: StreamMessageView[] = [];
  private total = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private posting = false;
  private closed = false;
  private idle: (() => void) | undefined;
  private readonly interval: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly keepRecent: number;
  private readonly maxChars: number;

  constructor(private readonly options: LiveFeedOptions) {
    this.interval = options.batchIntervalMs ?? defaultBatchIntervalMs;
    this.maxBatch = Math.max(1, options.maxBatch ?? defaultMaxBatch);
    this.maxPending = Math.max(this.maxBatch, options.maxPending ?? defaultMaxMessagesInPanel);
    this.keepRecent = Math.max(0, options.keepRecent ?? defaultMaxMessagesInPanel);
    this.maxChars = options.maxMessageChars ?? defaultMaxMessageCharsInPanel;
  }

  /** Messages exchanged so far, posted or not. */
  get count(): number {
    return this.total;
  }

  /** Messages waiting for a post: never more than `maxPending`. */
  get waiting(): number {
    return this.pending.length;
  }

  /** The last messages posted, oldest first, for a page that reloads. */
  get recent(): readonly StreamMessageView[] {
    return this.recentViews.length > this.keepRecent ? this.recentViews.slice(-this.keepRecent) : this.recentViews;
  }

  /** Takes one message; it is posted within a frame, with others that came meanwhile. */
  add(message: StreamMessage): void {
    if (this.closed) return;
    this.total++;
    this.pending.push(message);
    // Trimmed in one go once twice over the bound, so a flood does not shift the array per message.
    if (this.pending.length >= 2 * this.maxPending) this.pending = this.pending.slice(-this.maxPending);
    if (this.posting) return;
    if (this.pending.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.interval);
  }

  /** Posts what is waiting and stops taking messages; resolves once the last post is delivered. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.posting || this.pending.length > 0) {
      if (!this.posting) this.flush();
      await new Promise<void>((resolve) => (this.idle = resolve));
    }
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.posting || this.pending.length === 0) return;
    // Past `maxPending` the oldest waiting are skipped: the page shows a window anyway, Save has them all.
    const first = Math.max(0, this.pending.length - this.maxPending);
    const batch = this.pending.slice(first, first + this.maxBatch).map((message) => messageView(message, this.maxChars));
    // One post carries at most `maxBatch`; the rest go right after it is delivered.
    this.pending = this.pending.slice(first + this.maxBatch);
    this.remember(batch);
    // The count posted is the count up to the batch's last message, so the page never shows more than arrived.
    const countAtBatch = this.total - this.pending.length;
    this.posting = true;
    void Promise.resolve(this.options.post(batch, countAtBatch))
      .then(
        (delivered) => {
          if (delivered === false) this.closed = true;
        },
        () => {
          this.closed = true;
        },
      )
      .then(() => {
        this.posting = false;
        if (this.closed && this.idle === undefined) this.pending = [];
        if (this.pending.length > 0) {
          if (this.pending.length >= this.maxBatch || this.closed) this.flush();
          else this.timer ??= setTimeout(() => this.flush(), this.interval);
        }
        const idle = this.idle;
        this.idle = undefined;
        idle?.();
      });
  }

  private remember(batch: readonly StreamMessageView[]): void {
    if (this.keepRecent === 0) return;
    for (const view of batch) this.recentViews.push(view);
    if (this.recentViews.length >= 2 * this.keepRecent) this.recentViews = this.recentViews.slice(-this.keepRecent);
  }
}
