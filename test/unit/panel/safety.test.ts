import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../../client/panel/panelHtml';
import { TextStore } from '../../../client/webview/lineModel';
import { renderTokens, type HTMLElementLike, type NodeFactory } from '../../../client/webview/lineRender';
import { TextLineModel } from '../../../client/webview/textLines';
import { markupTokens } from '../../../client/webview/xmlLines';

/** A DOM stand-in that fails the test if anything is parsed as HTML. */
class FakeElement implements HTMLElementLike {
  className = '';
  private ownText: string | null = null;
  readonly children: FakeElement[] = [];
  constructor(readonly tag: string) {}
  get textContent(): string | null {
    return this.children.length > 0 ? this.children.map((child) => child.textContent).join('') : this.ownText;
  }
  set textContent(value: string | null) {
    this.ownText = value;
  }
  set innerHTML(_value: string) {
    throw new Error('body text must never be assigned as HTML');
  }
  append(...nodes: HTMLElementLike[]): void {
    this.children.push(...(nodes as FakeElement[]));
  }
  /** Every element in this subtree. */
  all(): FakeElement[] {
    return [this, ...this.children.flatMap((child) => child.all())];
  }
}

const factory: NodeFactory = { createElement: (tag) => new FakeElement(tag) };

describe('the panel never renders a body as HTML', () => {
  test('a body of <img src=x onerror=alert(1)> becomes text in spans, as HTML source or plain text', () => {
    const attack = '<img src=x onerror=alert(1)>';
    const store = new TextStore();
    store.append(attack);
    for (const model of [new TextLineModel(store), new TextLineModel(store, markupTokens)]) {
      model.scan();
      const row = new FakeElement('div');
      renderTokens(factory, row, model.tokens(0), []);
      assert.equal(row.textContent, attack);
      assert.deepEqual(new Set(row.all().map((element) => element.tag)), new Set(['div', 'span']));
    }
  });

  test('search highlights split tokens into <mark> elements without losing text', () => {
    const row = new FakeElement('div');
    renderTokens(factory, row, [{ text: '"name"', kind: 'key' }, { text: ': ', kind: 'punctuation' }, { text: '"<b>"', kind: 'string' }], [{ start: 3, length: 7, current: true }]);
    assert.equal(row.textContent, '"name": "<b>"');
    const marks = row.all().filter((element) => element.tag === 'mark');
    assert.deepEqual(marks.map((mark) => [mark.textContent, mark.className]), [['me"', 'match current'], [': ', 'match current'], ['"<', 'match current']]);
  });
});

describe('the webview page', () => {
  const sources = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/dist/webview.css', nonce: 'abc123' };

  test('has a strict Content-Security-Policy: nothing remote, scripts only with the nonce', () => {
    const policy = contentSecurityPolicy(sources);
    assert.match(policy, /^default-src 'none'; /);
    assert.match(policy, /script-src 'nonce-abc123';/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
    assert.match(policy, /img-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net data:/);
    assert.doesNotMatch(policy, /frame-src|child-src/, 'the srcdoc preview needs no frame source; every other frame stays refused');
  });

  test('loads only Courier\'s script, with the nonce, and carries no response data', () => {
    const html = panelHtml(sources);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/dist\/webview.js"><\/script>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });

  test('nonces are fresh and unguessable', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
  });
});
