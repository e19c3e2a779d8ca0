// XPath over an XML body, as `?? xpath EXPRESSION` and a script's `xpath(text, expression)` read
// it: a number, text or boolean as it is, a node as its text, several as an array, none as
// undefined (httpYac's reading). The libraries load on first use.

import type * as XPath from 'xpath';
import { loadXmlDom, loadXPath } from './lazyLibraries';

interface XmlNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly nodeValue: string | null;
}

function isXmlNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && typeof (value as { nodeType?: unknown }).nodeType === 'number';
}

/** The parsed document, or why the text is not XML. */
export function parseXml(text: string): { document: unknown } | { problem: string } {
  let parseProblem: string | undefined;
  try {
    const parser = new (loadXmlDom().DOMParser)({
      onError: (level, message) => {
        if (level !== 'warning') parseProblem ??= message;
      },
    });
    const document = parser.parseFromString(text, 'text/xml');
    if (parseProblem === undefined) return { document };
  } catch (error) {
    parseProblem ??= error instanceof Error ? error.message : String(error);
  }
  return { problem: `the body is not XML (${parseProblem})` };
}

/** What `expression` selects in a parsed document, or why it cannot be evaluated. */
export function selectXPath(document: unknown, expression: string): { value: unknown } | { problem: string } {
  let selected: unknown;
  try {
    selected = loadXPath().select(expression, document as Parameters<typeof XPath.select>[1]);
  } catch (error) {
    return { problem: `invalid XPath ${expression} (${error instanceof Error ? error.message : String(error)})` };
  }
  const valueOf = (item: unknown): unknown => (isXmlNode(item) ? (item.textContent ?? item.nodeValue ?? '') : item);
  if (!Array.isArray(selected)) return { value: valueOf(selected) };
  if (selected.length === 0) return { value: undefined };
  return { value: selected.length === 1 ? valueOf(selected[0]) : selected.map(valueOf) };
}
