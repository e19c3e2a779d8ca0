// Entry point of the script inside the response panel's webview: receives exchanges and
// body chunks from the host (client/panel/responsePanel.ts) and sends button actions back.
// The page keeps the summary of what it shows in its webview state, so a reloaded page shows it
// at once; the body is never kept there (it may be 50 MB): the host posts it again on `ready`.
import './panel.css';
import { type ExchangeView, type HostMessage, type PanelAction, type WebviewMessage } from '../panel/messages';
import { BodyView } from './bodyView';
import { button, element } from './dom';
import { LiveStreamTable } from './liveStreamView';
import { renderStream } from './streamView';
import { renderSummary } from './summaryView';
import { renderLog, renderTests } from './testsView';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

/** What the page keeps across reloads: the summary of the exchange it showed, without its body, image or stream messages. */
interface PanelState {
  readonly view: ExchangeView;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
let currentId = -1;
let body: BodyView | undefined;
let pendingBar: HTMLElement | undefined;
/** The table of the stream shown live (id `currentId`), kept when its exchange ends it. */
let live: LiveStreamTable | undefined;

const post = (action: PanelAction): void => vscode.postMessage({ type: 'action', action });

function showPending(title: string): void {
  pendingBar?.remove();
  pendingBar = element('div', 'pending-bar', element('span', 'spinner'), element('span', 'pending-title', `Sending ${title}…`), button('Cancel', 'Cancel this request', () => post('cancel')));
  app.classList.add('pending');
  app.prepend(pendingBar);
}

function onMessage(message: HostMessage): void {
  switch (message.type) {
    case 'pending':
      showPending(message.title);
      break;
    case 'streamOpen':
      vscode.setState({ view: summaryOnly(message.view) });
      body?.dispose();
      body = undefined;
      live?.dispose();
      currentId = message.id;
      pendingBar = undefined;
      app.classList.remove('pending');
      document.title = message.view.title;
      live = new LiveStreamTable({ id: message.id, live: message.live, post: (posted) => vscode.postMessage(posted) });
      app.replaceChildren(renderSummary(message.view, post), live.root);
      break;
    case 'streamMessages':
      if (message.id === currentId && live?.id === message.id) live.append(message.messages, message.count);
      break;
    case 'exchange':
      if (message.endsLive === true && message.id === currentId && live?.id === message.id && message.view.stream !== undefined) {
        endLive(message.view, live);
        break;
      }
      live?.dispose();
      live = undefined;
      vscode.setState({ view: summaryOnly(message.view) });
      // Let the previous body go before the next one arrives: two 50 MB bodies need not coexist.
      body?.dispose();
      body = undefined;
      app.replaceChildren();
      currentId = message.id;
      pendingBar = undefined;
      app.classList.remove('pending');
      body = new BodyView(message.view.body, post);
      document.title = message.view.title;
      // An exchange without a response has no body to show: the error banner says it all. A stream
      // shows its messages, and under them its raw bytes when it has any (SSE text, not WebSocket frames).
      // Tests and the script log sit between the summary and the body: they are what a test run is read for.
      app.replaceChildren(...[renderSummary(message.view, post), renderTests(message.view.tests), renderLog(message.view.log)].filter((part) => part !== undefined), ...bodyParts(message.view, body.root));
      body.render();
      break;
    case 'bodyChunk':
      // Chunks of an exchange that was replaced meanwhile are dropped.
      if (message.id !== currentId || body === undefined) return;
      if (message.text !== '') body.append(message.text);
      if (message.last) {
        body.finish();
        vscode.postMessage({ type: 'shown', id: message.id });
      }
      break;
  }
}

/**
 * The exchange of the stream shown live arrived: its summary, tests and log replace the head shown
 * so far, the table stays where it is (with its scroll position), and the raw body follows under it.
 */
function endLive(view: ExchangeView, table: LiveStreamTable): void {
  vscode.setState({ view: summaryOnly(view) });
  body?.dispose();
  body = new BodyView(view.body, post);
  pendingBar = undefined;
  app.classList.remove('pending');
  document.title = view.title;
  if (view.stream !== undefined) table.end(view.stream);
  for (const child of [...app.children]) if (child !== table.root) child.remove();
  table.root.before(...[renderSummary(view, post), renderTests(view.tests), renderLog(view.log)].filter((part) => part !== undefined));
  if (view.body.kind !== 'empty') table.root.after(body.root);
  body.render();
}

/** `view` without what may be large: the image's data URL and the stream's messages come again with the exchange. */
function summaryOnly(view: ExchangeView): ExchangeView {
  return { ...view, body: { ...view.body, imageDataUrl: undefined }, stream: undefined };
}

/** What a reloaded page shows until the host posts the exchange again: the summary it kept, the body on its way. */
function showSaved(state: unknown): void {
  const view = (state as Partial<PanelState> | undefined)?.view;
  if (view === undefined) return;
  document.title = view.title;
  const parts = [renderSummary(view, post), renderTests(view.tests), renderLog(view.log)].filter((part) => part !== undefined);
  app.replaceChildren(...parts, ...(view.response === undefined ? [] : [element('p', 'placeholder', 'Loading the body…')]));
}

/** What follows the summary: nothing without a response, the messages of a stream, the body. */
function bodyParts(view: ExchangeView, bodyRoot: HTMLElement): HTMLElement[] {
  if (view.response === undefined) return [];
  if (view.stream === undefined) return [bodyRoot];
  return view.body.kind === 'empty' ? [renderStream(view.stream)] : [renderStream(view.stream), bodyRoot];
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => onMessage(event.data));
window.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f' && body !== undefined) {
    event.preventDefault();
    body.focusSearch();
  }
});
showSaved(vscode.getState());
vscode.postMessage({ type: 'ready' });
