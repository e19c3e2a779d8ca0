// Builds the DOM of one body line from its tokens. Body text only ever becomes
// `textContent` of created nodes: a body of `<img onerror=...>` shows as those characters.
import { type Token } from './lineModel';

/** The part of `Document` line rendering needs, so tests can run it without a browser. */
export interface NodeFactory {
  createElement(tag: 'span' | 'mark'): HTMLElementLike;
}

export interface HTMLElementLike {
  className: string;
  textContent: string | null;
  append(...nodes: HTMLElementLike[]): void;
}

/** A highlighted range of the line's text; `current` marks the match the user jumped to. */
export interface Highlight {
  readonly start: number;
  readonly length: number;
  readonly current: boolean;
}

/** Token spans (class `tok-<kind>`), with search matches wrapped in <mark>, appended to `target`. */
export function renderTokens(factory: NodeFactory, target: HTMLElementLike, tokens: readonly Token[], highlights: readonly Highlight[]): void {
  let offset = 0;
  for (const token of tokens) {
    const span = factory.createElement('span');
    span.className = `tok-${token.kind}`;
    const tokenEnd = offset + token.text.length;
    let cursor = offset;
    for (const highlight of highlights) {
      const start = Math.max(highlight.start, cursor);
      const end = Math.min(highlight.start + highlight.length, tokenEnd);
      if (start >= end) continue;
      if (start > cursor) span.append(textSpan(factory, token.text.slice(cursor - offset, start - offset)));
      const mark = factory.createElement('mark');
      mark.className = highlight.current ? 'match current' : 'match';
      mark.textContent = token.text.slice(start - offset, end - offset);
      span.append(mark);
      cursor = end;
    }
    if (cursor === offset) span.textContent = token.text;
    else if (cursor < tokenEnd) span.append(textSpan(factory, token.text.slice(cursor - offset)));
    target.append(span);
    offset = tokenEnd;
  }
}

function textSpan(factory: NodeFactory, text: string): HTMLElementLike {
  const span = factory.createElement('span');
  span.textContent = text;
  return span;
}
