import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type AnyLog = (...args: unknown[]) => void;

/**
 * `request.log` that becomes a pino child only when something logs through
 * it. Fastify makes a child per request (bindings serialized up front), about
 * a microsecond on every webhook, while ingress's services log through their
 * own long-lived children of the root logger and a request logs through
 * Fastify's almost never (errors). Same child, same bindings, just later.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private child_: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.child_ ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.child_?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  private forward(method: keyof Pick<FastifyBaseLogger, LevelName>): AnyLog {
    return (...args: unknown[]) => {
      Reflect.apply(this.real[method], this.real, args);
    };
  }

  fatal = this.forward('fatal');
  error = this.forward('error');
  warn = this.forward('warn');
  info = this.forward('info');
  debug = this.forward('debug');
  trace = this.forward('trace');
  silent = this.forward('silent');

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => new LazyChildLogger(logger, bindings, options);
