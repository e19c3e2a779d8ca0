// XML: a pretty-printer (one tag per line, indented, `<a>text</a>` kept on one line) and a
// line tokenizer for markup, shared with the HTML source view.
import { type Token } from './lineModel';

const indentUnit = '  ';

type Markup =
  | { readonly type: 'open'; readonly text: string; readonly name: string }
  | { readonly type: 'close'; readonly text: string; readonly name: string }
  | { readonly type: 'self'; readonly text: string }
  | { readonly type: 'other'; readonly text: string }
  | { readonly type: 'text'; readonly text: string };

/** Splits XML into tags, comments, CDATA and text; undefined when a construct never ends. */
function splitMarkup(xml: string): Markup[] | undefined {
  const parts: Markup[] = [];
  let index = 0;
  while (index < xml.length) {
    const open = xml.indexOf('<', index);
    if (open < 0) {
      parts.push({ type: 'text', text: xml.slice(index) });
      break;
    }
    if (open > index) parts.push({ type: 'text', text: xml.slice(index, open) });
    let terminator = '>';
    if (xml.startsWith('<!--', open)) terminator = '-->';
    else if (xml.startsWith('<![CDATA[', open)) terminator = ']]>';
    else if (xml.startsWith('<?', open)) terminator = '?>';
    let end: number;
    if (terminator === '>') {
      // A `>` inside a quoted attribute value does not end the tag.
      end = open + 1;
      let quote: string | undefined;
      while (end < xml.length && (quote !== undefined || xml[end] !== '>')) {
        if (quote === undefined && (xml[end] === '"' || xml[end] === "'")) quote = xml[end];
        else if (xml[end] === quote) quote = undefined;
        end++;
      }
      if (end >= xml.length) return undefined;
    } else {
      end = xml.indexOf(terminator, open);
      if (end < 0) return undefined;
      end += terminator.length - 1;
    }
    const text = xml.slice(open, end + 1);
    const name = /^<\/?([^\s/>]+)/.exec(text)?.[1] ?? '';
    if (terminator !== '>' || text.startsWith('<!')) parts.push({ type: 'other', text });
    else if (text.startsWith('</')) parts.push({ type: 'close', text, name });
    else if (text.endsWith('/>')) parts.push({ type: 'self', text });
    else parts.push({ type: 'open', text, name });
    index = end + 1;
  }
  return parts;
}

export interface PrettyXml {
  readonly lines: readonly string[];
  /** Line of an opening tag -> line of its closing tag. */
  readonly foldEnds: ReadonlyMap<number, number>;
}

/** Pretty-prints XML; undefined when it is not well-formed enough to indent (the raw text is shown instead). */
export function prettyPrintXml(xml: string): PrettyXml | undefined {
  const parts = splitMarkup(xml);
  if (parts === undefined) return undefined;
  const lines: string[] = [];
  const foldEnds = new Map<number, number>();
  const open: { readonly name: string; readonly line: number }[] = [];
  const emit = (text: string): void => {
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed !== '') lines.push(indentUnit.repeat(open.length) + trimmed);
    }
  };
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (part.type === 'text') {
      emit(part.text);
    } else if (part.type === 'open') {
      const text = parts[index + 1];
      const close = parts[index + 2];
      // `<a>text</a>` stays on one line.
      if (text?.type === 'text' && close?.type === 'close' && close.name === part.name && !text.text.includes('\n')) {
        lines.push(indentUnit.repeat(open.length) + part.text + text.text.trim() + close.text);
        index += 2;
      } else if (text?.type === 'close' && text.name === part.name) {
        lines.push(indentUnit.repeat(open.length) + part.text + text.text);
        index += 1;
      } else {
        emit(part.text);
        open.push({ name: part.name, line: lines.length - 1 });
      }
    } else if (part.type === 'close') {
      const opener = open.pop();
      if (opener === undefined || opener.name !== part.name) return undefined;
      emit(part.text);
      foldEnds.set(opener.line, lines.length - 1);
    } else {
      emit(part.text);
    }
  }
  if (open.length > 0) return undefined;
  return { lines, foldEnds };
}

/** Colours one line of markup: tag names, attribute names and values, comments, text. */
export function markupTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const push = (text: string, kind: Token['kind']): void => {
    if (text !== '') tokens.push({ text, kind });
  };
  while (index < line.length) {
    const tagStart = line.indexOf('<', index);
    if (tagStart < 0) {
      push(line.slice(index), 'text');
      break;
    }
    push(line.slice(index, tagStart), 'text');
    if (line.startsWith('<!--', tagStart)) {
      const end = line.indexOf('-->', tagStart);
      const stop = end < 0 ? line.length : end + 3;
      push(line.slice(tagStart, stop), 'comment');
      index = stop;
      continue;
    }
    const name = /^<[/?!]?[^\s/>]*/.exec(line.slice(tagStart))?.[0] ?? '<';
    push(name.slice(0, name.startsWith('</') || name.startsWith('<?') || name.startsWith('<!') ? 2 : 1), 'punctuation');
    push(name.slice(name.startsWith('</') || name.startsWith('<?') || name.startsWith('<!') ? 2 : 1), 'tag');
    index = tagStart + name.length;
    while (index < line.length && line[index] !== '>') {
      const rest = line.slice(index);
      const attribute = /^(\s+)([^\s=/>?]+)/.exec(rest);
      const value = /^(\s*=\s*)("[^"]*"?|'[^']*'?|[^\s>]+)/.exec(rest);
      const space = /^\s+/.exec(rest);
      if (attribute !== null) {
        push(attribute[1], 'text');
        push(attribute[2], 'attribute');
        index += attribute[0].length;
      } else if (value !== null) {
        push(value[1], 'punctuation');
        push(value[2], 'value');
        index += value[0].length;
      } else if (space !== null) {
        push(space[0], 'text');
        index += space[0].length;
      } else {
        push(line[index], 'punctuation');
        index++;
      }
    }
    if (index < line.length) {
      push('>', 'punctuation');
      index++;
    }
  }
  return tokens;
}
