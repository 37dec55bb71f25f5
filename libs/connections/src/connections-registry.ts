import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DirectoryWatcher } from './directory-watcher.js';
import { parseConnections } from './parse-connections.js';
import type { RegistryLogger, ResolvedConnection } from './resolved-connection.js';

export interface ConnectionsRegistryOptions {
  env?: NodeJS.ProcessEnv;
  /** Reload when the file changes (default false). */
  watch?: boolean;
  logger?: RegistryLogger;
  /** Quiet period before a changed file is re-read (default 100 ms). */
  debounceMs?: number;
}

type Listener = (connections: readonly ResolvedConnection[]) => void;

const silentLogger: RegistryLogger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * CONNECTIONS_FILE in memory: O(1) lookups by id, hot reload on change. A new
 * file that fails validation is rejected with a log line and the previous
 * connections stay in force; the service never restarts for a config edit.
 */
export class ConnectionsRegistry {
  private byId = new Map<string, ResolvedConnection>();
  private list: readonly ResolvedConnection[] = [];
  private hash = '';
  private rejectedHash = '';
  private readonly listeners = new Set<Listener>();
  private watcher: DirectoryWatcher | undefined;
  private reloading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: RegistryLogger,
  ) {}

  /** Loads and validates the file; throws ConnectionsConfigError (naming the entry) if invalid. */
  static async load(
    path: string,
    options: ConnectionsRegistryOptions = {},
  ): Promise<ConnectionsRegistry> {
    const registry = new ConnectionsRegistry(
      path,
      options.env ?? process.env,
      options.logger ?? silentLogger,
    );
    const text = await readFile(path, 'utf8');
    registry.apply(parseConnections(text, registry.env), digest(text));
    if (options.watch) {
      registry.watcher = new DirectoryWatcher(
        path,
        () => {
          registry.reloading = registry.reloading.then(() => registry.reload());
        },
        options.debounceMs,
        (error) => registry.logger.error(`connections: watching ${path} failed: ${error.message}`),
      );
    }
    registry.logger.log(`connections: loaded ${registry.list.length} from ${path}`);
    return registry;
  }

  get(id: string): ResolvedConnection | undefined {
    return this.byId.get(id);
  }

  all(): readonly ResolvedConnection[] {
    return this.list;
  }

  /** Called after every successful reload with the new list; returns an unsubscribe function. */
  onReload(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.listeners.clear();
  }

  private async reload(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        `connections: cannot read ${this.path}, keeping the current ones: ${reason}`,
      );
      return;
    }
    const hash = digest(text);
    if (hash === this.hash || hash === this.rejectedHash || this.watcher === undefined) return;
    try {
      this.apply(parseConnections(text, this.env), hash);
    } catch (error) {
      this.rejectedHash = hash;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `connections: rejected the new ${this.path}, keeping the current ones: ${reason}`,
      );
      return;
    }
    this.logger.log(`connections: reloaded ${this.list.length} from ${this.path}`);
    for (const listener of this.listeners) {
      try {
        listener(this.list);
      } catch (error) {
        this.logger.error(`connections: a reload listener failed: ${String(error)}`);
      }
    }
  }

  private apply(connections: ResolvedConnection[], hash: string): void {
    this.byId = new Map(connections.map((connection) => [connection.id, connection]));
    this.list = Object.freeze(connections);
    this.hash = hash;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
