// `courier import postman`: a Postman collection (format v2.1 or v2.0), read through Postman's own
// postman-collection library, becomes `.http` files and env files. Pure: collection JSON in, file
// texts out, with a note for everything that could not be converted; the caller writes the files.
//
// Layout: the collection's own requests go in `<collection>.http`; a folder's requests go in
// `<folder>.http` beside it and its subfolders in a folder `<folder>/`, so the tree of files is the
// tree of Postman folders, and every file finds the env files at the top on its way up.
// Collection variables and the Postman environment (which wins, as in Postman) become one
// environment of `http-client.env.json`, named after the Postman environment or "postman"; secret
// values go to `http-client.private.env.json`.
import { parse } from '../../language/parser';
import { loadPostmanCollection } from '../lazyLibraries';
import { convertAuth, OAuthConfigurations, valueText } from './postmanAuth';
import type { PostmanAuth, PostmanBody, PostmanDescription, PostmanEntity, PostmanEvent, PostmanGroup, PostmanItem, PostmanUrl } from './postmanModel';
import { requestNameFor, safeFileStem, UniqueNames, variableNameFor } from './postmanNames';

export interface ImportedFile {
  /** Relative to the output folder, with `/` between segments. */
  readonly path: string;
  readonly text: string;
}

/** Something that was not converted (or not exactly): where it is, and what. */
export interface ImportNote {
  /** `Folder/Subfolder/Request`, or the collection's name for what belongs to the whole collection. */
  readonly where: string;
  readonly message: string;
}

export interface PostmanImport {
  readonly collectionName: string;
  /** The environment of `http-client.env.json` the files run with (`--env`). */
  readonly environmentName: string;
  /** `.http` files first (in collection order), then body files, then the env files. */
  readonly files: readonly ImportedFile[];
  readonly notes: readonly ImportNote[];
}

export interface PostmanImportOptions {
  /** A Postman environment export (`*.postman_environment.json`), parsed. */
  readonly environment?: unknown;
}

/** The input is not something the importer can read; the message says what it is and what to do. */
export class PostmanImportError extends Error {
  override readonly name = 'PostmanImportError';
}

export const environmentFileName = 'http-client.env.json';
export const privateEnvironmentFileName = 'http-client.private.env.json';

/** Converts a parsed Postman collection (and environment) to files. Throws `PostmanImportError` for input that is not one. */
export function importPostmanCollection(collection: unknown, options: PostmanImportOptions = {}): PostmanImport {
  checkCollection(collection);
  const environment = options.environment === undefined ? undefined : checkEnvironment(options.environment);
  const library = loadPostmanCollection();
  return new Conversion(library.ItemGroup.isItemGroup.bind(library.ItemGroup), collection, environment).run(new library.Collection(collection));
}

// ---- Input checks -----------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const transformerHint = 'export it again from Postman as "Collection v2.1", or convert it with `npx postman-collection-transformer convert --input FILE --input-version 1.0.0 --output NEW_FILE --output-version 2.1.0`';

interface CollectionJson {
  readonly info: Record<string, unknown>;
  readonly item: unknown[];
  readonly variable?: unknown;
}

function checkCollection(json: unknown): asserts json is CollectionJson {
  if (!isObject(json)) throw new PostmanImportError('not a Postman collection: expected a JSON object with "info" and "item" (export the collection from Postman as Collection v2.1)');
  if (Array.isArray(json.requests) || (json.info === undefined && (Array.isArray(json.order) || Array.isArray(json.folders)))) {
    throw new PostmanImportError(`a Postman collection in the old v1 format, which Courier does not read: ${transformerHint}`);
  }
  if (Array.isArray(json.values) && json.info === undefined) {
    throw new PostmanImportError('a Postman environment, not a collection: pass the collection, and this file with --environment');
  }
  if (!isObject(json.info) || !Array.isArray(json.item)) {
    throw new PostmanImportError('not a Postman collection: expected "info" and an "item" list (export the collection from Postman as Collection v2.1)');
  }
  const schema = typeof json.info.schema === 'string' ? json.info.schema : '';
  if (/\/v1(\.\d+)*\//.test(schema)) throw new PostmanImportError(`a Postman collection in the old v1 format, which Courier does not read: ${transformerHint}`);
  if (schema !== '' && !/\/v2\.[01](\.\d+)*\//.test(schema)) {
    throw new PostmanImportError(`a collection of a schema Courier does not know (${schema}); Courier reads Postman collections v2.0 and v2.1`);
  }
}

interface VariableJson {
  readonly key: string;
  readonly value: unknown;
  readonly secret: boolean;
  readonly enabled: boolean;
}

interface EnvironmentJson {
  readonly name: string | undefined;
  readonly values: readonly VariableJson[];
}

function checkEnvironment(json: unknown): EnvironmentJson {
  if (isObject(json) && isObject(json.info) && Array.isArray(json.item)) {
    throw new PostmanImportError('the environment file is a Postman collection: pass an environment (exported from Postman\'s Environments, *.postman_environment.json)');
  }
  if (!isObject(json) || !Array.isArray(json.values)) {
    throw new PostmanImportError('the environment file is not a Postman environment: expected a JSON object with a "values" list (export it from Postman\'s Environments)');
  }
  return { name: typeof json.name === 'string' && json.name.trim() !== '' ? json.name.trim() : undefined, values: variablesOf(json.values, 'enabled') };
}

/** Collection `variable` or environment `values` entries: the library keeps no `secret` type, so they are read here. */
function variablesOf(list: unknown, switchedBy: 'enabled' | 'disabled'): VariableJson[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).flatMap((entry) => {
    const key = typeof entry.key === 'string' ? entry.key : typeof entry.id === 'string' ? entry.id : undefined;
    if (key === undefined || key === '') return [];
    const enabled = switchedBy === 'enabled' ? entry.enabled !== false : entry.disabled !== true;
    return [{ key, value: entry.value, secret: entry.type === 'secret', enabled }];
  });
}

// ---- Text helpers ------------------------------------------------------------

function descriptionText(description: PostmanDescription | string | undefined): string {
  if (description === undefined) return '';
  return (typeof description === 'string' ? description : (description.content ?? '')).trim();
}

/** Lines as `# ` comments; a line that would read as a directive (`# @x`) is escaped. */
function commentLines(text: string, indent = ''): string[] {
  return text.split(/\r?\n/).map((line) => {
    const trimmed = line.trimEnd();
    if (trimmed === '') return '#';
    return `# ${indent}${trimmed.trimStart().startsWith('@') ? trimmed.replace('@', '\\@') : trimmed}`;
  });
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** Percent-encodes what a request line cannot hold (spaces), outside `{{...}}`. */
function urlText(text: string): string {
  return mapOutsideReferences(text, (literal) => literal.replace(/ /g, '%20'));
}

/** Encodes a form value as Postman sends it, leaving `{{...}}` for Courier to fill in. */
function formEncoded(text: string): string {
  return mapOutsideReferences(text, (literal) => encodeURIComponent(literal));
}

function mapOutsideReferences(text: string, map: (literal: string) => string): string {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(/\{\{[^{}]*\}\}/g)) {
    result += map(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + map(text.slice(last));
}

const rawLanguageTypes: Readonly<Record<string, string>> = {
  json: 'application/json',
  javascript: 'application/javascript',
  html: 'text/html',
  xml: 'application/xml',
  text: 'text/plain',
};

const bodyFileExtensions: Readonly<Record<string, string>> = { json: 'json', javascript: 'js', html: 'html', xml: 'xml', text: 'txt', graphql: 'json' };

/** Postman's dynamic variables that have a Courier system variable. */
const dynamicVariables: Readonly<Record<string, string>> = {
  $guid: '$guid',
  $randomUUID: '$uuid',
  $timestamp: '$timestamp',
  $isoTimestamp: '$isoTimestamp',
  $randomInt: '$random.integer',
  $randomEmail: '$random.email',
};

/** Methods whose body Postman drops unless `disableBodyPruning` is set. */
const bodylessMethods = new Set(['GET', 'HEAD', 'COPY', 'PURGE', 'UNLOCK']);

function scriptLines(events: readonly PostmanEvent[]): string[] {
  const lines: string[] = [];
  for (const event of events) {
    if (event.disabled === true) continue;
    const exec = event.script?.exec;
    const source = (Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : '').trim();
    if (source === '') continue;
    const label =
      event.listen === 'prerequest'
        ? "Postman pre-request script, not run (Courier does not run Postman's pm.* API; rewrite it as a `< {% %}` script):"
        : "Postman test script, not run (Courier does not run Postman's pm.* API; rewrite it as a `> {% %}` handler or `??` lines):";
    lines.push(`# ${label}`, ...commentLines(source, '  '));
  }
  return lines;
}

// ---- The conversion ---------------------------------------------------------

/** One `.http` file being written: its path, its lines, the file variables its requests need. */
interface HttpFile {
  readonly directory: string;
  readonly stem: string;
  readonly lines: string[];
  /** Path variables as file variables: name to value. */
  readonly variables: Map<string, string>;
}

class Conversion {
  private readonly notes: ImportNote[] = [];
  private readonly files: ImportedFile[] = [];
  private readonly bodyFiles: ImportedFile[] = [];
  /** File stems per output folder (case-insensitive: Windows and macOS). */
  private readonly stems = new Map<string, UniqueNames>();
  private readonly requestNames = new UniqueNames('');
  private readonly variableNames = new UniqueNames('_');
  private readonly oauth = new OAuthConfigurations();
  /** Notes of the request being converted, also written as comments at it. */
  private pending: string[] = [];
  /** Where the text being rewritten is, for the notes of renamed variables. */
  private currentWhere = '';
  /** Postman variable names already reported as renamed. */
  private readonly renamed = new Set<string>();
  private requestsWithExamples = 0;

  constructor(
    private readonly isGroup: (value: unknown) => boolean,
    private readonly json: CollectionJson,
    private readonly environment: EnvironmentJson | undefined,
  ) {}

  run(collection: PostmanGroup): PostmanImport {
    const collectionName = oneLine(collection.name ?? '') || 'Postman collection';
    const environmentName = this.environment?.name ?? 'postman';
    const variables = this.variables(collectionName);
    this.group(collection, [], [], '');
    if (this.requestsWithExamples > 0) {
      const count = this.requestsWithExamples;
      this.notes.push({ where: collectionName, message: `the saved example responses of ${count} ${count === 1 ? 'request were' : 'requests were'} not imported (they document, they are not sent)` });
    }
    const environmentFiles = this.environmentFiles(environmentName, variables);
    return { collectionName, environmentName, files: [...this.files, ...this.bodyFiles, ...environmentFiles], notes: this.notes };
  }

  // Variables first, so their names are taken before any reference is rewritten.
  private variables(collectionName: string): { shared: Map<string, unknown>; secret: Map<string, unknown> } {
    const shared = new Map<string, unknown>();
    const secret = new Map<string, unknown>();
    const sources: [string, readonly VariableJson[]][] = [
      [collectionName, variablesOf(this.json.variable, 'disabled')],
      [`environment ${this.environment?.name ?? ''}`.trim(), this.environment?.values ?? []],
    ];
    for (const [where, list] of sources) {
      for (const variable of list) {
        if (!variable.enabled) {
          this.notes.push({ where, message: `variable "${variable.key}" is disabled in Postman and was not written` });
          continue;
        }
        const name = this.variableName(variable.key, where);
        const value = typeof variable.value === 'string' ? this.rewriteFor(where, variable.value) : (variable.value ?? '');
        // The environment comes second and wins, as in Postman (in the collection's order).
        (variable.secret ? shared : secret).delete(name);
        (variable.secret ? secret : shared).set(name, value);
      }
    }
    return { shared, secret };
  }

  private environmentFiles(environmentName: string, variables: { shared: Map<string, unknown>; secret: Map<string, unknown> }): ImportedFile[] {
    const shared: Record<string, unknown> = Object.fromEntries(variables.shared);
    if (this.oauth.configurations.size > 0) shared.Security = { Auth: Object.fromEntries(this.oauth.configurations) };
    const secret: Record<string, unknown> = { ...Object.fromEntries(variables.secret), ...Object.fromEntries(this.oauth.secrets) };
    const files: ImportedFile[] = [{ path: environmentFileName, text: `${JSON.stringify({ [environmentName]: shared }, null, 2)}\n` }];
    if (Object.keys(secret).length > 0) files.push({ path: privateEnvironmentFileName, text: `${JSON.stringify({ [environmentName]: secret }, null, 2)}\n` });
    return files;
  }

  private variableName(original: string, where: string): string {
    const name = this.variableNames.nameFor(original, variableNameFor(original));
    if (name !== original && !this.renamed.has(original)) {
      this.renamed.add(original);
      this.notes.push({ where, message: `variable "${original}" is written {{${name}}}: Courier's names are letters, digits, "_" and "-"` });
    }
    return name;
  }

  /** Postman's `{{var}}` references with Courier's names; dynamic variables mapped where Courier has them. */
  private rewrite(text: string): string {
    return text.replace(/\{\{([^{}]+)\}\}/g, (whole, inner: string) => {
      const expression = inner.trim();
      if (expression.startsWith('$')) {
        const mapped = dynamicVariables[expression];
        if (mapped !== undefined) return `{{${mapped}}}`;
        this.note(`Postman's dynamic variable {{${expression}}} has no Courier equivalent and was kept as written`);
        return whole;
      }
      return `{{${this.variableName(expression, this.currentWhere)}}}`;
    });
  }

  private rewriteFor(where: string, text: string): string {
    const previous = this.currentWhere;
    this.currentWhere = where;
    try {
      return this.rewrite(text);
    } finally {
      this.currentWhere = previous;
      for (const message of this.pending) this.notes.push({ where, message });
      this.pending = [];
    }
  }

  private note(message: string): void {
    if (!this.pending.includes(message)) this.pending.push(message);
  }

  /** Moves the pending notes to the report and returns them as comment lines. */
  private flushNotes(where: string): string[] {
    const lines = this.pending.map((message) => `# Not converted: ${message}.`);
    for (const message of this.pending) this.notes.push({ where, message });
    this.pending = [];
    return lines;
  }

  /** A file name (without extension) not yet used in `directory`, nor by a folder there. */
  private uniqueStem(directory: string, name: string, fallback: string): string {
    let stems = this.stems.get(directory);
    if (stems === undefined) {
      stems = new UniqueNames('-', true);
      this.stems.set(directory, stems);
    }
    return stems.fresh(safeFileStem(name, fallback));
  }

  /** A folder (or the collection): its requests into one file, its subfolders into a folder beside it. */
  private group(group: PostmanGroup, directory: string[], ancestors: readonly PostmanGroup[], where: string): void {
    const directoryPath = directory.join('/');
    const stem = this.uniqueStem(directoryPath, group.name ?? '', 'collection');
    const lineage = [...ancestors, group];
    const children = group.items.all();
    const requests = children.filter((child): child is PostmanItem => !this.isGroup(child));
    const scripts = scriptLines(group.events?.all() ?? []);
    if (requests.length > 0 || scripts.length > 0) {
      const file: HttpFile = { directory: directoryPath, stem, lines: [], variables: new Map() };
      const groupWhere = where === '' ? oneLine(group.name ?? '') : where;
      this.currentWhere = groupWhere;
      const origin = ancestors.length === 0 ? `the Postman collection "${oneLine(group.name ?? '')}"` : `the folder "${where}" of a Postman collection`;
      file.lines.push(`# Imported from ${origin} by \`courier import postman\`.`);
      const description = descriptionText(group.description);
      if (description !== '') file.lines.push('#', ...commentLines(description));
      if (scripts.length > 0) {
        file.lines.push('#', ...scripts);
        this.notes.push({ where: groupWhere, message: `${ancestors.length === 0 ? 'collection' : 'folder'} scripts are kept as comments at the top of ${stem}.http, not run` });
      }
      for (const item of requests) this.request(item, lineage, file, childWhere(where, item.name));
      this.files.push({ path: [...directory, `${stem}.http`].join('/'), text: `${file.lines.join('\n')}\n` });
    }
    for (const child of children) {
      if (!this.isGroup(child)) continue;
      const folder = child as PostmanGroup;
      const subdirectory = ancestors.length === 0 ? directory : [...directory, stem];
      this.group(folder, subdirectory, lineage, childWhere(where, folder.name));
    }
  }

  private request(item: PostmanItem, ancestors: readonly PostmanGroup[], file: HttpFile, where: string): void {
    this.currentWhere = where;
    this.pending = [];
    if ((item.responses?.all() ?? []).length > 0) this.requestsWithExamples++;
    const request = item.request;
    const title = oneLine(item.name ?? '') || 'Request';
    const name = this.requestNames.fresh(requestNameFor(title));
    const directives = this.directives(item, ancestors);
    const description = descriptionText(item.description) || descriptionText(request.description);
    const auth = convertAuth(effectiveAuth(request.auth, ancestors), authOwner(request.auth, item, ancestors), (text) => this.rewrite(text), this.oauth);
    for (const message of auth.notConverted) this.note(message);

    let method = (request.method ?? 'GET').toUpperCase();
    const pathVariables: string[] = [];
    const disabledLines: string[] = [];
    const url = this.url(request.url, auth.query, file, pathVariables, disabledLines);
    const headers: string[] = [];
    const setsAuthorization = auth.headers.some(([header]) => header.toLowerCase() === 'authorization');
    let contentType: string | undefined;
    for (const header of request.headers.all()) {
      if (header.key.trim() === '') continue;
      const line = `${oneLine(header.key)}: ${oneLine(this.rewrite(header.value ?? ''))}`;
      if (header.disabled === true) {
        headers.push(`# ${line}`);
      } else if (setsAuthorization && header.key.toLowerCase() === 'authorization') {
        headers.push(`# ${line}`);
        this.note("an Authorization header beside the request's Postman auth: the auth wins, as in Postman");
      } else {
        if (header.key.toLowerCase() === 'content-type') contentType ??= header.value;
        headers.push(line);
      }
    }
    for (const [header, value] of auth.headers) headers.push(`${header}: ${value}`);

    if (url === '') {
      // A draft Postman saved without a URL: nothing to send, so its block holds comments only.
      this.note('a request without a URL');
      file.lines.push('', `### ${title}`, ...commentLines(description), ...this.flushNotes(where));
      return;
    }
    const body = this.body(request.body, method, item, headers, contentType, disabledLines, file, name);
    if (body.graphqlMethod) method = 'GRAPHQL';
    const lines = [`### ${title}`, `# @name ${name}`, ...directives];
    if (description !== '') lines.push(...commentLines(description));
    lines.push(...disabledLines);
    lines.push(...this.flushNotes(where));
    const scripts = scriptLines(item.events?.all() ?? []);
    if (scripts.length > 0) this.notes.push({ where, message: 'scripts are kept as comments, not run' });
    lines.push(...scripts, ...pathVariables, `${method} ${url}`, ...headers);
    if (body.text !== undefined) lines.push('', body.text);
    file.lines.push('', ...lines);
  }

  /** `protocolProfileBehavior` (the request's over its folders') as directives. */
  private directives(item: PostmanItem, ancestors: readonly PostmanGroup[]): string[] {
    const behaviour: Record<string, unknown> = {};
    for (const entity of [...ancestors, item] as PostmanEntity[]) Object.assign(behaviour, entity.protocolProfileBehavior ?? {});
    const directives: string[] = [];
    for (const [key, value] of Object.entries(behaviour)) {
      if (key === 'followRedirects' && value === false) directives.push('# @no-redirect');
      else if (key === 'strictSSL' && value === false) directives.push('# @insecure');
      else if (key === 'disableCookies' && value === true) directives.push('# @no-cookie-jar');
      else if (key === 'disableBodyPruning') continue;
      else if (!(key === 'followRedirects' || key === 'strictSSL' || key === 'disableCookies')) this.note(`the setting ${key}: ${JSON.stringify(value)}`);
    }
    return directives;
  }

  /** The URL as Postman sends it: `:name` path variables as `{{name}}` (their values as file variables), enabled query parameters. */
  private url(url: PostmanUrl, authQuery: readonly (readonly [string, string])[], file: HttpFile, pathVariables: string[], disabledLines: string[]): string {
    const values = new Map<string, string>();
    for (const variable of url.variables.all()) {
      if (variable.key !== null) values.set(variable.key, valueText(variable.value));
    }
    let text = '';
    const host = (url.host ?? []).join('.');
    if (url.protocol !== undefined && url.protocol !== '') text += `${url.protocol.replace(/:(\/\/)?$/, '')}://`;
    else if (host !== '' && !host.startsWith('{{')) text += 'http://';
    if (url.auth?.user !== undefined) text += `${url.auth.user}${url.auth.password === undefined ? '' : `:${url.auth.password}`}@`;
    text += host;
    if (url.port !== undefined && url.port !== '') text += `:${url.port}`;
    if (url.path !== undefined) {
      const segments = url.path.map((segment) => {
        const match = /^:([^.]+)(.*)$/.exec(segment);
        if (match === null) return segment;
        return `{{${this.pathVariable(match[1], values.get(match[1]) ?? '', file, pathVariables)}}}${match[2]}`;
      });
      text += `/${segments.join('/')}`;
    }
    const query: string[] = [];
    for (const parameter of url.query.all()) {
      const pair = parameter.value === null ? (parameter.key ?? '') : `${parameter.key ?? ''}=${parameter.value}`;
      if (parameter.disabled === true) disabledLines.push(`# Disabled query parameter: ${pair}`);
      else query.push(pair);
    }
    for (const [key, value] of authQuery) query.push(`${key}=${value}`);
    if (query.length > 0) text += `?${query.join('&')}`;
    if (url.hash !== undefined && url.hash !== '') text += `#${url.hash}`;
    return urlText(this.rewrite(text));
  }

  /** A `:name` path variable's file variable: the name as written unless another value or a variable holds it. */
  private pathVariable(original: string, value: string, file: HttpFile, lines: string[]): string {
    const written = this.rewrite(value);
    const candidate = variableNameFor(original);
    for (let suffix = 1; ; suffix++) {
      const name = suffix === 1 ? candidate : `${candidate}_${suffix}`;
      const existing = file.variables.get(name);
      if (existing === written) return name;
      if (existing !== undefined || this.variableNames.has(name)) continue;
      file.variables.set(name, written);
      lines.push(`@${name} = ${written}`);
      return name;
    }
  }

  private body(
    body: PostmanBody | undefined,
    method: string,
    item: PostmanItem,
    headers: string[],
    contentType: string | undefined,
    disabledLines: string[],
    file: HttpFile,
    requestName: string,
  ): { text: string | undefined; graphqlMethod: boolean } {
    const none = { text: undefined, graphqlMethod: false };
    if (body === undefined || body.mode === undefined || body.disabled === true) return none;
    if (bodylessMethods.has(method) && item.protocolProfileBehavior?.disableBodyPruning !== true && hasContent(body)) {
      this.note(`the body of this ${method} request: Postman does not send it (unless "disableBodyPruning" is set)`);
      return none;
    }
    const depth = file.directory === '' ? 0 : file.directory.split('/').length;
    switch (body.mode) {
      case 'raw': {
        const raw = body.raw ?? '';
        if (raw.trim() === '') return none;
        const language = body.options?.raw?.language ?? 'text';
        if (contentType === undefined) headers.push(`Content-Type: ${rawLanguageTypes[language] ?? 'text/plain'}`);
        return { text: this.inlineOrFile(this.rewrite(raw), headers, method, file, requestName, bodyFileExtensions[language] ?? 'txt'), graphqlMethod: false };
      }
      case 'urlencoded': {
        const fields: string[] = [];
        for (const field of body.urlencoded?.all() ?? []) {
          const pair = `${formEncoded(this.rewrite(field.key ?? ''))}=${formEncoded(this.rewrite(field.value ?? ''))}`;
          if (field.disabled === true) disabledLines.push(`# Disabled form field: ${pair}`);
          else fields.push(pair);
        }
        if (fields.length === 0) return none;
        if (contentType === undefined) headers.push('Content-Type: application/x-www-form-urlencoded');
        else if (!/^\s*application\/x-www-form-urlencoded/i.test(contentType)) this.note(`the Content-Type ${contentType} of a form body: Courier sends the fields as written`);
        return { text: fields.map((field, index) => (index === 0 ? field : `&${field}`)).join('\n'), graphqlMethod: false };
      }
      case 'formdata':
        return { text: this.multipart(body, headers, contentType, disabledLines, depth), graphqlMethod: false };
      case 'file': {
        const source = body.file?.src;
        if (typeof source !== 'string' || source === '') {
          this.note('a file body without a chosen file');
          return none;
        }
        return { text: `< ${relativeToFile(source, depth)}`, graphqlMethod: false };
      }
      case 'graphql':
        return this.graphql(body, method, headers, file, requestName);
      default:
        this.note(`a body of mode "${body.mode}"`);
        return none;
    }
  }

  private multipart(body: PostmanBody, headers: string[], contentType: string | undefined, disabledLines: string[], depth: number): string | undefined {
    const boundary = 'CourierPostmanBoundary';
    const parts: string[] = [];
    for (const field of body.formdata?.all() ?? []) {
      const name = this.rewrite(field.key).replace(/"/g, '%22');
      if (field.disabled === true) {
        disabledLines.push(`# Disabled form field: ${field.key}${field.type === 'file' ? ' (file)' : `=${field.value ?? ''}`}`);
        continue;
      }
      const type = field.contentType !== undefined && field.contentType !== '' ? [`Content-Type: ${field.contentType}`] : [];
      if (field.type === 'file') {
        const sources = (Array.isArray(field.src) ? field.src : [field.src]).filter((source): source is string => typeof source === 'string' && source !== '');
        if (sources.length === 0) this.note(`the file field "${field.key}" without a chosen file`);
        for (const source of sources) {
          const fileName = source.split(/[\\/]/).pop() ?? source;
          parts.push(`--${boundary}`, `Content-Disposition: form-data; name="${name}"; filename="${fileName.replace(/"/g, '%22')}"`, ...type, '', `< ${relativeToFile(source, depth)}`);
        }
      } else {
        parts.push(`--${boundary}`, `Content-Disposition: form-data; name="${name}"`, ...type, '', this.rewrite(field.value ?? ''));
      }
    }
    if (parts.length === 0) return undefined;
    const header = `Content-Type: multipart/form-data; boundary=${boundary}`;
    const index = contentType === undefined ? -1 : headers.findIndex((line) => /^content-type:/i.test(line));
    // Postman sets the boundary itself; a Content-Type written in the request has none.
    if (index === -1) headers.push(header);
    else headers[index] = header;
    return [...parts, `--${boundary}--`].join('\n');
  }

  private graphql(body: PostmanBody, method: string, headers: string[], file: HttpFile, requestName: string): { text: string | undefined; graphqlMethod: boolean } {
    const query = this.rewrite(body.graphql?.query ?? '').trim();
    const variables = this.rewrite(body.graphql?.variables ?? '').trim();
    if (query === '') return { text: undefined, graphqlMethod: false };
    if (method !== 'POST') this.note(`GraphQL over ${method}: Postman puts the query in the URL, Courier sends it as a JSON body`);
    const text = variables === '' ? query : `${query}\n\n${variables}`;
    const withMethod = method === 'POST' ? 'GRAPHQL' : method;
    const graphqlHeaders = method === 'POST' ? headers : [...headers, 'X-Request-Type: GraphQL'];
    const document = parse(`${withMethod} http://host/\n${graphqlHeaders.join('\n')}\n\n${text}\n`);
    const graphqlBody = document.requests[0]?.body?.graphql;
    if (graphqlBody !== undefined && graphqlBody.query.text.trim() === query && (graphqlBody.variables?.text.trim() ?? '') === variables) {
      if (method !== 'POST') headers.push('X-Request-Type: GraphQL');
      return { text, graphqlMethod: method === 'POST' };
    }
    // A query the `.http` form cannot hold as written: the JSON Postman would send, from a file.
    if (!headers.some((line) => /^content-type:/i.test(line))) headers.push('Content-Type: application/json');
    const json = `{"query": ${JSON.stringify(query)}${variables === '' ? '' : `, "variables": ${variables}`}}`;
    return { text: this.inlineOrFile(json, headers, method, file, requestName, 'json'), graphqlMethod: false };
  }

  /**
   * The body as written, when Courier's parser reads it back unchanged; otherwise (a line that
   * reads as `###`, `< file`, `> {%`, `>>`...) a body file beside the `.http` file, with its
   * `{{variables}}` filled in when sent (`<@`).
   */
  private inlineOrFile(text: string, headers: readonly string[], method: string, file: HttpFile, requestName: string, extension: string): string {
    const document = parse(`${method} http://host/\n${headers.join('\n')}\n\n${text}\n`);
    const parts = document.requests.length === 1 ? document.requests[0].body?.parts : undefined;
    if (parts?.length === 1 && parts[0].kind === 'text' && parts[0].text.text.trim() === text.trim()) return text;
    const stem = this.uniqueStem(file.directory, `${file.stem}-${requestName}`, 'body');
    const path = `${stem}.${extension}`;
    this.bodyFiles.push({ path: file.directory === '' ? path : `${file.directory}/${path}`, text });
    return `<@ ./${path}`;
  }
}

/** `Folder/Request`: where a note belongs, from the collection's top. */
function childWhere(parent: string, name: string | undefined): string {
  const own = oneLine(name ?? '');
  return parent === '' ? own : `${parent}/${own}`;
}

function hasContent(body: PostmanBody): boolean {
  switch (body.mode) {
    case 'raw':
      return (body.raw ?? '').trim() !== '';
    case 'urlencoded':
      return (body.urlencoded?.all() ?? []).length > 0;
    case 'formdata':
      return (body.formdata?.all() ?? []).length > 0;
    case 'graphql':
      return (body.graphql?.query ?? '').trim() !== '';
    default:
      return true;
  }
}

/**
 * The auth Postman sends with a request: its own, else the nearest folder's, else the
 * collection's; `noauth` anywhere on the way stops the search (no auth is sent).
 */
function effectiveAuth(own: PostmanAuth | undefined, ancestors: readonly PostmanGroup[]): PostmanAuth | undefined {
  if (own !== undefined && own.type !== 'inherit') return own;
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const auth = ancestors[index].auth;
    if (auth !== undefined && auth.type !== 'inherit') return auth;
  }
  return undefined;
}

/** The name an OAuth configuration is called after: whoever holds the auth the request uses. */
function authOwner(own: PostmanAuth | undefined, item: PostmanItem, ancestors: readonly PostmanGroup[]): string {
  if (own !== undefined && own.type !== 'inherit') return item.name ?? '';
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const auth = ancestors[index].auth;
    if (auth !== undefined && auth.type !== 'inherit') return ancestors[index].name ?? '';
  }
  return '';
}

/**
 * A file path of the collection as the `.http` file at `depth` folders below the output folder
 * must write it: Postman reads relative paths from its working directory, taken here to be the
 * output folder.
 */
function relativeToFile(source: string, depth: number): string {
  if (source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source) || source.startsWith('{{')) return source;
  const normalised = source.replace(/\\/g, '/').replace(/^\.\//, '');
  return `${'../'.repeat(depth)}${normalised}`;
}
