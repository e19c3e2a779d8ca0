// Which OpenAPI documents apply to an `.http` file when nobody named one: files named like a spec
// (`openapi.yaml`, `swagger.json`, `orders.openapi.yml`) in the `.http` file's folder or, failing
// that, the nearest folder above it, up to the workspace root. The nearest folder wins, so a
// folder of requests for one service uses that service's spec and not its neighbour's. Pure: the
// hosts list the files (the CLI walks up from the file, the extension asks the workspace).

/** Whether a file name (no folder) is one Courier takes for an OpenAPI or Swagger document. */
export function isSpecFileName(name: string): boolean {
  return /^(?:openapi|swagger)\.(?:json|ya?ml)$/i.test(name) || /\.(?:openapi|swagger)\.(?:json|ya?ml)$/i.test(name);
}

/**
 * The specs of `candidates` (absolute paths, found in the workspace) that apply to `httpFile`:
 * those in the nearest of its folder and the folders above it, no higher than `root` when given.
 */
export function specFilesFor(httpFile: string, candidates: readonly string[], root?: string): string[] {
  const byFolder = new Map<string, string[]>();
  for (const candidate of candidates) {
    if (!isSpecFileName(baseName(candidate))) continue;
    const folder = normalisedFolder(candidate);
    const files = byFolder.get(folder);
    if (files === undefined) byFolder.set(folder, [candidate]);
    else files.push(candidate);
  }
  const top = root === undefined ? undefined : normalised(root);
  for (let folder: string | undefined = normalisedFolder(httpFile); folder !== undefined; folder = parentOf(folder)) {
    const found = byFolder.get(folder);
    if (found !== undefined) return [...found].sort();
    if (top !== undefined && folder === top) break;
  }
  return [];
}

/** The folders to look in for `httpFile`, nearest first: its own, then each above it up to `root` (inclusive) or the file system's root. */
export function foldersUpFrom(httpFile: string, root?: string): string[] {
  const top = root === undefined ? undefined : normalised(root);
  const folders: string[] = [];
  for (let folder: string | undefined = normalisedFolder(httpFile); folder !== undefined; folder = parentOf(folder)) {
    folders.push(folder);
    if (top !== undefined && folder === top) break;
  }
  return folders;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Forward slashes, no trailing one (but the root's), drive letters in lower case: paths compare as strings. */
function normalised(path: string): string {
  let text = path.replace(/\\/g, '/');
  if (/^[A-Za-z]:/.test(text)) text = text.charAt(0).toLowerCase() + text.slice(1);
  while (text.length > 1 && text.endsWith('/') && !/^[a-z]:\/$/.test(text)) text = text.slice(0, -1);
  return text;
}

function normalisedFolder(file: string): string {
  return parentOf(normalised(file)) ?? normalised(file);
}

function parentOf(folder: string): string | undefined {
  const slash = folder.lastIndexOf('/');
  if (slash < 0 || folder === '/' || /^[a-z]:\/$/.test(folder)) return undefined;
  if (slash === 0) return '/';
  const parent = folder.slice(0, slash);
  return /^[a-z]:$/.test(parent) ? `${parent}/` : parent;
}
