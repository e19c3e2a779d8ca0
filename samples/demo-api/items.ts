// `/items`: an in-memory JSON CRUD collection (also served as XML at `/xml` and
// through `/graphql`), with validation errors that say which field is wrong.
import { DemoError, type Route, integerParam, isObject, readJson, sendJson } from './exchange';

export interface Item {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly tags: readonly string[];
}

/** The fields a client may send; `id` is always assigned by the server. */
type ItemFields = Omit<Item, 'id'>;

const itemFieldNames = new Set(['name', 'price', 'tags']);

/** The collection, owned by one running demo API (tests get a fresh one each). */
export class ItemStore {
  private readonly items = new Map<number, Item>();
  private nextId = 1;

  constructor(seed: readonly ItemFields[] = defaultItems) {
    for (const fields of seed) this.add(fields);
  }

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: number): Item | undefined {
    return this.items.get(id);
  }

  add(fields: ItemFields): Item {
    const item: Item = { id: this.nextId++, ...fields };
    this.items.set(item.id, item);
    return item;
  }

  replace(id: number, fields: ItemFields): Item {
    const item: Item = { id, ...fields };
    this.items.set(id, item);
    return item;
  }

  delete(id: number): boolean {
    return this.items.delete(id);
  }
}

const defaultItems: readonly ItemFields[] = [
  { name: 'Notebook', price: 4.5, tags: ['paper'] },
  { name: 'Pencil', price: 1.25, tags: ['wood', 'graphite'] },
  { name: 'Stapler', price: 12, tags: [] },
];

/**
 * Checks a client's item. `partial` (PATCH) allows missing fields; otherwise
 * `name` is required and `price`/`tags` default to 0 and [].
 */
export function validateItem(value: unknown, partial: boolean): Partial<ItemFields> {
  if (!isObject(value)) throw new DemoError(400, 'an item must be a JSON object like {"name": "Pen", "price": 2}');
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!itemFieldNames.has(key)) problems.push(`unknown field "${key}" (allowed: name, price, tags)`);
  }
  const fields: { name?: string; price?: number; tags?: string[] } = {};
  if (value.name !== undefined) {
    if (typeof value.name === 'string' && value.name.trim() !== '') fields.name = value.name.trim();
    else problems.push('name must be a non-empty string');
  } else if (!partial) {
    problems.push('name is required');
  }
  if (value.price !== undefined) {
    if (typeof value.price === 'number' && Number.isFinite(value.price) && value.price >= 0) fields.price = value.price;
    else problems.push('price must be a number >= 0');
  }
  if (value.tags !== undefined) {
    if (Array.isArray(value.tags) && value.tags.every((tag) => typeof tag === 'string')) fields.tags = value.tags;
    else problems.push('tags must be an array of strings');
  }
  if (problems.length > 0) throw new DemoError(400, 'invalid item', problems);
  return fields;
}

function completeItem(fields: Partial<ItemFields>): ItemFields {
  return { name: fields.name ?? '', price: fields.price ?? 0, tags: fields.tags ?? [] };
}

function itemId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new DemoError(400, `item id must be a positive integer, got "${raw}"`);
  return id;
}

function existingItem(store: ItemStore, raw: string | undefined): Item {
  const id = itemId(raw);
  const item = store.get(id);
  if (item === undefined) throw new DemoError(404, `no item with id ${id}`);
  return item;
}

const sortKeys = ['id', 'name', 'price'] as const;

export function itemRoutes(store: ItemStore): readonly Route[] {
  return [
    {
      methods: ['GET', 'HEAD'],
      path: '/items',
      handler: ({ url, response }) => {
        const nameFilter = url.searchParams.get('name')?.toLowerCase();
        const sort = url.searchParams.get('sort') ?? 'id';
        if (!(sortKeys as readonly string[]).includes(sort)) throw new DemoError(400, `sort must be one of ${sortKeys.join(', ')}, got "${sort}"`);
        const key = sort as (typeof sortKeys)[number];
        const limit = integerParam(url, 'limit', 100, 1, 1000);
        const items = store
          .list()
          .filter((item) => nameFilter === undefined || item.name.toLowerCase().includes(nameFilter))
          .sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0))
          .slice(0, limit);
        sendJson(response, 200, items, { 'X-Total-Count': String(store.list().length) });
      },
    },
    {
      methods: ['POST'],
      path: '/items',
      handler: async ({ request, response }) => {
        const item = store.add(completeItem(validateItem(await readJson(request), false)));
        sendJson(response, 201, item, { Location: `/items/${item.id}` });
      },
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/items/:id',
      handler: ({ params, response }) => sendJson(response, 200, existingItem(store, params.id)),
    },
    {
      methods: ['PUT'],
      path: '/items/:id',
      handler: async ({ params, request, response }) => {
        const id = itemId(params.id);
        const fields = completeItem(validateItem(await readJson(request), false));
        const created = store.get(id) === undefined;
        sendJson(response, created ? 201 : 200, store.replace(id, fields));
      },
    },
    {
      methods: ['PATCH'],
      path: '/items/:id',
      handler: async ({ params, request, response }) => {
        const item = existingItem(store, params.id);
        const changes = validateItem(await readJson(request), true);
        sendJson(response, 200, store.replace(item.id, { ...item, ...changes }));
      },
    },
    {
      methods: ['DELETE'],
      path: '/items/:id',
      handler: ({ params, response }) => {
        const item = existingItem(store, params.id);
        store.delete(item.id);
        response.writeHead(204).end();
      },
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/xml',
      handler: ({ response }) => {
        const body = Buffer.from(itemsAsXml(store.list()), 'utf8');
        response.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': body.length });
        response.end(body);
      },
    },
  ];
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The collection as a small XML catalogue, for XPath examples. */
export function itemsAsXml(items: readonly Item[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<catalog count="${items.length}">`];
  for (const item of items) {
    lines.push(`  <item id="${item.id}">`, `    <name>${escapeXml(item.name)}</name>`, `    <price currency="EUR">${item.price}</price>`);
    lines.push(`    <tags>${item.tags.map((tag) => `<tag>${escapeXml(tag)}</tag>`).join('')}</tags>`, '  </item>');
  }
  lines.push('</catalog>', '');
  return lines.join('\n');
}
