// Names the Postman importer writes: file names from folder names, request names for `# @name`,
// variable names for `{{name}}`, auth configuration ids. Postman allows any text in each; `.http`
// files and file systems do not, so each is made safe and kept unique, the same way every time
// the same original is seen.

/** Characters no file name may hold on Windows, macOS or Linux, and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const unsafeFileCharacters = /[<>:"/\\|?*\u0000-\u001f]/g;
const reservedWindowsNames = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A folder or collection name as a file name (without extension): unsafe characters become `-`. */
export function safeFileStem(name: string, fallback: string): string {
  const stem = name.replace(unsafeFileCharacters, '-').replace(/\s+/g, ' ').trim().replace(/^\.+|[. ]+$/g, '');
  if (stem === '') return fallback;
  return reservedWindowsNames.test(stem) ? `${stem}_` : stem;
}

/** Words of a name in ASCII letters and digits (accents removed, the rest separates words). */
function asciiWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

/** `Get item by id` -> `getItemById`, `API index` -> `apiIndex`: a request name `{{name.response...}}` can refer to. */
export function requestNameFor(title: string): string {
  const words = asciiWords(title);
  if (words.length === 0) return 'request';
  const camel = words.map((word, index) => (index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[0-9]/.test(camel) ? `_${camel}` : camel;
}

/** `My App` -> `my-app`: an id for `{{$auth.token("id")}}`. */
export function authIdFor(name: string): string {
  const words = asciiWords(name).map((word) => word.toLowerCase());
  return words.length === 0 ? 'postman' : words.join('-');
}

/** `base url` -> `base_url`: a variable name `{{...}}` accepts (`[A-Za-z_][A-Za-z0-9_-]*`). */
export function variableNameFor(name: string): string {
  const replaced = name.trim().replace(/[^A-Za-z0-9_-]/g, '_');
  if (replaced === '') return '_';
  return /^[A-Za-z_]/.test(replaced) ? replaced : `_${replaced}`;
}

/**
 * Hands out unique names: the first original to ask for a name gets it, a later different
 * original asking for the same one gets `name-2`, `name-3`... Asking again with the same original
 * gives the same name. `caseInsensitive` for file names (two files differing only in case collide
 * on Windows and macOS).
 */
export class UniqueNames {
  private readonly byOriginal = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(
    private readonly separator: string = '-',
    private readonly caseInsensitive = false,
  ) {}

  /** The unique name for `original`, made from `candidate`. */
  nameFor(original: string, candidate: string): string {
    const known = this.byOriginal.get(original);
    if (known !== undefined) return known;
    const name = this.fresh(candidate);
    this.byOriginal.set(original, name);
    return name;
  }

  /** A new unique name made from `candidate`, for something never looked up again. */
  fresh(candidate: string): string {
    let name = candidate;
    for (let suffix = 2; this.taken.has(this.key(name)); suffix++) name = `${candidate}${this.separator}${suffix}`;
    this.taken.add(this.key(name));
    return name;
  }

  /** Whether some original already has `name`. */
  has(name: string): boolean {
    return this.taken.has(this.key(name));
  }

  private key(name: string): string {
    return this.caseInsensitive ? name.toLowerCase() : name;
  }
}
