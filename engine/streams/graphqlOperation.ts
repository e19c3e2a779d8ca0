// Which kind of operation a GraphQL document runs, without loading the `graphql` library: a
// `subscription` goes over a WebSocket (graphql-transport-ws), queries and mutations over HTTP.

/** `query`, `mutation` or `subscription`: the operation named `operationName`, or the first one. */
export type GraphqlOperationKind = 'query' | 'mutation' | 'subscription';

/**
 * The kind of the operation a document runs. Reads top-level definitions only (brace depth 0), so
 * fragments and selections never count; comments and strings are skipped. A document whose
 * operations cannot be read is a `query`, as a GraphQL server would take `{ ... }`.
 */
export function graphqlOperationKind(document: string, operationName?: string): GraphqlOperationKind {
  let depth = 0;
  let first: GraphqlOperationKind | undefined;
  let index = 0;
  while (index < document.length) {
    const character = document[index];
    if (character === '#') {
      const end = document.indexOf('\n', index);
      index = end === -1 ? document.length : end + 1;
      continue;
    }
    if (character === '"') {
      index = stringEnd(document, index);
      continue;
    }
    if (character === '{' || character === '(' || character === '[') {
      // An anonymous `{ ... }` at the top is a query.
      if (depth === 0 && character === '{') first ??= 'query';
      depth++;
    } else if (character === '}' || character === ')' || character === ']') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && /[A-Za-z_]/.test(character)) {
      const word = /^[_A-Za-z][_0-9A-Za-z]*/.exec(document.slice(index))?.[0] ?? character;
      if (word === 'query' || word === 'mutation' || word === 'subscription') {
        const name = /^\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(document.slice(index + word.length))?.[1];
        if (operationName !== undefined && name === operationName) return word;
        first ??= word;
      }
      index += word.length;
      continue;
    }
    index++;
  }
  return first ?? 'query';
}

/** Where the string starting at `start` (a `"` or a `"""` block) ends. */
function stringEnd(text: string, start: number): number {
  if (text.startsWith('"""', start)) {
    const end = text.indexOf('"""', start + 3);
    return end === -1 ? text.length : end + 3;
  }
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"' || text[index] === '\n') return index + 1;
  }
  return text.length;
}
