// The syntax tree of a `.http` document, as the features read it.
//
// Every node carries half-open offsets `[start, end)` into the document text, so
// features map them to positions only at the edge (LSP ranges, CLI messages).
// The nodes (`Block` and below) are plain data: no parent pointers, no methods, no
// cycles, so they can be compared, serialised and cached. `parse()` in `parser.ts` never
// throws: malformed input yields nodes plus `problems`. It writes the tree as tables of
// numbers (syntaxTables.ts); the `HttpDocument` it returns builds these objects from them
// when they are read (syntaxViews.ts).

import type { AssertionParse } from './assertions';
import type { ReadonlySyntaxTables } from './syntaxTables';

/** Half-open range of offsets into the document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A piece of source text, exactly as written. */
export interface Token extends Span {
  readonly text: string;
}

/**
 * Text that may contain `{{ ... }}` references: a target, a header value, a
 * variable value, a body line, a file path. `text` is the value as the engine
 * sees it before substitution (for multi-line values, joined by the owner's rule).
 */
export interface Template extends Span {
  readonly text: string;
  readonly references: readonly VariableReference[];
}

/** `{{ expression }}`. The span covers the braces; an unterminated one ends at its line's end. */
export interface VariableReference extends Span {
  /** Trimmed text between the braces, e.g. `token`, `$randomInt 1 10`, `login.response.body.$.id`. */
  readonly expression: string;
  /**
   * Where `expression` is: offsets, not a `Span` object, because large documents hold
   * tens of thousands of references and every object costs memory and collection time.
   */
  readonly expressionStart: number;
  readonly expressionEnd: number;
  readonly terminated: boolean;
  readonly target: ReferenceTarget;
}

/** What a reference names, decided from its syntax alone (not whether it is defined). */
export type ReferenceTarget =
  /** `{{name}}`: a file, environment, prompt or `--var` variable. */
  | { readonly kind: 'variable'; readonly name: string }
  /** `{{$uuid}}`, `{{$randomInt 1 10}}`, `{{$dotenv API_KEY}}`, `{{$random.alphabetic(10)}}`. */
  | { readonly kind: 'system'; readonly name: string; readonly args: readonly string[] }
  /** `{{login.response.body.$.token}}`, `{{login.response.headers.X-Id}}`, `{{x.request.body.*}}`. */
  | {
      readonly kind: 'request';
      readonly requestName: string;
      /** Span of `requestName` in the document. */
      readonly requestNameSpan: Span;
      readonly source: 'request' | 'response';
      readonly part: 'body' | 'headers';
      /** The rest after `body.` or `headers.`: a JSONPath (`$.a`), XPath (`//id`), `*`, or a header name. */
      readonly path: string;
    }
  /** Empty braces or text that fits no form, e.g. `{{login.foo}}`. */
  | { readonly kind: 'invalid' };

/**
 * The parsed document. `tables` is what the parser wrote (see syntaxTables.ts); `blocks`,
 * `requests` and `variables` are objects built from them on first read.
 */
export interface HttpDocument {
  readonly text: string;
  readonly tables: ReadonlySyntaxTables;
  /**
   * Offset of the first character of each line; `lineStarts[0] === 0`. A typed array: half the
   * memory of an array of numbers, and large files have hundreds of thousands of lines.
   */
  readonly lineStarts: Uint32Array;
  /** The text between `###` separators, in order. A document without separators has one block. */
  readonly blocks: readonly Block[];
  /** Every request in document order (the blocks' `request`s, for convenience). */
  readonly requests: readonly Request[];
  /** Every `@name = value` in document order; a later definition overrides an earlier one. */
  readonly variables: readonly VariableDefinition[];
  /** Problems found while parsing (syntax only; the language service adds semantic ones). */
  readonly problems: readonly SyntaxProblem[];
  /**
   * `blocks[index]`, built alone when the whole tree is not built yet: a question about the
   * cursor needs one block's objects, not a large file's. The same object `blocks` later holds.
   */
  block(index: number): Block;
}

/** The text from one `###` separator (or the document's start) to the next. */
export interface Block extends Span {
  /** The `###` line that opens the block, if any. */
  readonly separator: Separator | undefined;
  readonly comments: readonly Comment[];
  /** `# @name x`, `// @no-redirect`, ... in the block, before the request line. */
  readonly directives: readonly Directive[];
  readonly variables: readonly VariableDefinition[];
  readonly request: Request | undefined;
  /** A pasted response (`HTTP/1.1 200 OK` and what follows): documentation, not a request. */
  readonly pastedResponse: Span | undefined;
}

/** `### Title`: the title, when present, names the request like `# @name`. */
export interface Separator extends Span {
  readonly title: Token | undefined;
}

/** `# text` or `// text` (not a directive). */
export interface Comment extends Span {
  readonly text: string;
}

/** `# @name value` or `// @name value`. */
export interface Directive extends Span {
  /** Without the `@`: `name`, `no-redirect`, `timeout`, `prompt`, or whatever the user wrote. */
  readonly name: Token;
  /** The rest of the line, trimmed; undefined when there is none. */
  readonly value: Token | undefined;
}

/** JetBrains' `import PATH`, `run #Request name (@a=1, @b=2)` or `run PATH` line. */
export interface CompositionLine extends Span {
  readonly kind: 'import' | 'run-request' | 'run-file';
  /** The path as written, or the request's name (without `#`). */
  readonly target: Token;
  /** The `(@name=value, ...)` of a `run` line, in order. */
  readonly overrides: readonly CompositionOverride[];
  /** Entries of the parentheses that are not `@name=value`. */
  readonly malformed: readonly Token[];
}

/** One `@name=value` of a `run` line: `name` without the `@`, `value` trimmed. */
export interface CompositionOverride {
  readonly name: Token;
  readonly value: Token;
}

/** `@name = value`. */
export interface VariableDefinition extends Span {
  readonly name: Token;
  /** The value, trimmed; may reference other variables. */
  readonly value: Template;
}

/** A request: the request line, headers, body and what follows it. */
export interface Request extends Span {
  /** From `# @name` if present, else the separator's title, else undefined. */
  readonly name: Token | undefined;
  /** The directives that apply to this request (those of its block). */
  readonly directives: readonly Directive[];
  /** End of the request line (trimmed), which starts at `start`. An offset, not a `Span`: one object less per request. */
  readonly requestLineEnd: number;
  /** As written; undefined when the line has only a target (GET is implied). */
  readonly method: Token | undefined;
  /** The method the engine uses: `method.text`, or `GET` when omitted. */
  readonly methodName: string;
  readonly target: RequestTarget;
  /** `HTTP/1.1`, `HTTP/2`, ... when written. */
  readonly httpVersion: Token | undefined;
  readonly headers: readonly Header[];
  readonly body: Body | undefined;
  /** `< {% ... %}` and `< path.js` above the request line, in order: run before the request is prepared. */
  readonly preRequestScripts: readonly ResponseHandler[];
  /** `> {% ... %}` and `> path.js`, in order. */
  readonly handlers: readonly ResponseHandler[];
  /** `?? status == 200` lines, wherever in the block they are, in order. */
  readonly assertions: readonly AssertionLine[];
  /** `>> file` or `>>! file`. */
  readonly outputRedirect: OutputRedirect | undefined;
  /** `<> file`: a previous response kept for comparison. */
  readonly responseReferences: readonly ResponseReference[];
}

/**
 * The request target: the token after the method, then any indented lines that
 * continue it (`    ?a=1`, `    &b=2`). `text` joins the trimmed lines with no separator.
 */
export interface RequestTarget extends Template {
  /**
   * Each physical line's piece, trimmed, when the target continues over indented lines;
   * empty when it is one line (the target itself is that piece), as most are.
   */
  readonly continuedPieces: readonly Template[];
  /** `absolute` (`https://...`), `origin` (`/path`, needs a Host header), `asterisk` (`*`), `other` (`example.com/x`, scheme added by the engine). */
  readonly form: 'absolute' | 'origin' | 'asterisk' | 'other';
}

/** `Name: value`, with indented continuation lines joined by a single space. */
export interface Header extends Span {
  /** The text before the colon, trimmed (empty text when the line starts with `:`). */
  readonly name: Token;
  /** Offset of the colon; undefined when the line has none (a malformed header). */
  readonly colon: number | undefined;
  /** The value, trimmed, continuation lines joined by one space. */
  readonly value: Template;
}

/** The body: everything after the blank line that ends the headers, up to the handlers or the next `###`. */
export interface Body extends Span {
  /** Inline text and file includes, in order. */
  readonly parts: readonly BodyPart[];
  /** Present when `Content-Type` is `multipart/*` with a `boundary` parameter. */
  readonly multipart: MultipartBody | undefined;
  /** Present for `X-Request-Type: GraphQL` or the `GRAPHQL` method. */
  readonly graphql: GraphqlBody | undefined;
}

export type BodyPart = BodyText | BodyFile;

/** Consecutive lines of inline body text, exactly as written (line breaks kept). */
export interface BodyText extends Span {
  readonly kind: 'text';
  readonly text: Template;
}

/** `< path` (sent byte-exact) or `<@ path` (variables substituted in the file's text). */
export interface BodyFile extends Span {
  readonly kind: 'file';
  readonly path: Template;
  readonly substituteVariables: boolean;
}

export interface MultipartBody {
  readonly boundary: string;
  readonly parts: readonly MultipartPart[];
  /** Whether the closing `--boundary--` line is present. */
  readonly closed: boolean;
}

/** One part between `--boundary` lines: its headers, a blank line, its content. */
export interface MultipartPart extends Span {
  readonly headers: readonly Header[];
  readonly content: readonly BodyPart[];
}

/** A GraphQL body: the query, then after a blank line optional JSON variables. */
export interface GraphqlBody {
  readonly query: Template;
  readonly variables: Template | undefined;
  /** The name after `query`/`mutation`/`subscription`, when written. */
  readonly operationName: string | undefined;
  /** httpYac's fragments written above a request line, which the query (or a fragment sent with it) spreads: sent after the query, in the file's order. */
  readonly fragments: readonly GraphqlFragment[];
}

/** `fragment Name on Type { ... }`: lines above a request line, to the first blank one. */
export interface GraphqlFragment extends Span {
  readonly name: string;
  readonly text: Template;
}

export type ResponseHandler = ScriptHandler | FileHandler;

/** `?? status == 200`: an httpYac assertion line; `parsed`'s spans are offsets into `text` (add `start` for the document's). */
export interface AssertionLine extends Span {
  readonly text: string;
  readonly parsed: AssertionParse;
}

/** `> {% ... %}`: JavaScript run on the response. */
export interface ScriptHandler extends Span {
  readonly kind: 'script';
  /** The code between `{%` and `%}`. */
  readonly script: Token;
  readonly terminated: boolean;
}

/** `> path/to/handler.js`. */
export interface FileHandler extends Span {
  readonly kind: 'file';
  readonly path: Token;
}

/** `>> file` (a new file name if it exists) or `>>! file` (overwrite). */
export interface OutputRedirect extends Span {
  readonly path: Template;
  readonly overwrite: boolean;
}

export interface ResponseReference extends Span {
  readonly path: Token;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A problem with a stable code; see `codes.ts`. */
export interface SyntaxProblem extends Span {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
}

/** `{{@event` of an httpYac script block; `''` for a plain `{{` (or `{{+`). */
export type ScriptBlockEventName = '' | 'request' | 'streaming' | 'response' | 'after' | 'responseLogging';

/** An httpYac script block: a line `{{` (`{{+`, `{{@response`, ...), JavaScript lines, a line `}}`. */
export interface ScriptBlock extends Span {
  /** The lines between the `{{` and `}}` lines. */
  readonly script: Token;
  readonly event: ScriptBlockEventName;
  /** `{{+`: registered for every request of the file. */
  readonly everyRequest: boolean;
  /** Below its block's request line (runs on the response), rather than above it or in a block without a request. */
  readonly afterRequest: boolean;
  /** False when no `}}` line closes it: it runs to its block's end. */
  readonly terminated: boolean;
}
