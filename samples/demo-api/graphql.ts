// `/graphql`: a tiny GraphQL endpoint over the `/items` collection. The hand
// parser covers what the samples use (operations, variables with defaults,
// arguments, aliases, nested selections); fragments and directives are refused
// with a clear error rather than misread.
import { DemoError, type Route, isObject, readBody, sendJson } from './exchange';
import { type Item, type ItemStore, validateItem } from './items';

type Value = string | number | boolean | null | readonly Value[] | { readonly [key: string]: Value };

/** A value as written in the query: a literal, or a reference to a variable. */
type ValueNode =
  | { readonly kind: 'literal'; readonly value: Value }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'list'; readonly items: readonly ValueNode[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, ValueNode> };

interface Field {
  readonly alias: string;
  readonly name: string;
  readonly args: ReadonlyMap<string, ValueNode>;
  readonly selections: readonly Field[] | undefined;
}

interface VariableDefinition {
  readonly name: string;
  readonly required: boolean;
  readonly defaultValue: ValueNode | undefined;
}

interface Operation {
  readonly type: 'query' | 'mutation';
  readonly name: string | undefined;
  readonly variables: readonly VariableDefinition[];
  readonly selections: readonly Field[];
}

/** A parse or execution error, reported in the GraphQL `errors` array. */
export class GraphqlError extends Error {}

const tokenPattern = /\s+|,|#[^\n]*|(\.\.\.|[{}()[\]:!$=@])|([_A-Za-z][_0-9A-Za-z]*)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\\n]|\\.)*")/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    const start = tokenPattern.lastIndex;
    const match = tokenPattern.exec(source);
    if (match === null) throw new GraphqlError(`unexpected character "${source[start]}" at offset ${start}`);
    const token = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

/** Recursive-descent parser over the token list. */
class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly string[]) {}

  parseDocument(): Operation[] {
    const operations: Operation[] = [];
    while (this.peek() !== undefined) operations.push(this.operation());
    if (operations.length === 0) throw new GraphqlError('the query is empty');
    return operations;
  }

  private peek(): string | undefined {
    return this.tokens[this.index];
  }

  private next(): string {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new GraphqlError('the query ends too early (missing "}"?)');
    return token;
  }

  private expect(expected: string): void {
    const token = this.next();
    if (token !== expected) throw new GraphqlError(`expected "${expected}" but found "${token}"`);
  }

  private name(): string {
    const token = this.next();
    if (!/^[_A-Za-z]/.test(token)) throw new GraphqlError(`expected a name but found "${token}"`);
    return token;
  }

  private operation(): Operation {
    if (this.peek() === '{') return { type: 'query', name: undefined, variables: [], selections: this.selectionSet() };
    const type = this.next();
    if (type !== 'query' && type !== 'mutation') {
      throw new GraphqlError(type === 'subscription' || type === 'fragment' ? `${type}s are not supported by the demo API` : `expected "query", "mutation" or "{" but found "${type}"`);
    }
    const name = this.peek() !== undefined && /^[_A-Za-z]/.test(this.peek()!) ? this.name() : undefined;
    const variables = this.peek() === '(' ? this.variableDefinitions() : [];
    return { type, name, variables, selections: this.selectionSet() };
  }

  private variableDefinitions(): VariableDefinition[] {
    const definitions: VariableDefinition[] = [];
    this.expect('(');
    while (this.peek() !== ')') {
      this.expect('$');
      const name = this.name();
      this.expect(':');
      const required = this.type();
      let defaultValue: ValueNode | undefined;
      if (this.peek() === '=') {
        this.next();
        defaultValue = this.value();
      }
      definitions.push({ name, required, defaultValue });
    }
    this.expect(')');
    return definitions;
  }

  /** Skips a type reference; returns whether its outermost type is non-null. */
  private type(): boolean {
    if (this.peek() === '[') {
      this.next();
      this.type();
      this.expect(']');
    } else {
      this.name();
    }
    if (this.peek() === '!') {
      this.next();
      return true;
    }
    return false;
  }

  private selectionSet(): Field[] {
    const fields: Field[] = [];
    this.expect('{');
    while (this.peek() !== '}') {
      if (this.peek() === '...' || this.peek() === '@') throw new GraphqlError('fragments and directives are not supported by the demo API');
      fields.push(this.field());
    }
    this.expect('}');
    if (fields.length === 0) throw new GraphqlError('a selection set must select at least one field');
    return fields;
  }

  private field(): Field {
    let alias = this.name();
    let name = alias;
    if (this.peek() === ':') {
      this.next();
      name = this.name();
    }
    const args = new Map<string, ValueNode>();
    if (this.peek() === '(') {
      this.next();
      while (this.peek() !== ')') {
        const argName = this.name();
        this.expect(':');
        args.set(argName, this.value());
      }
      this.expect(')');
    }
    const selections = this.peek() === '{' ? this.selectionSet() : undefined;
    alias ||= name;
    return { alias, name, args, selections };
  }

  private value(): ValueNode {
    const token = this.next();
    if (token === '$') return { kind: 'variable', name: this.name() };
    if (token === '[') {
      const items: ValueNode[] = [];
      while (this.peek() !== ']') items.push(this.value());
      this.next();
      return { kind: 'list', items };
    }
    if (token === '{') {
      const fields = new Map<string, ValueNode>();
      while (this.peek() !== '}') {
        const key = this.name();
        this.expect(':');
        fields.set(key, this.value());
      }
      this.next();
      return { kind: 'object', fields };
    }
    if (token.startsWith('"')) return { kind: 'literal', value: JSON.parse(token) as string };
    if (/^-?\d/.test(token)) return { kind: 'literal', value: Number(token) };
    if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
    if (token === 'null') return { kind: 'literal', value: null };
    if (/^[_A-Za-z]/.test(token)) return { kind: 'literal', value: token };
    throw new GraphqlError(`expected a value but found "${token}"`);
  }
}

/** Parses a GraphQL document; throws GraphqlError with a readable message. */
export function parseGraphql(source: string): Operation[] {
  return new Parser(tokenize(source)).parseDocument();
}

function evaluate(node: ValueNode, variables: ReadonlyMap<string, Value>): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'variable': {
      if (!variables.has(node.name)) throw new GraphqlError(`variable $${node.name} is not declared by the operation`);
      return variables.get(node.name)!;
    }
    case 'list':
      return node.items.map((item) => evaluate(item, variables));
    case 'object':
      return Object.fromEntries([...node.fields].map(([key, value]) => [key, evaluate(value, variables)]));
  }
}

function idArgument(args: Readonly<Record<string, Value>>): number {
  const id = Number(args.id);
  if (args.id === undefined || args.id === null || !Number.isInteger(id) || id <= 0) throw new GraphqlError('argument "id" must be a positive integer id');
  return id;
}

function itemFields(args: Readonly<Record<string, Value>>, partial: boolean): Partial<Omit<Item, 'id'>> {
  const { id: _id, ...rest } = args;
  try {
    return validateItem(rest, partial);
  } catch (error) {
    if (error instanceof DemoError) throw new GraphqlError([error.message, ...(error.details ?? [])].join(': '));
    throw error;
  }
}

type Resolver = (args: Readonly<Record<string, Value>>) => Item | readonly Item[] | boolean | null;

function rootResolvers(store: ItemStore): Record<'query' | 'mutation', Record<string, Resolver>> {
  return {
    query: {
      items: (args) => store.list().filter((item) => typeof args.name !== 'string' || item.name.toLowerCase().includes(args.name.toLowerCase())),
      item: (args) => store.get(idArgument(args)) ?? null,
    },
    mutation: {
      addItem: (args) => {
        const fields = itemFields(args, false);
        return store.add({ name: fields.name!, price: fields.price ?? 0, tags: fields.tags ?? [] });
      },
      updateItem: (args) => {
        const item = store.get(idArgument(args));
        return item === undefined ? null : store.replace(item.id, { ...item, ...itemFields(args, true) });
      },
      deleteItem: (args) => store.delete(idArgument(args)),
    },
  };
}

const itemFieldNames = new Set(['id', 'name', 'price', 'tags']);

function selectItem(item: Item, selections: readonly Field[] | undefined, path: string): Record<string, Value> {
  if (selections === undefined) throw new GraphqlError(`field "${path}" returns an Item: select some of its fields, e.g. { id name }`);
  const result: Record<string, Value> = {};
  for (const field of selections) {
    if (field.name === '__typename') result[field.alias] = 'Item';
    else if (itemFieldNames.has(field.name)) result[field.alias] = item[field.name as keyof Item];
    else throw new GraphqlError(`Item has no field "${field.name}" (it has: id, name, price, tags)`);
  }
  return result;
}

/** Runs the chosen operation against the store; throws GraphqlError on any invalid use. */
export function executeGraphql(store: ItemStore, query: string, variableValues: Readonly<Record<string, Value>>, operationName: string | undefined): Record<string, Value> {
  const operations = parseGraphql(query);
  const operation = operationName === undefined ? operations[0] : operations.find((candidate) => candidate.name === operationName);
  if (operation === undefined) throw new GraphqlError(`no operation named "${operationName}" in the query`);
  if (operationName === undefined && operations.length > 1) throw new GraphqlError('the query has several operations: send "operationName" to pick one');
  const variables = new Map<string, Value>();
  for (const definition of operation.variables) {
    const given = variableValues[definition.name];
    const value = given !== undefined ? given : definition.defaultValue !== undefined ? evaluate(definition.defaultValue, new Map()) : undefined;
    if (value === undefined || value === null) {
      if (definition.required) throw new GraphqlError(`variable $${definition.name} is required but was not given`);
      variables.set(definition.name, null);
    } else {
      variables.set(definition.name, value);
    }
  }
  const resolvers = rootResolvers(store)[operation.type];
  const data: Record<string, Value> = {};
  for (const field of operation.selections) {
    if (field.name === '__typename') {
      data[field.alias] = operation.type === 'query' ? 'Query' : 'Mutation';
      continue;
    }
    const resolve = resolvers[field.name];
    if (resolve === undefined) throw new GraphqlError(`${operation.type} has no field "${field.name}" (it has: ${Object.keys(resolvers).join(', ')})`);
    const args = Object.fromEntries([...field.args].map(([key, node]) => [key, evaluate(node, variables)]));
    const result = resolve(args);
    if (result === null || typeof result === 'boolean') {
      if (typeof result === 'boolean' && field.selections !== undefined) throw new GraphqlError(`field "${field.name}" returns a Boolean: remove its selection set`);
      data[field.alias] = result;
    } else if (Array.isArray(result)) {
      data[field.alias] = (result as readonly Item[]).map((item) => selectItem(item, field.selections, field.name));
    } else {
      data[field.alias] = selectItem(result as Item, field.selections, field.name);
    }
  }
  return data;
}

interface GraphqlRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, Value>>;
  readonly operationName: string | undefined;
}

function graphqlRequestFrom(value: unknown): GraphqlRequest {
  if (!isObject(value) || typeof value.query !== 'string') throw new GraphqlError('expected a JSON body {"query": "...", "variables": {...}}');
  if (value.variables !== undefined && value.variables !== null && !isObject(value.variables)) throw new GraphqlError('"variables" must be a JSON object');
  return {
    query: value.query,
    variables: (value.variables ?? {}) as Record<string, Value>,
    operationName: typeof value.operationName === 'string' && value.operationName !== '' ? value.operationName : undefined,
  };
}

export function graphqlRoute(store: ItemStore): Route {
  return {
    methods: ['GET', 'POST'],
    path: '/graphql',
    handler: async ({ request, response, url }) => {
      let input: GraphqlRequest;
      try {
        if (request.method === 'GET') {
          const variables = url.searchParams.get('variables');
          input = graphqlRequestFrom({
            query: url.searchParams.get('query') ?? undefined,
            variables: variables === null ? undefined : (JSON.parse(variables) as unknown),
            operationName: url.searchParams.get('operationName') ?? undefined,
          });
        } else {
          const text = (await readBody(request)).toString('utf8');
          const isRawQuery = /^application\/graphql\b/i.test(request.headers['content-type'] ?? '');
          input = isRawQuery ? { query: text, variables: {}, operationName: undefined } : graphqlRequestFrom(JSON.parse(text) as unknown);
        }
      } catch (error) {
        if (error instanceof DemoError) throw error;
        sendJson(response, 400, { errors: [{ message: `bad GraphQL request: ${(error as Error).message}` }] });
        return;
      }
      try {
        sendJson(response, 200, { data: executeGraphql(store, input.query, input.variables, input.operationName) });
      } catch (error) {
        if (!(error instanceof GraphqlError)) throw error;
        sendJson(response, 200, { data: null, errors: [{ message: error.message }] });
      }
    },
  };
}
