// The parts of postman-collection's object model the importer reads, typed narrowly. The library
// ships loose declarations (`any` in most places, and not found by TypeScript from its package.json);
// these say exactly what the importer relies on. The library normalises what differs between
// collection formats v2.0 and v2.1 (auth as objects or as key/value lists, URLs as strings or
// parts, headers as text or lists), so the importer reads one shape.

export interface PostmanList<T> {
  all(): T[];
}

export interface PostmanDescription {
  readonly content?: string;
}

export interface PostmanScript {
  readonly exec?: readonly string[] | string;
}

export interface PostmanEvent {
  readonly listen: string;
  readonly disabled?: boolean;
  readonly script?: PostmanScript;
}

/** A key/value entry: auth parameters, path variables. */
export interface PostmanKeyValue {
  readonly key: string | null;
  readonly value: unknown;
  readonly disabled?: boolean;
}

export interface PostmanAuth {
  readonly type: string;
  parameters(): PostmanList<PostmanKeyValue> | undefined;
}

export interface PostmanQueryParam {
  readonly key: string | null;
  readonly value: string | null;
  readonly disabled?: boolean;
}

export interface PostmanUrl {
  readonly protocol?: string;
  readonly auth?: { readonly user?: string; readonly password?: string };
  readonly host?: readonly string[];
  readonly port?: string;
  readonly path?: readonly string[];
  readonly hash?: string;
  readonly query: PostmanList<PostmanQueryParam>;
  readonly variables: PostmanList<PostmanKeyValue>;
}

export interface PostmanHeader {
  readonly key: string;
  readonly value: string;
  readonly disabled?: boolean;
}

export interface PostmanFormParam {
  readonly key: string;
  readonly value?: string;
  readonly type?: string;
  readonly src?: string | readonly string[] | null;
  readonly contentType?: string;
  readonly disabled?: boolean;
}

export interface PostmanBody {
  readonly mode?: string;
  readonly disabled?: boolean;
  readonly raw?: string;
  readonly urlencoded?: PostmanList<PostmanQueryParam>;
  readonly formdata?: PostmanList<PostmanFormParam>;
  readonly file?: { readonly src?: string | null };
  readonly graphql?: { readonly query?: string; readonly variables?: string };
  readonly options?: { readonly raw?: { readonly language?: string } };
}

export interface PostmanRequest {
  readonly method?: string;
  readonly url: PostmanUrl;
  readonly headers: PostmanList<PostmanHeader>;
  readonly body?: PostmanBody;
  readonly auth?: PostmanAuth;
  readonly description?: PostmanDescription | string;
}

/** What requests and folders share. */
export interface PostmanEntity {
  readonly name?: string;
  readonly description?: PostmanDescription | string;
  readonly events?: PostmanList<PostmanEvent>;
  readonly protocolProfileBehavior?: Readonly<Record<string, unknown>>;
}

export interface PostmanItem extends PostmanEntity {
  readonly request: PostmanRequest;
  /** Saved example responses. */
  readonly responses?: PostmanList<unknown>;
}

/** A folder, or the collection itself. */
export interface PostmanGroup extends PostmanEntity {
  readonly items: PostmanList<PostmanItem | PostmanGroup>;
  readonly auth?: PostmanAuth;
}

/** The library's entry points the importer uses. */
export interface PostmanCollectionLibrary {
  readonly Collection: new (definition: unknown) => PostmanGroup;
  readonly ItemGroup: { isItemGroup(value: unknown): boolean };
}
