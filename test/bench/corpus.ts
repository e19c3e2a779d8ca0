// A realistic `.http` document of any size, for benchmarks: what a large API
// collection looks like (separators, names, file variables, multi-line queries,
// auth headers, JSON bodies, handlers). Deterministic, so runs are comparable.

const resources = ['users', 'orders', 'invoices', 'products', 'carts', 'sessions', 'payments', 'reviews'];
const shapes = ['list', 'get', 'create', 'update', 'delete'] as const;

/** A small deterministic PRNG (mulberry32), so corpora and edit sequences are the same on every run. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A `.http` document with `requestCount` requests (20,000 requests are about 3.6 MB). */
export function generateCorpus(requestCount: number): string {
  const random = randomSource(20240601);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const out: string[] = ['@baseUrl = https://api.example.com/v2', '@token = {{$dotenv API_TOKEN}}', ''];
  /** Create requests take an owner from the latest list response, as chained requests do. */
  let lastList = 'list';
  /** List requests page through `{{pageVariable}}`, defined every 50 requests. */
  let pageVariable = 'page';
  for (let index = 0; index < requestCount; index++) {
    const resource = pick(resources);
    const shape = shapes[index % shapes.length];
    const id = Math.floor(random() * 100000);
    out.push(`### ${shape} ${resource} ${index}`);
    // In a block's preamble, after its `###`: anywhere after a request's blank line it would be body text.
    if (index % 50 === 0) {
      pageVariable = `${resource}Page${index}`;
      out.push(`@${pageVariable} = ${Math.floor(random() * 20) + 1}`);
    }
    out.push(`# @name ${shape}${resource}${index}`);
    switch (shape) {
      case 'list':
        out.push(
          `GET {{baseUrl}}/${resource}`,
          `    ?page={{${pageVariable}}}`,
          `    &size=${pick([10, 20, 50])}&sort=createdAt,desc`,
          'Authorization: Bearer {{token}}',
        );
        lastList = `${shape}${resource}${index}`;
        break;
      case 'get':
        out.push(
          `GET {{baseUrl}}/${resource}/${id} HTTP/1.1`,
          'Authorization: Bearer {{token}}',
          'Accept: application/json',
          '',
          '> {% client.assert(response.status === 200); %}',
        );
        break;
      case 'create':
      case 'update':
        out.push(
          `${shape === 'create' ? 'POST' : 'PATCH'} {{baseUrl}}/${resource}${shape === 'update' ? `/${id}` : ''}`,
          'Authorization: Bearer {{token}}',
          'Content-Type: application/json',
          '',
          '{',
          ...(shape === 'create' ? [`  "id": "{{$uuid}}",`] : []),
          `  "name": "${resource}-${id}",`,
          shape === 'create' ? `  "owner": "{{${lastList}.response.body.$.items[0].id}}"` : `  "tag": "${pick(resources)}"`,
          '}',
        );
        break;
      case 'delete':
        out.push(`DELETE {{baseUrl}}/${resource}/${id}`, 'Authorization: Bearer {{token}}');
        break;
    }
    out.push('');
  }
  return out.join('\n');
}
