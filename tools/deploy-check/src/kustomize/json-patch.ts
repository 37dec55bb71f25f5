/** One RFC 6902 operation, as Kustomize accepts them in `patches`. */
export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

type Container = Record<string, unknown> | unknown[];

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function child(container: Container, token: string, pointer: string): unknown {
  if (Array.isArray(container)) {
    const index = Number(token);
    if (!/^\d+$/.test(token) || index >= container.length)
      throw new Error(`${pointer}: no array element ${token}`);
    return container[index];
  }
  if (!(token in container)) throw new Error(`${pointer}: no member "${token}"`);
  return container[token];
}

/** The parent container of `pointer` and the last token. */
function locate(document: unknown, pointer: string): { parent: Container; last: string } {
  const path = tokens(pointer);
  const last = path.pop();
  if (last === undefined) throw new Error('the root cannot be patched');
  let current: unknown = document;
  for (const token of path) {
    if (!isContainer(current)) throw new Error(`${pointer}: "${token}" is not inside an object`);
    current = child(current, token, pointer);
  }
  if (!isContainer(current)) throw new Error(`${pointer}: parent is not an object or array`);
  return { parent: current, last };
}

function get(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const token of tokens(pointer)) {
    if (!isContainer(current)) throw new Error(`${pointer}: "${token}" is not inside an object`);
    current = child(current, token, pointer);
  }
  return current;
}

function add(document: unknown, pointer: string, value: unknown): void {
  const { parent, last } = locate(document, pointer);
  if (!Array.isArray(parent)) {
    parent[last] = value;
    return;
  }
  const index = last === '-' ? parent.length : Number(last);
  if (!/^(\d+|-)$/.test(last) || index > parent.length)
    throw new Error(`${pointer}: bad array index ${last}`);
  parent.splice(index, 0, value);
}

function remove(document: unknown, pointer: string): unknown {
  const { parent, last } = locate(document, pointer);
  const removed = child(parent, last, pointer);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return removed;
}

const clone = <T>(value: T): T => structuredClone(value);

/** Applies the operations in order to a copy of `document`; throws naming the failing operation. */
export function applyJsonPatch<T>(document: T, operations: readonly PatchOperation[]): T {
  const result = clone(document);
  for (const operation of operations) {
    const { op, path } = operation;
    if (op === 'add') add(result, path, clone(operation.value));
    else if (op === 'remove') remove(result, path);
    else if (op === 'replace') {
      remove(result, path);
      add(result, path, clone(operation.value));
    } else if (op === 'test') {
      if (JSON.stringify(get(result, path)) !== JSON.stringify(operation.value))
        throw new Error(`test failed at ${path}`);
    } else if (op === 'move' || op === 'copy') {
      if (operation.from === undefined) throw new Error(`${op} ${path} needs "from"`);
      const value =
        op === 'move' ? remove(result, operation.from) : clone(get(result, operation.from));
      add(result, path, value);
    } else {
      throw new Error(`unsupported JSON patch op "${String(op)}"`);
    }
  }
  return result;
}
