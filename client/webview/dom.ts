// Small DOM builders for the webview. Text always goes in as `textContent`, never as HTML.

type Child = Node | string | undefined | false;

/** An element with a class and children; strings become text nodes. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className !== undefined && className !== '') created.className = className;
  for (const child of children) {
    if (child === undefined || child === false) continue;
    created.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return created;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string | number>>, ...children: Child[]): SVGElementTagNameMap[K] {
  const created = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  for (const child of children) {
    if (child === undefined || child === false) continue;
    created.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return created;
}

/** A button that runs `onClick`; `title` is its tooltip. */
export function button(label: string, title: string, onClick: () => void, className = ''): HTMLButtonElement {
  const created = element('button', className, label);
  created.type = 'button';
  created.title = title;
  created.addEventListener('click', onClick);
  return created;
}

/** `1536` -> `1.5 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `12.3456` -> `12.3 ms`, `1234` -> `1.23 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}
