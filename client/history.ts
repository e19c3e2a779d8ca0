// The history on the extension host: records each exchange (redacted unless
// `courier.history.keepSecrets`), lists them in the "History" view and a quick pick, and shows
// one again in the response panel.
import * as vscode from 'vscode';
import type { Exchange } from '../engine/model';
import { entrySummary, exchangeOf, HistoryStore, newEntryId, storableExchange, toHistoryEntry, type HistoryEntry } from './historyStore';
import type { ResponsePanels } from './panel/responsePanel';
import type { ExchangeRecorder, RecordContext } from './sending';
import type { CourierSettings, Settings } from './settings';

/** Records exchanges and shows them again. */
export class History implements ExchangeRecorder, vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly store: Promise<HistoryStore>;
  private readonly changed = new vscode.EventEmitter<HistoryEntry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The last exchange as received (not redacted), for "Save Response Body". */
  private latest: Exchange | undefined;
  /** Recording in order: each add waits for the one before. */
  private recording: Promise<void> = Promise.resolve();

  constructor(
    file: string,
    private readonly settings: Settings,
    private readonly panels: ResponsePanels,
  ) {
    this.store = HistoryStore.open(file).then(({ store, warning }) => {
      if (warning !== undefined) void vscode.window.showWarningMessage(`Courier: ${warning}`);
      return store;
    });
  }

  get lastExchange(): Exchange | undefined {
    return this.latest;
  }

  /** Records `exchange` in the background: nothing heavy happens before the caller's next step (showing the panel). */
  record(exchange: Exchange, context: RecordContext): void {
    this.latest = exchange;
    const settings = this.settings.value;
    // `# @noLog`: the panel shows it, the history never stores it.
    if (settings.historyMaxEntries === 0 || exchange.origin.noLog === true) return;
    const time = new Date();
    this.recording = this.recording.then(async () => {
      // A macrotask later, the panel's first messages are already on their way.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const entry = toHistoryEntry(this.storable(exchange, context, settings), { id: newEntryId(), time, environment: context.environment }, settings.historyMaxBodyBytes);
        await (await this.store).add(entry, settings.historyMaxEntries);
      } catch (error) {
        void vscode.window.showWarningMessage(`Courier: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.changed.fire(undefined);
    });
  }

  /** The exchange as it may be stored: its body cut to `courier.history.maxBodyBytes`, then redacted unless secrets are kept. */
  private storable(exchange: Exchange, context: RecordContext, settings: CourierSettings): Exchange {
    if (settings.historyKeepSecrets) {
      // OAuth tokens live in SecretStorage only: `keepSecrets` keeps the rest as sent, never them.
      const tokens = context.oauthSecrets();
      return storableExchange(exchange, settings.historyMaxBodyBytes, tokens.length === 0 ? undefined : tokens, true);
    }
    // From the send's one read of the env files: no file is read again per exchange.
    return storableExchange(exchange, settings.historyMaxBodyBytes, context.privateValues());
  }

  /** Entries, newest first, once every recorded exchange is stored. */
  async entries(): Promise<readonly HistoryEntry[]> {
    await this.recording;
    return (await this.store).entries;
  }

  /** Shows an entry's exchange in the response panel; resolves to it. */
  async open(entry: HistoryEntry): Promise<Exchange> {
    const exchange = exchangeOf(entry);
    const settings = this.settings.value;
    this.panels.show(exchange, { reuse: settings.responsePanelReuse, maxBodyBytesInPanel: settings.responsePanelMaxBodyBytes });
    return Promise.resolve(exchange);
  }

  /** Asks which entry to show; undefined when there is none or the user dismissed the pick. */
  async pick(): Promise<HistoryEntry | undefined> {
    const entries = await this.entries();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('Courier: the history is empty. Sent requests appear here.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({ ...entrySummary(entry), entry })),
      { title: 'Courier: History', placeHolder: 'Response to show again', matchOnDetail: true },
    );
    return picked?.entry;
  }

  async clear(): Promise<void> {
    await this.recording;
    await (await this.store).clear();
    this.changed.fire(undefined);
  }

  getTreeItem(entry: HistoryEntry): vscode.TreeItem {
    const { label, detail } = entrySummary(entry);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.description = detail;
    item.tooltip = `${label}\n${detail}${entry.error === undefined ? '' : `\n${entry.error.message}`}`;
    item.iconPath = new vscode.ThemeIcon(entry.error !== undefined || (entry.status ?? 0) >= 400 ? 'error' : 'pass');
    item.contextValue = 'courier.historyEntry';
    item.command = { command: 'courier.openHistoryEntry', title: 'Show Response', arguments: [entry.id] };
    return item;
  }

  async getChildren(entry?: HistoryEntry): Promise<HistoryEntry[]> {
    return entry === undefined ? [...(await this.entries())] : [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
