// The response panel on the extension host: creates or reuses the webview beside the
// editor, posts the exchange and then its body as text chunks, and carries out the
// panel's buttons (copy, save, open in editor, re-send, copy as cURL, cancel).
// Nothing is posted before the page says it is ready; a page that says so again (its webview
// reloaded) or that comes into view without having shown the current exchange is sent it again,
// from the exchange the host keeps for Copy and Save anyway (the page keeps only its summary).
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { writeFile, copyFile } from 'node:fs/promises';
import { type Exchange, type StreamControl } from '../../engine/model';
import { spilledMessage } from '../../engine/streams/streamRecorder';
import { askWhereToSaveBody, saveBodyTo } from '../bodySaving';
import { languageIdFor } from './bodyKind';
import { bodyText, bodyTextChunks } from './bodyText';
import { exchangeAsText } from './exchangeText';
import { panelTitle, toExchangeView } from './exchangeView';
import { LiveStreamFeed } from './liveStream';
import { isWebviewMessage, type ExchangeView, type HostMessage, type LiveStreamView, type PanelAction, type WebviewMessage } from './messages';
import { createNonce, panelHtml } from './panelHtml';

/** Bodies larger than this are shown in part by default (the `maxBodyBytesInPanel` option). */
export const defaultMaxBodyBytesInPanel = 64 << 20;
const maxImageBytes = 16 << 20;
const hexPreviewBytes = 512;

export interface ShowOptions {
  /** Panel title; by default the request name or `METHOD path`, with the status (`login · 200`). */
  readonly title?: string;
  /** Reuse the one shared panel (default) or open a new panel for this response. */
  readonly reuse?: boolean;
  /** Bytes of body the panel shows; the rest is offered through "Open in editor" and "Save". */
  readonly maxBodyBytesInPanel?: number;
  /** Called by the panel's "Re-send" button. */
  readonly onResend?: () => void;
  /** Called by the panel's "cURL" button: copy the request as a cURL command. */
  readonly onCopyAsCurl?: () => void;
}

export interface PendingOptions {
  /** Reuse the one shared panel (default) or open a new one for this request. */
  readonly reuse?: boolean;
  /** Called by the panel's "Cancel" button while the request is in flight. */
  readonly onCancel?: () => void;
}

/** Opens response panels: one shared panel, reused by default, or one per request. */
export class ResponsePanels implements vscode.Disposable {
  private shared: ResponsePanel | undefined;
  private readonly all = new Set<ResponsePanel>();
  private last: ExchangeView | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Shows that a request is on its way, in the panel its response will use; returns that panel. */
  showPending(title: string, options: PendingOptions = {}): ResponsePanel {
    const panel = this.panelFor(options.reuse ?? true, title);
    panel.showPending(title, options.onCancel);
    return panel;
  }

  /** Shows `exchange` in the shared panel, or in a new one when `options.reuse` is false. */
  show(exchange: Exchange, options: ShowOptions = {}, live?: LiveStream): ResponsePanel {
    // A stream shown live ends in the panel that shows it, whose table stays.
    const panel = live !== undefined && !live.panel.disposed ? live.panel : this.panelFor(options.reuse ?? true, options.title ?? panelTitle(exchange));
    this.last = panel.show(exchange, options, live);
    return panel;
  }

  /** Shows a stream live in `preferred` (the panel that shows its request pending), or in another when that one was closed. */
  openLive(preferred: ResponsePanel, reuse: boolean, view: ExchangeView, control: StreamControl): LiveStream {
    const panel = preferred.disposed ? this.panelFor(reuse, view.title) : preferred;
    this.last = view;
    return panel.openLive(view, control);
  }

  /** The live stream the shared panel shows, as the host posted it and as the page said it shows it: read by the integration tests. */
  get sharedLive(): LiveStreamState | undefined {
    return this.shared?.disposed === false ? this.shared.liveState : undefined;
  }

  /** Hands the shared panel a message as its page would post it (the message box, Stop): for the integration tests. */
  receiveInShared(message: WebviewMessage): boolean {
    if (this.shared === undefined || this.shared.disposed) return false;
    this.shared.receive(message);
    return true;
  }

  /** What a panel was last given to show: read by the integration tests. */
  get lastView(): ExchangeView | undefined {
    return this.last;
  }

  /** What the shared panel's page shows, as it told the host: read by the integration tests. */
  get sharedPage(): PageState | undefined {
    return this.shared?.disposed === false ? this.shared.page : undefined;
  }

  private panelFor(reuse: boolean, title: string): ResponsePanel {
    if (reuse && this.shared !== undefined && !this.shared.disposed) return this.shared;
    const panel = new ResponsePanel(this.extensionUri, title, () => {
      this.all.delete(panel);
      if (this.shared === panel) this.shared = undefined;
    });
    this.all.add(panel);
    if (reuse) this.shared = panel;
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.all]) panel.dispose();
  }
}

/** What a panel's page shows, as its messages said. */
export interface PageState {
  /** Pages the panel loaded: 1, then one more each time its webview reloaded. */
  readonly loads: number;
  /** The title of the exchange the current page shows with its whole body; undefined before it said so. */
  readonly shownTitle: string | undefined;
}

/** A live stream as the host posted it to a panel and as its page said it shows it. */
export interface LiveStreamState {
  /** The id the page's messages about this stream carry (`streamSend`). */
  readonly id: number;
  readonly protocol: string;
  readonly canSend: boolean;
  /** False once the stream's exchange is shown (the stream ended). */
  readonly open: boolean;
  /** Messages exchanged so far. */
  readonly count: number;
  /** Messages the page said it shows in its table. */
  readonly shownByPage: number;
}

/** A stream being shown live: what the sender gives the panel as messages come, and back with the exchange when it ends. */
export interface LiveStream {
  readonly panel: ResponsePanel;
  readonly feed: LiveStreamFeed;
}

/** One webview panel showing one exchange at a time. */
export class ResponsePanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private exchangeId = 0;
  private exchange: Exchange | undefined;
  private view: ExchangeView | undefined;
  private options: ShowOptions = {};
  private onCancel: (() => void) | undefined;
  /** The title of the request on its way, until its exchange is shown. */
  private pendingTitle: string | undefined;
  private pageLoads = 0;
  /** The exchange id the current page said it shows whole. */
  private shownId: number | undefined;
  /** The exchange id whose body is being posted. */
  private streamingId: number | undefined;
  /** The stream shown live, from its head until its exchange is shown. */
  private live: { readonly id: number; readonly feed: LiveStreamFeed; readonly control: StreamControl; readonly view: ExchangeView; readonly info: LiveStreamView; open: boolean; shownByPage: number } | undefined;
  disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    title: string,
    private readonly onDispose: () => void,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel('courier.response', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
      // A 50 MB body is expensive to resend, so the page survives being hidden.
      retainContextWhenHidden: true,
      enableFindWidget: false,
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    const webview = this.panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: createNonce(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isWebviewMessage(message)) this.receive(message);
      }),
      // A page that was not sent the current exchange whole (it was busy or hidden) gets it when it shows.
      this.panel.onDidChangeViewState(() => {
        // An open stream's page keeps receiving while hidden (retainContextWhenHidden): posting it again would reset its table.
        if (this.panel.visible && this.pageLoads > 0 && this.shownId !== this.exchangeId && this.streamingId !== this.exchangeId && this.live?.open !== true) this.postAgain();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** What the page posted: its state, a button, a typed message. */
  receive(message: WebviewMessage): void {
    if (message.type === 'ready') this.onPageReady();
    else if (message.type === 'shown') this.shownId = message.id;
    else if (message.type === 'streamShown') {
      if (this.live?.id === message.id) this.live.shownByPage = message.count;
    } else if (message.type === 'streamSend') {
      // A message typed for a stream that has ended, or another one, is dropped: the page disables the box then anyway.
      const live = this.live;
      if (live?.id === message.id && live.open && live.info.canSend) live.control.send(message.binary ? new TextEncoder().encode(message.data) : message.data);
    } else void this.perform(message.action);
  }

  /** The live stream this panel shows, if any. */
  get liveState(): LiveStreamState | undefined {
    const live = this.live;
    return live === undefined ? undefined : { id: live.id, protocol: live.info.protocol, canSend: live.info.canSend, open: live.open, count: live.feed.count, shownByPage: live.shownByPage };
  }

  /**
   * Shows a response that turned out to be a stream: its head and an empty table at once; the
   * messages given to the returned stream's feed follow in batches. `show` with it ends it.
   */
  openLive(view: ExchangeView, control: StreamControl): LiveStream {
    void this.live?.feed.close();
    const id = ++this.exchangeId;
    const info: LiveStreamView = { protocol: control.protocol, canSend: control.canSend };
    const feed = new LiveStreamFeed({ post: (messages, count) => (this.live?.id === id ? this.post({ type: 'streamMessages', id, messages, count }) : false) });
    this.live = { id, feed, control, view, info, open: true, shownByPage: 0 };
    this.exchange = undefined;
    this.view = view;
    this.pendingTitle = undefined;
    this.panel.title = view.title;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.post({ type: 'streamOpen', id, view, live: info });
    return { panel: this, feed };
  }

  /** What the page shows, as it told the host. */
  get page(): PageState {
    return { loads: this.pageLoads, shownTitle: this.shownId !== undefined && this.shownId === this.exchangeId ? this.view?.title : undefined };
  }

  /** The first page is sent what was queued; a later one (the webview reloaded) starts empty, so it is sent what the panel shows. */
  private onPageReady(): void {
    this.pageLoads++;
    this.shownId = undefined;
    if (this.pageLoads === 1) this.markReady();
    else this.postAgain();
  }

  /** Posts the current exchange again (a new id: chunks of the old stream are dropped), then the pending request, if any. */
  private postAgain(): void {
    const { exchange, view, pendingTitle, live } = this;
    if (live?.open === true) {
      // A reloaded page gets the open stream again with its last messages; later ones follow as they come.
      void this.post({ type: 'streamOpen', id: live.id, view: live.view, live: live.info });
      void this.post({ type: 'streamMessages', id: live.id, messages: live.feed.recent, count: live.feed.count });
    } else if (exchange !== undefined && view !== undefined) this.startStream(exchange, view);
    if (pendingTitle !== undefined) void this.post({ type: 'pending', title: pendingTitle });
  }

  /** Shows a spinner and a Cancel button until `show` is called. */
  showPending(title: string, onCancel: (() => void) | undefined): void {
    this.onCancel = onCancel;
    this.pendingTitle = title;
    this.panel.title = `${title} …`;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.post({ type: 'pending', title });
  }

  /** Replaces what the panel shows with `exchange`, returning what it posts; its body follows in chunks. */
  show(exchange: Exchange, options: ShowOptions = {}, live?: LiveStream): ExchangeView {
    const title = options.title ?? panelTitle(exchange);
    const maxBodyBytesInPanel = options.maxBodyBytesInPanel ?? defaultMaxBodyBytesInPanel;
    this.exchange = exchange;
    this.options = options;
    this.onCancel = undefined;
    this.pendingTitle = undefined;
    this.view = toExchangeView(exchange, { title, maxBodyBytesInPanel, maxImageBytes, hexPreviewBytes });
    this.panel.title = title;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    const ending = this.live !== undefined && this.live.feed === live?.feed && this.live.id === this.exchangeId ? this.live : undefined;
    if (this.live !== undefined) this.live.open = false;
    // The end of the stream this panel shows live keeps its id, so the page keeps the table; the last batch goes first.
    this.startStream(exchange, this.view, ending === undefined ? undefined : { id: ending.id, before: ending.feed.close() });
    if (ending === undefined) void this.live?.feed.close();
    return this.view;
  }

  private startStream(exchange: Exchange, view: ExchangeView, ending?: { readonly id: number; readonly before: Promise<void> }): void {
    const id = ending?.id ?? ++this.exchangeId;
    this.streamingId = id;
    void (ending?.before ?? Promise.resolve())
      .then(() => this.streamExchange(id, exchange, view, ending !== undefined))
      .catch((error: unknown) => {
        void vscode.window.showErrorMessage(`Courier: could not show the response body of ${exchange.request.method} ${exchange.request.url}: ${describe(error)}`);
      })
      .finally(() => {
        if (this.streamingId === id) this.streamingId = undefined;
      });
  }

  private async post(message: HostMessage): Promise<boolean> {
    await this.ready;
    return this.disposed ? false : this.panel.webview.postMessage(message);
  }

  /** Posts the exchange, then its body chunk by chunk; waiting on each post keeps memory flat, and a newer exchange stops the stream. */
  private async streamExchange(id: number, exchange: Exchange, view: ExchangeView, endsLive = false): Promise<void> {
    await this.post(endsLive ? { type: 'exchange', id, view, endsLive } : { type: 'exchange', id, view });
    const body = exchange.response?.body;
    if (body !== undefined && view.body.bytesInPanel > 0) {
      for await (const text of bodyTextChunks(body, view.body.bytesInPanel)) {
        if (id !== this.exchangeId || this.disposed) return;
        await this.post({ type: 'bodyChunk', id, text, last: false });
      }
    }
    if (id === this.exchangeId) await this.post({ type: 'bodyChunk', id, text: '', last: true });
  }

  private async perform(action: PanelAction): Promise<void> {
    try {
      switch (action) {
        case 'resend':
          return this.options.onResend?.();
        case 'copyAsCurl':
          return this.options.onCopyAsCurl?.();
        case 'cancel':
          return this.onCancel?.();
        case 'stopStream':
          // Stop (Close for a WebSocket): a normal end, the messages kept; the exchange then shows as `stopped`.
          if (this.live?.open === true) this.live.control.stop();
          return;
        case 'saveStream':
          return await this.saveStream();
        case 'copyBody':
          return await this.copyBody();
        case 'saveBody':
          return await this.saveBody();
        case 'saveExchange':
          return await this.saveExchange();
        case 'openBody':
          return await this.openBody();
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Courier: ${action} failed: ${describe(error)}`);
    }
  }

  private textualBody(): boolean {
    const kind = this.view?.body.kind;
    return kind === 'json' || kind === 'xml' || kind === 'html' || kind === 'text';
  }

  private async copyBody(): Promise<void> {
    const body = this.exchange?.response?.body;
    if (body === undefined) return;
    if (!this.textualBody()) {
      void vscode.window.showInformationMessage('Courier: this body is binary; use Save to keep it.');
      return;
    }
    await vscode.env.clipboard.writeText(await bodyText(body, body.size));
    vscode.window.setStatusBarMessage('Courier: response body copied', 3000);
  }

  private defaultSaveUri(fileName: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    return vscode.Uri.joinPath(folder, fileName);
  }

  private async saveBody(): Promise<void> {
    const exchange = this.exchange;
    const body = exchange?.response?.body;
    if (exchange === undefined || body === undefined) return;
    const target = await askWhereToSaveBody(exchange);
    if (target === undefined) return;
    const saved = await saveBodyTo(exchange, body, target);
    vscode.window.setStatusBarMessage(`Courier: body saved to ${saved.fsPath}`, 5000);
  }

  private async saveExchange(): Promise<void> {
    const exchange = this.exchange;
    if (exchange === undefined) return;
    const body = exchange.response?.body;
    const text = exchangeAsText(exchange, body !== undefined && this.textualBody() ? await bodyText(body, body.size) : undefined);
    const target = await vscode.window.showSaveDialog({ defaultUri: this.defaultSaveUri('exchange.txt'), title: 'Save request and response' });
    if (target === undefined) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  }

  /** Saves every message of a framed stream (WebSocket, gRPC) as JSON lines: the engine's spill file when it has one. */
  private async saveStream(): Promise<void> {
    const stream = this.exchange?.response?.shape === 'stream' ? this.exchange.response.stream : undefined;
    if (stream === undefined) return;
    const target = await vscode.window.showSaveDialog({ defaultUri: this.defaultSaveUri(`messages.jsonl`), title: 'Save the stream\'s messages as JSON lines', filters: { 'JSON lines': ['jsonl'] } });
    if (target === undefined) return;
    if (stream.file !== undefined && target.scheme === 'file') await copyFile(stream.file, target.fsPath);
    else if (stream.file !== undefined) await vscode.workspace.fs.writeFile(target, await vscode.workspace.fs.readFile(vscode.Uri.file(stream.file)));
    else {
      const text = stream.messages.map((message) => `${JSON.stringify(spilledMessage(message))}\n`).join('');
      if (target.scheme === 'file') await writeFile(target.fsPath, text);
      else await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    }
    vscode.window.setStatusBarMessage(`Courier: ${stream.count} messages saved to ${target.fsPath}`, 5000);
  }

  private async openBody(): Promise<void> {
    const body = this.exchange?.response?.body;
    const view = this.view;
    if (body === undefined || view === undefined) return;
    const language = languageIdFor(view.body.kind, body.contentType);
    if (!this.textualBody()) {
      // VS Code picks the right viewer (image preview, hex editor) for a file; in-memory bytes must be saved first.
      if (body.file !== undefined) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(body.file));
      else await this.saveBody();
      return;
    }
    let document: vscode.TextDocument;
    if (body.file !== undefined) {
      document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(vscode.Uri.file(body.file)), language);
    } else {
      document = await vscode.workspace.openTextDocument({ content: await bodyText(body, body.size), language });
    }
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.live?.feed.close();
    this.markReady();
    this.onDispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
