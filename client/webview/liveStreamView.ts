// A stream while it is open: a table that grows as the host's batches arrive (time since the start,
// direction, type, id, data on one line), following the tail unless the user scrolled up (then
// "Jump to latest" says how many came meanwhile). Rows have one height and only those in view are
// in the DOM; the table keeps the last `maxRows` messages, so an endless stream never grows the
// page. A click on a row shows its whole data (JSON pretty-printed) under the table. Stop ends the
// stream; a WebSocket gets a message box and Close. When the stream ends the table stays, with
// how it ended and the count.
import { type LiveStreamView, type PanelAction, type StreamMessageView, type StreamView as StreamInfo, type WebviewMessage } from '../panel/messages';
import { button, element, formatMs } from './dom';
import { scrollHeight, visibleRows } from './virtualRange';

/** Must match `.live-row { height }` in panel.css. */
export const liveRowHeight = 20;
/** Messages the table keeps; earlier ones are counted (Save keeps them all). */
export const defaultMaxLiveRows = 5000;
/** Characters of a message's data shown in its row: the rest is in the detail view. */
const rowDataChars = 400;
/** How often at most the page tells the host how many messages it shows. */
const shownReportMs = 100;

export interface LiveTableOptions {
  readonly id: number;
  readonly live: LiveStreamView;
  readonly post: (message: WebviewMessage) => void;
  readonly maxRows?: number;
}

export class LiveStreamTable {
  readonly root: HTMLElement;
  private rows: StreamMessageView[] = [];
  /** Messages exchanged in all, as the host counted them with the last batch. */
  private count = 0;
  /** Messages dropped from the front of `rows`: the index of `rows[0]` among those the table had. */
  private dropped = 0;
  private following = true;
  /** Messages that arrived while the user was scrolled up. */
  private unseen = 0;
  private selected: number | undefined;
  private open = true;
  private renderQueued = false;
  private lastReport = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  /** The scroll position this table set last: its own scroll events do not change `following`. */
  private ownScrollTop: number | undefined;
  private readonly maxRows: number;
  private readonly countText = element('span', 'stream-count', '0 messages');
  private readonly state = element('span', 'stream-end stream-end-open', 'open');
  private readonly stopButton: HTMLButtonElement;
  private readonly notShown = element('div', 'stream-not-shown live-not-shown');
  private readonly scroller = element('div', 'live-scroller');
  private readonly spacer = element('div', 'spacer');
  private readonly rowsBox = element('div', 'live-rows');
  private readonly jump: HTMLButtonElement;
  private readonly detail = element('div', 'live-detail');
  private readonly composer: HTMLFormElement | undefined;
  private readonly resizeObserver = new ResizeObserver(() => this.scheduleRender());

  constructor(private readonly options: LiveTableOptions) {
    this.maxRows = Math.max(1, options.maxRows ?? defaultMaxLiveRows);
    const websocket = options.live.canSend;
    const action = (name: PanelAction): void => options.post({ type: 'action', action: name });
    this.stopButton = button(websocket ? 'Close' : 'Stop', websocket ? 'Close the connection (code 1000); the messages stay' : 'Stop the stream; the messages so far stay', () => action('stopStream'), 'stop-stream');
    const facts = element('div', 'stream-facts', element('span', 'stream-protocol', options.live.protocol), this.countText, this.state, this.stopButton);
    this.jump = button('↓ Jump to latest', 'Follow the newest messages again', () => this.followTail(), 'jump-latest');
    this.jump.hidden = true;
    this.notShown.hidden = true;
    this.detail.hidden = true;
    const head = element('div', 'live-row live-head', element('span', 'at', 'Time'), element('span', 'direction', ''), element('span', 'type', 'Type'), element('span', 'id', 'Id'), element('span', 'data', 'Data'));
    this.scroller.append(this.spacer, this.rowsBox);
    this.scroller.addEventListener('scroll', () => this.onScroll());
    this.rowsBox.addEventListener('click', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('.live-row');
      const index = row?.dataset.index;
      if (index !== undefined) this.select(Number(index));
    });
    this.composer = websocket ? this.messageBox() : undefined;
    this.root = element('section', 'stream stream-live', facts, this.composer, this.notShown, head, element('div', 'live-table', this.scroller, this.jump), this.detail);
    this.resizeObserver.observe(this.scroller);
  }

  /** Which live stream this table shows. */
  get id(): number {
    return this.options.id;
  }

  /** Appends a batch of messages; `count` is how many the stream exchanged up to its last one. */
  append(messages: readonly StreamMessageView[], count: number): void {
    // `count` may jump by more than the batch: the host skipped some under a flood (Save keeps them).
    this.count = Math.max(this.count, count);
    for (const message of messages) this.rows.push(message);
    if (this.rows.length > this.maxRows) {
      const removed = this.rows.length - this.maxRows;
      this.rows = this.rows.slice(removed);
      this.dropped += removed;
      // Keep what a scrolled-up reader looks at in place as the rows above it go.
      if (!this.following) this.setScrollTop(Math.max(0, this.scroller.scrollTop - removed * liveRowHeight));
    }
    if (!this.following) this.unseen += messages.length;
    this.scheduleRender();
    this.reportShown();
  }

  /** The stream ended: the table stays, with how it ended and the count; Stop and the message box go. */
  end(stream: StreamInfo): void {
    this.open = false;
    this.count = Math.max(this.count, stream.count);
    this.state.className = `stream-end stream-end-${stream.endReason}`;
    this.state.textContent = stream.end;
    this.stopButton.remove();
    this.composer?.remove();
    this.scheduleRender();
    this.reportShown(true);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
  }

  private messageBox(): HTMLFormElement {
    const input = element('input', 'message-input');
    input.type = 'text';
    input.placeholder = 'Message to send (Enter sends)';
    input.setAttribute('aria-label', 'Message to send');
    const binary = element('input');
    binary.type = 'checkbox';
    binary.title = 'Send the text as a binary frame (its UTF-8 bytes)';
    const send = element('button', 'send-message', 'Send');
    send.type = 'submit';
    send.title = 'Send the message (Enter)';
    const form = element('form', 'message-box', input, element('label', 'binary-toggle', binary, ' binary'), send);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!this.open || input.value === '') return;
      this.options.post({ type: 'streamSend', id: this.options.id, data: input.value, binary: binary.checked });
      input.value = '';
      // Whoever sends wants to see the answer: the table follows again.
      this.followTail();
    });
    return form;
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    if (this.ownScrollTop !== undefined && Math.abs(top - this.ownScrollTop) < 1) {
      this.ownScrollTop = undefined;
    } else {
      this.ownScrollTop = undefined;
      const atBottom = top + this.scroller.clientHeight >= this.scroller.scrollHeight - liveRowHeight;
      this.following = atBottom;
      if (atBottom) this.unseen = 0;
    }
    this.scheduleRender();
  }

  private followTail(): void {
    this.following = true;
    this.unseen = 0;
    this.scheduleRender();
  }

  private setScrollTop(top: number): void {
    this.ownScrollTop = top;
    this.scroller.scrollTop = top;
  }

  private select(index: number): void {
    this.selected = this.selected === index ? undefined : index;
    this.renderDetail();
    this.scheduleRender();
  }

  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    const noun = this.count === 1 ? 'message' : 'messages';
    this.countText.textContent = `${this.count} ${noun}`;
    const earlier = Math.max(0, this.count - this.rows.length);
    this.notShown.hidden = earlier === 0;
    if (earlier > 0) this.notShown.textContent = `${earlier} earlier ${earlier === 1 ? 'message' : 'messages'} not in the table; the last ${this.rows.length} are${this.open ? '' : ' (Save keeps them all)'}`;
    const total = this.rows.length;
    const height = scrollHeight(total, liveRowHeight);
    this.spacer.style.height = `${height}px`;
    const viewport = this.scroller.clientHeight;
    if (this.following) {
      const bottom = Math.max(0, height - viewport);
      if (Math.abs(this.scroller.scrollTop - bottom) >= 1) this.setScrollTop(bottom);
    }
    this.jump.hidden = this.following || total === 0;
    this.jump.textContent = this.unseen > 0 ? `↓ Jump to latest (${this.unseen} new)` : '↓ Jump to latest';
    const window = visibleRows(this.scroller.scrollTop, viewport, total, liveRowHeight, 5);
    this.rowsBox.style.transform = `translateY(${window.top}px)`;
    // Row elements are reused frame after frame: only their text changes as the stream moves on.
    const pool = this.rowsBox.children;
    const wanted = window.end - window.first;
    while (pool.length > wanted) pool[pool.length - 1]?.remove();
    while (pool.length < wanted) this.rowsBox.append(this.emptyRow());
    for (let index = window.first; index < window.end; index++) this.fillRow(pool[index - window.first] as HTMLElement, this.rows[index], this.dropped + index);
  }

  private emptyRow(): HTMLElement {
    const direction = element('span', 'direction');
    return element('div', 'live-row', element('span', 'at'), direction, element('span', 'type'), element('span', 'id'), element('span', 'data'));
  }

  private fillRow(row: HTMLElement, message: StreamMessageView, index: number): void {
    const selected = this.selected === index;
    const key = `${index}${selected ? 's' : ''}`;
    if (row.dataset.key === key) return;
    row.dataset.key = key;
    row.dataset.index = String(index);
    row.className = `live-row message-${message.direction}${selected ? ' selected' : ''}`;
    row.title = 'Show the whole message';
    const [at, direction, type, id, data] = Array.from(row.children) as HTMLElement[];
    const sent = message.direction === 'sent';
    at.textContent = formatMs(message.at);
    direction.className = `direction direction-${message.direction}`;
    direction.textContent = sent ? '→' : '←';
    direction.title = sent ? 'Sent' : 'Received';
    type.textContent = message.type;
    id.textContent = message.id ?? '';
    const oneLine = message.data.length > rowDataChars ? `${message.data.slice(0, rowDataChars)}…` : message.data;
    data.className = `data data-${message.dataKind}`;
    data.textContent = message.dataKind === 'json' ? oneLine.replace(/\n\s*/g, ' ') : oneLine.replace(/\n/g, '⏎');
  }

  private renderDetail(): void {
    const index = this.selected;
    const message = index === undefined ? undefined : this.rows[index - this.dropped];
    this.detail.hidden = message === undefined;
    if (message === undefined) {
      this.detail.replaceChildren();
      return;
    }
    const heading = `${formatMs(message.at)} ${message.direction === 'sent' ? '→ sent' : '← received'} ${message.type}${message.id === undefined ? '' : ` #${message.id}`}`;
    this.detail.replaceChildren(
      element('div', 'live-detail-heading', heading, button('×', 'Close the message', () => this.select(index ?? -1), 'close-detail')),
      element('pre', `data data-${message.dataKind}`, message.data, message.omitted > 0 && element('span', 'omitted', ` … ${message.omitted} more characters`)),
    );
  }

  /** Tells the host how many messages the table shows, at most every `shownReportMs`. */
  private reportShown(now = false): void {
    const report = (): void => {
      this.reportTimer = undefined;
      this.lastReport = performance.now();
      this.options.post({ type: 'streamShown', id: this.options.id, count: this.count });
    };
    if (now || performance.now() - this.lastReport >= shownReportMs) {
      if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
      report();
    } else this.reportTimer ??= setTimeout(report, shownReportMs);
  }
}
