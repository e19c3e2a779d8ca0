// The body: a virtual list that renders only the rows in view, over a line model that
// grows as chunks arrive (JSON pretty lines, XML lines or raw lines), with folding and
// search; plus the image, binary and HTML preview views.
import { type BodyView as BodyInfo } from '../panel/messages';
import { button, element, formatBytes } from './dom';
import { FoldState } from './folds';
import { JsonLineModel } from './jsonLines';
import { TextStore, type LineModel } from './lineModel';
import { renderTokens, type Highlight, type NodeFactory } from './lineRender';
import { Search } from './search';
import { type PostAction } from './summaryView';
import { ArrayLineModel, TextLineModel } from './textLines';
import { visibleRows, scrollHeight, scrollTopForRow } from './virtualRange';
import { markupTokens, prettyPrintXml } from './xmlLines';
import { nextTask } from './nextTask';

/** Must match `.row { height }` in panel.css. */
export const rowHeight = 18;
/** XML beyond this is shown raw: the pretty-printer holds every line in memory. */
const maxPrettyXmlChars = 16 << 20;
/** Time one search slice may take before yielding to scrolling and typing. */
const searchSliceMs = 12;
/** Time one indexing slice may take: well under a frame, so incoming chunks never freeze the panel. */
const indexSliceMs = 8;

const domFactory = document as unknown as NodeFactory;

type Mode = 'pretty' | 'raw' | 'preview';

export class BodyView {
  readonly root: HTMLElement;
  private readonly store = new TextStore();
  private readonly raw: TextLineModel;
  private readonly json: JsonLineModel | undefined;
  private xml: ArrayLineModel | undefined;
  private mode: Mode = 'pretty';
  /** Every chunk arrived and is indexed. */
  private complete = false;
  /** The last chunk arrived; indexing may still be catching up. */
  private lastArrived = false;
  private indexQueued = false;
  /** Rows were rendered from body text at least once. */
  private firstScreenShown = false;
  private disposed = false;
  private readonly folds = new FoldState();
  private search: Search | undefined;
  private currentMatch = -1;
  private renderQueued = false;
  private searchQueued = false;
  private readonly scroller = element('div', 'scroller');
  private readonly spacer = element('div', 'spacer');
  private readonly rows = element('div', 'rows');
  private readonly notice = element('div', 'notice');
  private readonly searchInput = element('input', 'search');
  private readonly searchCount = element('span', 'search-count');
  private readonly modeButtons = element('span', 'modes');
  private preview: HTMLIFrameElement | undefined;
  private readonly resizeObserver = new ResizeObserver(() => this.scheduleRender());

  constructor(
    private readonly info: BodyInfo,
    private readonly post: PostAction,
  ) {
    this.raw = new TextLineModel(this.store, info.kind === 'html' || info.kind === 'xml' ? markupTokens : undefined);
    if (info.kind === 'json') this.json = new JsonLineModel(this.store);
    this.root = element('section', `body body-${info.kind}`);
    if (info.kind === 'image' || info.kind === 'binary' || info.kind === 'empty') {
      this.root.append(this.staticBody());
      return;
    }
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search body';
    this.searchInput.setAttribute('aria-label', 'Search the body');
    this.searchInput.addEventListener('input', () => this.startSearch());
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.jump(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape') {
        this.searchInput.value = '';
        this.startSearch();
      }
    });
    const toolbar = element(
      'div',
      'body-toolbar',
      this.modeButtons,
      element('span', 'grow'),
      this.searchInput,
      this.searchCount,
      button('↑', 'Previous match (Shift+Enter)', () => this.jump(-1), 'icon'),
      button('↓', 'Next match (Enter)', () => this.jump(1), 'icon'),
    );
    this.renderModeButtons();
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'document');
    this.scroller.append(this.spacer, this.rows);
    this.scroller.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    this.rows.addEventListener('click', (event) => this.onRowClick(event));
    this.resizeObserver.observe(this.scroller);
    this.root.append(toolbar, this.notice, this.scroller);
    if (info.truncated) this.showTruncatedNotice();
  }

  /** Focuses the search box (Ctrl+F). */
  focusSearch(): void {
    this.searchInput.focus();
    this.searchInput.select();
  }

  /** Adds a chunk of body text. The first one is indexed and shown at once; the rest are indexed in slices. */
  append(text: string): void {
    this.store.append(text);
    if (!this.indexQueued) this.indexSlice();
  }

  /** The last chunk arrived: the body is complete once indexing catches up. */
  finish(): void {
    this.lastArrived = true;
    if (!this.indexQueued) this.indexSlice();
  }

  /** Stops indexing, searching and rendering: the panel shows another exchange. */
  dispose(): void {
    this.disposed = true;
    this.search = undefined;
    this.resizeObserver.disconnect();
  }

  /** Indexes for at most `indexSliceMs`, shows the result, and queues the next slice while text is left. */
  private indexSlice(): void {
    this.indexQueued = false;
    if (this.disposed || this.complete) return;
    const deadline = performance.now() + indexSliceMs;
    this.raw.scan(deadline);
    if (this.json !== undefined && this.json.error === undefined && !this.json.scan(deadline)) this.onInvalidJson();
    const pending = !this.raw.scanned || (this.json !== undefined && !this.json.scanned);
    if (pending) {
      this.indexQueued = true;
      nextTask(() => this.indexSlice());
    } else if (this.lastArrived) {
      this.completeBody();
    }
    if (!this.firstScreenShown && this.store.length > 0) {
      // The first screen is drawn now, from the first chunk, not a frame later.
      this.firstScreenShown = true;
      this.render();
    } else {
      this.scheduleRender();
    }
    if (this.search !== undefined && !this.searchQueued) this.continueSearch();
  }

  private completeBody(): void {
    this.complete = true;
    if (this.json !== undefined && !this.json.finish(!this.info.truncated)) this.onInvalidJson();
    if (this.info.kind === 'xml' && this.store.length <= maxPrettyXmlChars) {
      const pretty = prettyPrintXml(this.store.slice(0, this.store.length));
      if (pretty !== undefined) this.xml = new ArrayLineModel(pretty.lines, pretty.foldEnds, markupTokens);
      else this.setNotice('Not well-formed XML: showing it as received.');
    }
    this.renderModeButtons();
    this.startSearch();
    // Tests and benchmarks wait for this mark, as a user waits for the Preview button.
    this.root.dataset.complete = 'true';
  }

  private get model(): LineModel {
    if (this.mode === 'pretty' && this.json !== undefined && this.json.error === undefined) return this.json;
    if (this.mode === 'pretty' && this.xml !== undefined) return this.xml;
    return this.raw;
  }

  private onInvalidJson(): void {
    this.setNotice(`${this.json?.error ?? 'Not valid JSON.'} Showing the body as received.`);
    this.folds.clear();
    this.renderModeButtons();
    this.startSearch();
  }

  private setNotice(text: string, ...actions: HTMLElement[]): void {
    this.notice.replaceChildren(element('span', '', text), ...actions);
    this.notice.classList.add('visible');
  }

  private showTruncatedNotice(): void {
    this.setNotice(
      `Showing the first ${formatBytes(this.info.bytesInPanel)} of ${formatBytes(this.info.size)}.`,
      button('Open full body in editor', 'Open the whole body in an editor tab', () => this.post('openBody'), 'link'),
      button('Save', 'Save the whole body to a file', () => this.post('saveBody'), 'link'),
    );
  }

  private renderModeButtons(): void {
    const modes: [Mode, string][] = [];
    const prettyAvailable = (this.json !== undefined && this.json.error === undefined) || this.xml !== undefined;
    if (prettyAvailable) modes.push(['pretty', 'Pretty'], ['raw', 'Raw']);
    if (this.info.kind === 'html') modes.push(['pretty', 'Source'], ['preview', 'Preview']);
    this.modeButtons.replaceChildren(
      ...modes.map(([mode, label]) => {
        const toggle = button(label, `Show the body as ${label.toLowerCase()}`, () => this.setMode(mode), this.mode === mode ? 'mode active' : 'mode');
        toggle.setAttribute('aria-pressed', String(this.mode === mode));
        toggle.disabled = mode === 'preview' && !this.complete;
        return toggle;
      }),
    );
  }

  private setMode(mode: Mode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.folds.clear();
    this.renderModeButtons();
    if (mode === 'preview') {
      // No allow-scripts, no allow-same-origin: the page is inert and cannot reach the panel.
      this.preview = element('iframe', 'preview');
      this.preview.setAttribute('sandbox', '');
      this.preview.title = 'HTML preview (scripts disabled)';
      this.preview.srcdoc = this.store.slice(0, this.store.length);
      this.scroller.hidden = true;
      this.root.append(this.preview);
      return;
    }
    this.preview?.remove();
    this.preview = undefined;
    this.scroller.hidden = false;
    this.scroller.scrollTop = 0;
    this.startSearch();
    this.scheduleRender();
  }

  private staticBody(): HTMLElement {
    const info = this.info;
    if (info.kind === 'empty') return element('p', 'placeholder', 'No body');
    const facts = element('p', 'sizes', `${info.contentType ?? 'Unknown type'} · ${formatBytes(info.size)}`);
    const save = button('Save…', 'Save the body to a file', () => this.post('saveBody'));
    if (info.kind === 'image') {
      if (info.imageDataUrl === undefined) return element('div', 'static', facts, element('p', '', 'This image is too large to preview here.'), save);
      const image = element('img', 'image');
      image.alt = 'Response image';
      image.src = info.imageDataUrl;
      return element('div', 'static', facts, element('div', 'image-frame', image), save);
    }
    const dump = element('pre', 'hex');
    dump.textContent = info.hexPreview.join('\n');
    return element('div', 'static', facts, element('p', '', 'Binary body: the first bytes are shown below.'), dump, save);
  }

  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      if (!this.disposed) this.render();
    });
  }

  /** Rebuilds the rows in view; called at most once a frame. */
  render(): void {
    if (this.mode === 'preview' || this.info.kind === 'image' || this.info.kind === 'binary' || this.info.kind === 'empty') return;
    const model = this.model;
    const rowCount = this.folds.rowCount(model.lineCount);
    this.spacer.style.height = `${scrollHeight(rowCount, rowHeight)}px`;
    const window = visibleRows(this.scroller.scrollTop, this.scroller.clientHeight || 600, rowCount, rowHeight);
    this.rows.style.transform = `translateY(${window.top}px)`;
    const current = this.search?.matches[this.currentMatch];
    const gutterWidth = String(model.lineCount).length;
    const fragment = document.createDocumentFragment();
    for (let row = window.first; row < window.end; row++) {
      const line = this.folds.lineOfRow(row);
      const highlights: Highlight[] = (this.search?.matchesOn(line) ?? []).map((match) => ({ start: match.start, length: match.length, current: match === current }));
      fragment.append(this.renderRow(model, line, highlights, gutterWidth));
    }
    this.rows.replaceChildren(fragment);
  }

  private renderRow(model: LineModel, line: number, highlights: readonly Highlight[], gutterWidth: number): HTMLElement {
    const number = element('span', 'line-number', String(line + 1).padStart(gutterWidth));
    const foldEnd = model.foldEnd(line);
    const collapsed = foldEnd >= 0 && this.folds.isCollapsed(line);
    const fold = element('span', foldEnd >= 0 ? (collapsed ? 'fold collapsed' : 'fold') : 'fold none');
    if (foldEnd >= 0) {
      fold.dataset.line = String(line);
      fold.title = collapsed ? 'Expand' : 'Collapse';
    }
    const code = element('span', 'code');
    renderTokens(domFactory, code as unknown as Parameters<typeof renderTokens>[1], model.tokens(line), highlights);
    if (collapsed) {
      code.append(element('span', 'tok-ellipsis folded', ` … ${foldEnd - line - 1} lines … `));
      const closing = model.text(foldEnd).trimStart();
      code.append(element('span', 'tok-punctuation', closing));
    }
    return element('div', 'row', number, fold, code);
  }

  private onRowClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const foldToggle = target.closest<HTMLElement>('.fold[data-line], .folded');
    if (foldToggle === null) return;
    const row = foldToggle.closest('.row')?.querySelector<HTMLElement>('.fold[data-line]');
    const line = Number(row?.dataset.line);
    if (!Number.isInteger(line)) return;
    this.folds.toggle(line, this.model.foldEnd(line));
    this.render();
  }

  private startSearch(): void {
    const query = this.searchInput.value;
    this.search = query === '' ? undefined : new Search(this.model, query);
    this.currentMatch = -1;
    this.continueSearch();
    this.scheduleRender();
  }

  /** Runs the search in time slices so typing and scrolling stay smooth on huge bodies. */
  private continueSearch(): void {
    const search = this.search;
    this.searchQueued = false;
    if (search === undefined) {
      this.searchCount.textContent = '';
      return;
    }
    const deadline = performance.now() + searchSliceMs;
    while (!search.step(2000) && performance.now() < deadline);
    if (this.currentMatch < 0 && search.matches.length > 0) this.jump(1);
    this.updateSearchCount();
    if (!search.done) {
      this.searchQueued = true;
      setTimeout(() => {
        if (this.search === search && !this.disposed) this.continueSearch();
      }, 0);
    }
  }

  private updateSearchCount(): void {
    const search = this.search;
    if (search === undefined) return;
    const total = `${search.matches.length}${search.done && search.matches.length < 10_000 ? '' : '+'}`;
    this.searchCount.textContent = search.matches.length === 0 ? (search.done ? 'No results' : 'Searching…') : `${this.currentMatch + 1} of ${total}`;
  }

  /** Moves to the next (+1) or previous (-1) match, expanding folds that hide it. */
  private jump(direction: 1 | -1): void {
    const matches = this.search?.matches ?? [];
    if (matches.length === 0) return;
    this.currentMatch = (this.currentMatch + direction + matches.length) % matches.length;
    const line = matches[this.currentMatch].line;
    this.folds.reveal(line);
    const row = this.folds.rowOfLine(line);
    const rowCount = this.folds.rowCount(this.model.lineCount);
    const viewport = this.scroller.clientHeight || 600;
    const window = visibleRows(this.scroller.scrollTop, viewport, rowCount, rowHeight, 0);
    if (row < window.first || row >= window.end - 1) {
      this.spacer.style.height = `${scrollHeight(rowCount, rowHeight)}px`;
      this.scroller.scrollTop = scrollTopForRow(row, viewport, rowCount, rowHeight);
    }
    this.updateSearchCount();
    this.render();
  }
}
