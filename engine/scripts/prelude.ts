// The JetBrains HTTP Client scripting API in JavaScript, for each script's fresh QuickJS context.
// Compiling JavaScript is most of what a small script costs in QuickJS (a 9 KB prelude took
// ~1.2 ms a script here, more than the script), so the prelude is only the core: state, the
// bridge and a lazy getter per API global. Each global's code (`guestModules`) is fetched from
// the host and compiled on first read, except `client` and `response`, compiled with the prelude
// before the script is known (see `GuestScripts.prepare`).
// The globals the host plants are taken and deleted before the script runs, so the script reaches
// the host bridge only through the API, and the bridge takes and gives only JSON text.

/** File name the prelude and the modules are evaluated under. */
export const preludeFileName = 'courier-prelude.js';
/** File name the script is evaluated under: frames in it are the script's lines. */
export const scriptFileName = 'courier-script.js';

/**
 * Each API global's code: a function of `(core, load)` answering the global's value. `core` holds
 * the input, the state the host reads at the end and the shared helpers; `load(name)` another global.
 */
export const guestModules: Readonly<Record<string, string>> = {
  client: String.raw`(function (core) {
    'use strict';
    const { state, show, failure, exitSignal } = core;
    const globals = Object.assign(Object.create(null), core.input.globals);
    return {
      global: {
        set(name, value) { name = String(name); globals[name] = show(value); state.globalChanges.push({ kind: 'set', name, value: globals[name] }); },
        get(name) { name = String(name); return Object.prototype.hasOwnProperty.call(globals, name) ? globals[name] : null; },
        isEmpty() { return Object.keys(globals).length === 0; },
        clear(name) { name = String(name); delete globals[name]; state.globalChanges.push({ kind: 'clear', name }); },
        clearAll() { for (const name of Object.keys(globals)) delete globals[name]; state.globalChanges.push({ kind: 'clearAll' }); },
      },
      test(name, fn) {
        name = String(name);
        // Failed until it ends well: a test stopped by the time limit (which no catch sees) stays failed.
        const slot = state.tests.push({ name, ok: false, error: 'the test did not finish' }) - 1;
        let outcome;
        try {
          if (typeof fn !== 'function') throw new TypeError('client.test("' + name + '", ...) needs a function as its second argument');
          outcome = fn();
        } catch (error) {
          if (error === exitSignal) throw error;
          state.tests[slot] = failure(name, error);
          return;
        }
        if (outcome !== null && typeof outcome === 'object' && typeof outcome.then === 'function') {
          const pending = { name, settled: false };
          state.pending.push(pending);
          outcome.then(() => { pending.settled = true; state.tests[slot] = { name, ok: true }; }, (error) => { pending.settled = true; if (error !== exitSignal) state.tests[slot] = failure(name, error); });
        } else {
          state.tests[slot] = { name, ok: true };
        }
      },
      assert(condition, message) {
        if (!condition) throw new Error(message === undefined ? 'Assertion failed' : show(message));
      },
      log: core.log,
      exit() { state.exited = true; throw exitSignal; },
    };
  })`,

  response: String.raw`(function (core) {
    'use strict';
    const { status, headers, body: text } = core.input.response;
    const valuesOf = (name) => {
      const wanted = String(name).toLowerCase();
      return headers.filter((header) => header[0].toLowerCase() === wanted).map((header) => header[1]);
    };
    const contentType = valuesOf('content-type')[0] || '';
    const mimeType = contentType.split(';')[0].trim().toLowerCase();
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
    const isJson = mimeType === 'application/json' || mimeType.endsWith('+json');
    let body = text;
    // JetBrains: the parsed value for JSON, the text otherwise (and for JSON that does not parse).
    if (isJson) try { body = JSON.parse(text); } catch (error) { /* keep the text */ }
    // A stream the handler watches as it arrives: the body is JetBrains' TextStreamResponse.
    if (core.input.response.stream) body = core.streamBody();
    return {
      status,
      body,
      // httpYac's names, for '?? js response.parsedBody.id == 1' written for httpYac.
      statusCode: status,
      parsedBody: isJson && typeof body !== 'string' ? body : undefined,
      headers: {
        valueOf(name) { const values = valuesOf(name); return values.length === 0 ? null : values[0]; },
        valuesOf,
      },
      contentType: { mimeType, charset: charset ? charset[1] : isJson ? 'UTF-8' : '' },
    };
  })`,

  request: String.raw`(function (core) {
    'use strict';
    const { state, show } = core;
    const sent = core.input.request || { method: '', url: { raw: '', substituted: '' }, headers: [] };
    const table = (values) => Object.assign(Object.create(null), values);
    const environment = table(core.input.environment), variables = table(core.input.requestVariables);
    const lookup = (record, name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : null);
    const header = (found) => ({ name: found.name, getRawValue: () => found.raw, tryGetSubstitutedValue: () => found.substituted });
    return {
      method: sent.method,
      url: { getRaw: () => sent.url.raw, tryGetSubstituted: () => sent.url.substituted },
      body: { getRaw: () => (sent.body ? sent.body.raw : ''), tryGetSubstituted: () => (sent.body ? sent.body.substituted : '') },
      headers: {
        all: () => sent.headers.map(header),
        findByName(name) {
          const wanted = String(name).toLowerCase();
          const found = sent.headers.find((candidate) => candidate.name.toLowerCase() === wanted);
          return found ? header(found) : null;
        },
      },
      environment: { get: (name) => lookup(environment, String(name)) },
      iteration: () => (typeof core.input.iteration === 'number' ? core.input.iteration : 0),
      variables: {
        set(name, value) { name = String(name); variables[name] = show(value); state.requestVariables[name] = variables[name]; },
        get: (name) => lookup(variables, String(name)),
      },
    };
  })`,

  crypto: String.raw`(function (core) {
    'use strict';
    function builder(algorithm, keyed) {
      const parts = [];
      let secret;
      const part = (kind, data, extra) => Object.assign({ kind, data: String(data) }, extra);
      const self = {
        updateWithText(text, encoding) { parts.push(part('text', text, { encoding })); return self; },
        updateWithHex(hex) { parts.push(part('hex', hex)); return self; },
        updateWithBase64(base64, urlSafe) { parts.push(part('base64', base64, { urlSafe: urlSafe === true })); return self; },
        digest() {
          const result = core.callHost('digest', { algorithm, secret, parts });
          return {
            toHex() { return result.hex; },
            toBase64(urlSafe) { return urlSafe === true ? result.base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : result.base64; },
          };
        },
      };
      if (keyed) {
        self.withTextSecret = (text, encoding) => { secret = part('text', text, { encoding }); return self; };
        self.withHexSecret = (hex) => { secret = part('hex', hex); return self; };
        self.withBase64Secret = (base64, urlSafe) => { secret = part('base64', base64, { urlSafe: urlSafe === true }); return self; };
      }
      return self;
    }
    const hashes = (keyed) => {
      const all = {};
      for (const algorithm of ['sha1', 'sha256', 'sha384', 'sha512', 'md5']) all[algorithm] = () => builder(algorithm, keyed);
      return all;
    };
    return Object.assign(hashes(false), { hmac: hashes(true) });
  })`,

  $random: String.raw`(function () {
    'use strict';
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const pick = (alphabet, length) => { let text = ''; for (let i = 0; i < length; i++) text += alphabet[Math.floor(Math.random() * alphabet.length)]; return text; };
    const hex = (length) => pick('0123456789abcdef', length);
    return {
      get uuid() { return hex(8) + '-' + hex(4) + '-4' + hex(3) + '-' + pick('89ab', 1) + hex(3) + '-' + hex(12); },
      get integer() { return Math.floor(Math.random() * 1000); },
      get float() { return Math.random() * 1000; },
      get alphabetic() { return pick(letters, 10); },
      get alphanumeric() { return pick(letters + '0123456789_', 10); },
      get hexadecimal() { return hex(10); },
      get email() { return pick(letters, 8).toLowerCase() + '@example.com'; },
    };
  })`,

  jsonPath: "(function (core) { return (value, path) => core.callHost('jsonPath', { value, path: String(path) }); })",
  xpath: "(function (core) { return (text, expression) => core.callHost('xpath', { text, expression: String(expression) }); })",
  btoa: "(function (core) { return (text) => core.callHost('btoa', { text: String(text) }); })",
  atob: "(function (core) { return (text) => core.callHost('atob', { text: String(text) }); })",
  Window: "(function (core, load) { return { btoa: load('btoa'), atob: load('atob') }; })",
  console: "(function (core) { return { log: core.log, info: core.log, warn: core.log, error: core.log, debug: core.log }; })",

  // httpYac's `{{` blocks: `request` and `response` in its shape, `test` and its helpers, `exports`,
  // `$global` and `sleep`. Which of these a name reads is decided by `core.input.dialect`.
  yacRequest: String.raw`(function (core) {
    'use strict';
    const sent = core.input.request || { method: '', url: { raw: '', substituted: '' }, headers: [] };
    const headers = {};
    for (const header of sent.headers) headers[header.name] = header.substituted;
    return { method: sent.method, url: sent.url.substituted, headers, body: sent.body ? sent.body.substituted : undefined };
  })`,

  yacResponse: String.raw`(function (core) {
    'use strict';
    const { status, headers: pairs, body, statusMessage, httpVersion, totalMs } = core.input.response;
    // Node's shape: lower-case names, repeated values joined by ', ', set-cookie always a list.
    const headers = {};
    for (const [name, value] of pairs) {
      const key = name.toLowerCase();
      if (key === 'set-cookie') (headers[key] = headers[key] || []).push(value);
      else headers[key] = key in headers ? headers[key] + ', ' + value : value;
    }
    const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : '';
    const mimeType = contentType.split(';')[0].trim().toLowerCase();
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
    let parsedBody;
    if (mimeType === 'application/json' || mimeType.endsWith('+json')) try { parsedBody = JSON.parse(body); } catch (error) { /* not JSON after all */ }
    return {
      statusCode: status, statusMessage, httpVersion, headers, body, parsedBody,
      contentType: contentType === '' ? undefined : { mimeType, charset: charset ? charset[1] : undefined, contentType },
      timings: totalMs === undefined ? {} : { total: totalMs },
    };
  })`,

  test: String.raw`(function (core, load) {
    'use strict';
    const client = load('client');
    // httpYac's test: a name without a function is a passed test.
    const test = (name, fn) => client.test(name, typeof fn === 'function' ? fn : () => {});
    const response = () => (core.input.response ? load('yacResponse') : undefined);
    const check = (name, condition, message) => test(name, () => { if (!condition()) throw new Error(message()); });
    const header = (key) => response().headers[String(key).toLowerCase()];
    test.status = (status) => { const r = response(); if (r) check('response status equals to ' + status, () => r.statusCode === status, () => 'response status is ' + r.statusCode + ' (expected: ' + status + ')'); };
    test.totalTime = (max) => { const r = response(); if (r) check('total time exceeded ' + max, () => !(r.timings.total >= max), () => 'total time is ' + r.timings.total + ' (expected max ' + max + ')'); };
    test.header = (key, value) => { if (response()) check('response header ' + key + ' equals ' + value, () => header(key) === value, () => 'response header ' + key + ' is ' + header(key) + ' (expected: ' + value + ')'); };
    test.headerContains = (key, value) => {
      if (response()) check('response header ' + key + ' contains ' + value, () => { const found = header(key); return found !== undefined && [].concat(found).some((item) => String(item).includes(value)); }, () => 'response header ' + key + ' is ' + header(key) + ' (expected to contain: ' + value + ')');
    };
    test.responseBody = (value) => { const r = response(); if (r) check('response body equals ' + value, () => r.body === value, () => 'response body is ' + r.body + ' (expected: ' + value + ')'); };
    test.hasResponseBody = () => { const r = response(); if (r) check('response body exists', () => r.body !== undefined && r.body !== '', () => 'the response has no body'); };
    test.hasNoResponseBody = () => { const r = response(); if (r) check('response body does not exists', () => r.body === undefined || r.body === '', () => 'the response has a body'); };
    return test;
  })`,

  exports: "(function (core) { return core.yac.module.exports; })",
  module: "(function (core) { return core.yac.module; })",
  $global: "(function (core) { return core.yac.global; })",
  sleep: String.raw`(function (core) {
    'use strict';
    // The sandbox has no timers: the host waits (within the script's time limit), then the promise resolves.
    return (ms) => { core.callHost('sleep', { ms: Number(ms) || 0 }); return Promise.resolve(); };
  })`,
  require: String.raw`(function () {
    'use strict';
    return (name) => {
      throw new Error('require(' + JSON.stringify(String(name)) + ") is not available in Courier's sandbox: scripts run without Node and its modules. " +
        'Use what the sandbox has instead (crypto.sha256() and crypto.hmac, jsonPath, btoa/atob, test(...) for assertions), or write the check as a ?? line');
    };
  })`,
};

/** httpYac names that need Node or httpYac's internals: reading one throws a sentence that says so, not "is not defined". */
const nodeOnlyNames: Readonly<Record<string, string>> = {
  process: 'process is not available in Courier\'s sandbox (no Node): read environment values as variables by their name, or with {{$processEnv NAME}} in the request',
  Buffer: 'Buffer is not available in Courier\'s sandbox (no Node): use btoa/atob for Base64 and strings for text',
  setTimeout: 'setTimeout is not available in Courier\'s sandbox (no timers): use await sleep(ms)',
  setInterval: 'setInterval is not available in Courier\'s sandbox (no timers): use a loop with await sleep(ms)',
  httpFile: "httpFile is httpYac's own object and is not available in Courier",
  httpRegion: "httpRegion is httpYac's own object and is not available in Courier",
  $httpyac: "$httpyac is httpYac's own API and is not available in Courier: send other requests by name ({{name.response...}})",
  $context: "$context is httpYac's own object and is not available in Courier",
  $requestClient: "$requestClient is httpYac's streaming client and is not available in Courier",
  oauth2Session: 'oauth2Session is not available in Courier',
};

/** A module's code for `__courierSource`: an API global's, or the Node-only names' sentences as JSON. */
export function guestSource(name: string): string | undefined {
  return name === '$nodeOnly' ? JSON.stringify(nodeOnlyNames) : guestModules[name];
}

/**
 * Evaluated once per context, before any script is known: the core, the API modules compiled on
 * first use, and what lets one context serve script after script while each behaves. Each start
 * removes the globals the last script left and gives the new one fresh API objects (the module
 * code stays compiled: that is what made a fresh context per script cost ~1.5 ms). The built-ins
 * are frozen once, the global object is put back as it was after each script, and a script that
 * leaves a global that cannot be deleted gets its context dropped: no script sees what another did.
 */
export const prelude = String.raw`(function () {
  'use strict';
  const now = Date.now, host = globalThis.__courierHost, source = globalThis.__courierSource, evaluate = globalThis.eval, parse = JSON.parse, stringify = JSON.stringify;
  const ownKeys = Reflect.ownKeys, describe = Object.getOwnPropertyDescriptor, define = Object.defineProperty, prototypeOf = Object.getPrototypeOf, isExtensible = Object.isExtensible, ownNames = Object.getOwnPropertyNames;
  delete globalThis.__courierHost;
  delete globalThis.__courierSource;
  function callHost(operation, payload) {
    const answer = parse(host(operation, stringify(payload)));
    if (!answer.ok) throw new Error(answer.error);
    return answer.value === null ? undefined : answer.value;
  }
  const freshState = () => ({ tests: [], pending: [], log: [], globalChanges: [], requestVariables: {}, exited: false });
  // A live stream's subscribers (onEachLine, onEachMessage), what they asked for during one delivery, and their onFinish callbacks.
  const freshStream = () => ({ subscribers: [], finishers: [], unsubscribed: false, outputs: [] });
  function show(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error || typeof value === 'function' || typeof value === 'symbol' || value === undefined) return String(value);
    try { const json = JSON.stringify(value); return json === undefined ? String(value) : json; } catch (error) { return String(value); }
  }
  const frame = /courier-script\.js:(\d+)(?::(\d+))?/;
  function failure(name, error) {
    const match = error !== null && typeof error === 'object' && typeof error.stack === 'string' ? frame.exec(error.stack) : null;
    const message = error instanceof Error ? (error.message === '' ? error.name : error.message) : show(error);
    return match ? { name, ok: false, error: message, position: { line: Number(match[1]), column: Number(match[2] || 1) } } : { name, ok: false, error: message };
  }
  const core = { input: undefined, state: freshState(), callHost, show, failure, exitSignal: { courierExit: true }, log: (...values) => { const state = core.state; state.log[state.log.length] = values.map(show).join(' '); } };
  core.stream = freshStream();
  /** JetBrains' TextStreamResponse: subscribers get each message as it arrives, JSON objects and arrays parsed. */
  core.streamBody = () => {
    const stream = core.stream, canSend = core.input.response.stream.canSend === true;
    const subscribe = (kind) => function (subscriber, onFinish) {
      if (typeof subscriber !== 'function') throw new TypeError('response.body.' + kind + '(subscriber, onFinish?) needs a function as its first argument');
      stream.subscribers[stream.subscribers.length] = subscriber;
      if (typeof onFinish === 'function') stream.finishers[stream.finishers.length] = onFinish;
    };
    stream.unsubscribe = () => { stream.unsubscribed = true; };
    stream.output = (message) => {
      if (!canSend) throw new TypeError('output(message) sends to the server on a WebSocket (or a gRPC call that streams from the client); this stream only receives');
      stream.outputs[stream.outputs.length] = show(message);
    };
    return { onEachLine: subscribe('onEachLine'), onEachMessage: subscribe('onEachMessage') };
  };
  const compiled = Object.create(null);
  let loaded = Object.create(null);
  const compile = (name) => (name in compiled ? compiled[name] : (compiled[name] = evaluate(source(name))));
  const load = (name) => (name in loaded ? loaded[name] : (loaded[name] = compile(name)(core, load)));
  compile('client');
  compile('response');

  // Lockdown, as SES does it: the built-ins are frozen, so no script can change what the next one
  // sees. A frozen prototype would make 'error.message = ...' or 'object.toString = ...' on an
  // ordinary object fail silently (an inherited read-only property blocks assignment); those
  // properties become accessors whose setter defines the property on the object assigned to.
  const builtIns = [Object, Object.prototype, Function, Function.prototype, Array, Array.prototype, String, String.prototype, Number, Number.prototype,
    Boolean, Boolean.prototype, Symbol, Symbol.prototype, Promise, Promise.prototype, Date, Date.prototype, RegExp, RegExp.prototype,
    Error, Error.prototype, TypeError, TypeError.prototype, RangeError, RangeError.prototype, ReferenceError, ReferenceError.prototype,
    SyntaxError, SyntaxError.prototype, EvalError, EvalError.prototype, URIError, URIError.prototype, Map, Map.prototype, Set, Set.prototype,
    WeakMap, WeakMap.prototype, WeakSet, WeakSet.prototype, JSON, Math, Reflect, ArrayBuffer, ArrayBuffer.prototype, Uint8Array, Uint8Array.prototype,
    prototypeOf(Uint8Array), prototypeOf(Uint8Array.prototype), BigInt, BigInt.prototype, prototypeOf(function* () {}), prototypeOf(async function () {}),
    prototypeOf(prototypeOf((function* () {})())), prototypeOf([][Symbol.iterator]())];
  const errorKeys = ['constructor', 'message', 'name', 'toString'];
  const assignable = [[Object.prototype, ['constructor', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
    [Function.prototype, ['constructor', 'toString', 'bind', 'call', 'apply']], [Array.prototype, ['constructor', 'toString']],
    [String.prototype, ['constructor', 'toString']], [Number.prototype, ['constructor', 'toString']], [Date.prototype, ['constructor', 'toString', 'toJSON']],
    [RegExp.prototype, ['constructor', 'toString']], [Promise.prototype, ['constructor']], [Error.prototype, errorKeys], [TypeError.prototype, errorKeys],
    [RangeError.prototype, errorKeys], [ReferenceError.prototype, errorKeys], [SyntaxError.prototype, errorKeys]];
  for (const [target, keys] of assignable) {
    for (const key of keys) {
      const found = describe(target, key);
      if (found === undefined || !('value' in found) || !found.configurable) continue;
      const value = found.value;
      define(target, key, {
        enumerable: found.enumerable,
        configurable: false,
        get() { return value; },
        set(next) {
          if (this === target) throw new TypeError('Cannot change ' + String(key) + ' of a built-in: built-ins are frozen in the script sandbox');
          define(this, key, { value: next, writable: true, enumerable: true, configurable: true });
        },
      });
    }
  }
  for (const target of builtIns) Object.freeze(target);

  // The API's globals are defined once, as accessors that cannot be deleted or redefined: each
  // script reads fresh objects (the cache is emptied at its start) and what it assigns to one of
  // these names stays its own.
  const apiNames = ['client', 'request', 'crypto', '$random', 'jsonPath', 'xpath', 'btoa', 'atob', 'Window', 'console', 'response'];
  // httpYac's names, and the Node-only ones whose reading throws a sentence: undefined in a JetBrains script, as they always were.
  const yacNames = ['test', 'exports', 'module', '$global', 'sleep', '__filename', '__dirname', 'require'];
  const nodeOnly = parse(source('$nodeOnly'));
  let assigned = Object.create(null);
  const isYac = () => core.input.dialect === 'httpyac';
  function apiValue(name) {
    if (name === 'response') return !core.input.response ? undefined : load(isYac() ? 'yacResponse' : 'response');
    if (name === 'request' && isYac()) return load('yacRequest');
    if (name in nodeOnly) {
      if (!isYac()) return undefined;
      throw new ReferenceError(nodeOnly[name]);
    }
    if (yacNames.indexOf(name) !== -1) {
      if (!isYac()) return undefined;
      if (name === '__filename') return core.input.fileName;
      if (name === '__dirname') return core.input.fileName.replace(/[\\/][^\\/]*$/, '');
    }
    return load(name);
  }
  for (const name of apiNames.concat(yacNames, ownNames(nodeOnly))) {
    define(globalThis, name, {
      get() {
        if (name in assigned) return assigned[name];
        return apiValue(name);
      },
      set(value) { assigned[name] = value; },
      enumerable: false,
      configurable: false,
    });
  }

  // The global object as the first script found it: what may change (configurable, not the API's), and each value.
  let baseline, restorable;
  function leftoverGlobals() {
    const left = [], names = ownNames(globalThis);
    for (let index = 0; index < names.length; index++) if (!(names[index] in baseline)) left[left.length] = names[index];
    return left;
  }
  /** Puts back a built-in global a script replaced or deleted ('JSON = ...'). */
  function restoreGlobals() {
    for (let index = 0; index < restorable.length; index++) {
      const { name, original } = restorable[index];
      const now = globalThis[name];
      if (now !== original.value && !(now !== now && original.value !== original.value)) define(globalThis, name, original);
    }
  }

  // For the host, which takes these as handles and deletes them before any script runs. Written
  // with what the prelude captured, and few array methods, so a script that replaces
  // JSON.stringify or Array.prototype.map still reports what it did.
  globalThis.__courierStart = (inputJson) => {
    if (baseline === undefined) {
      baseline = Object.create(null);
      restorable = [];
      const names = ownNames(globalThis);
      for (let index = 0; index < names.length; index++) {
        const original = describe(globalThis, names[index]);
        baseline[names[index]] = true;
        if (original.configurable && 'value' in original) restorable[restorable.length] = { name: names[index], original };
      }
    }
    core.input = parse(inputJson);
    core.state = freshState();
    core.stream = freshStream();
    loaded = Object.create(null);
    assigned = Object.create(null);
    core.yac = undefined;
    if (isYac()) {
      core.yac = { module: { exports: {} }, global: Object.assign({}, core.input.globals), settled: undefined };
      // httpYac puts every variable defined so far on the script's global scope; a name the API or a built-in holds keeps its meaning.
      const variables = core.input.variables || {}, names = ownNames(variables);
      for (let index = 0; index < names.length; index++) {
        const name = names[index];
        if (name in baseline || !/^[A-Za-z_$][\w$]*$/.test(name)) continue;
        define(globalThis, name, { value: variables[name], writable: true, enumerable: true, configurable: true });
      }
    }
  };
  /** httpYac waits for exported promises (exports.x = someAsync()): their values are what is exported. */
  globalThis.__courierSettle = () => {
    const yac = core.yac;
    if (yac === undefined) return undefined;
    const exported = yac.module.exports;
    if (exported === null || (typeof exported !== 'object' && typeof exported !== 'function')) { yac.settled = {}; return undefined; }
    if (typeof exported.then === 'function') return Promise.resolve(exported).then((value) => { yac.settled = value !== null && typeof value === 'object' ? value : {}; });
    const keys = Object.keys(exported), settled = {};
    return Promise.all(keys.map((key) => Promise.resolve(exported[key]).then((value) => { settled[key] = value; }))).then(() => { yac.settled = settled; });
  };
  /** httpYac's exports as JSON data (what cannot be JSON is shown as text), and '$global' compared with what the script was given. */
  function yacReport(state) {
    const yac = core.yac, exports = {};
    const values = yac.settled || yac.module.exports || {};
    const keys = ownNames(values);
    for (let index = 0; index < keys.length; index++) {
      const value = values[keys[index]];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      try { stringify(value); exports[keys[index]] = value; } catch (error) { exports[keys[index]] = show(value); }
    }
    const before = core.input.globals, after = yac.global, names = ownNames(after);
    for (let index = 0; index < names.length; index++) {
      const name = names[index], value = show(after[name]);
      if (!Object.prototype.hasOwnProperty.call(before, name) || before[name] !== value) state.globalChanges.push({ kind: 'set', name, value });
    }
    const previous = ownNames(before);
    for (let index = 0; index < previous.length; index++) if (!Object.prototype.hasOwnProperty.call(after, previous[index])) state.globalChanges.push({ kind: 'clear', name: previous[index] });
    return exports;
  }
  globalThis.__courierFinish = () => {
    const state = core.state, unsettled = [];
    const exports = core.yac === undefined ? undefined : yacReport(state);
    for (let index = 0; index < state.pending.length; index++) if (!state.pending[index].settled) unsettled[unsettled.length] = state.pending[index].name;
    restoreGlobals();
    // What the script left on the global object goes now; what cannot go makes the context unfit for another script.
    let tainted = false;
    const left = leftoverGlobals();
    for (let index = 0; index < left.length; index++) {
      try { delete globalThis[left[index]]; } catch (error) { tainted = true; } // strict mode: an undeletable property throws
    }
    return stringify({ tests: state.tests, log: state.log, globalChanges: state.globalChanges, requestVariables: state.requestVariables, exited: state.exited, unsettled, tainted, exports });
  };
  globalThis.__courierIsExit = (error) => error === core.exitSignal;
  /**
   * Messages of a live stream, their data as a JSON array of texts: each to every subscriber, in
   * order, until one unsubscribes. The host's 'tick' restarts the clock: before a message once
   * tickMs have passed since the last (a host call per message would cost more than most
   * callbacks), so each message's callbacks get at least the whole time limit.
   */
  globalThis.__courierDeliver = (textsJson, tickMs) => {
    const stream = core.stream, texts = parse(textsJson);
    stream.outputs = [];
    const subscribers = stream.subscribers.slice();
    let ticked = now();
    host('tick', '');
    for (let at = 0; at < texts.length && !stream.unsubscribed; at++) {
      if (now() - ticked >= tickMs) { ticked = now(); host('tick', ''); }
      const text = texts[at];
      let item = text;
      if (/^\s*[[{]/.test(text)) try { item = parse(text); } catch (error) { /* not JSON after all: the text */ }
      for (let index = 0; index < subscribers.length && !stream.unsubscribed; index++) subscribers[index](item, stream.unsubscribe, stream.output);
    }
    return stringify({ unsubscribed: stream.unsubscribed, outputs: stream.outputs });
  };
  /** The stream ended: each onFinish, in the order given. */
  globalThis.__courierStreamEnd = () => {
    const finishers = core.stream.finishers.slice();
    for (let index = 0; index < finishers.length; index++) finishers[index]();
  };
})();
`;
