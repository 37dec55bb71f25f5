import type { LoggerService } from '@nestjs/common';
import { redact } from './redact.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'verbose';
const SEVERITY: Record<LogLevel, number> = {
  fatal: 0,
  error: 1,
  warn: 2,
  info: 3,
  debug: 4,
  verbose: 5,
};

function levelFromEnv(): LogLevel {
  const raw = (process.env['LOG_LEVEL'] ?? 'info').toLowerCase();
  return raw in SEVERITY ? (raw as LogLevel) : 'info';
}

/**
 * One JSON object per line on stdout: time, level, service, context, msg and
 * any structured fields. Secret-looking fields are redacted. Implements Nest's
 * LoggerService so framework logs come out the same way.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level: LogLevel = levelFromEnv(),
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {
    this.threshold = SEVERITY[level];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }

  /** Structured logging for our own code: `logger.event('warn', 'reload rejected', { file })`. */
  event(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (SEVERITY[level] > this.threshold) return;
    this.line({ level, msg, ...(redact(fields) as Record<string, unknown>) });
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (SEVERITY[level] > this.threshold) return;
    // Nest passes the context as the last string argument (and a stack before it for errors).
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const extra = rest.slice(0, context === undefined ? rest.length : -1);
    const entry: Record<string, unknown> = { level, context };
    if (message instanceof Error) {
      entry['msg'] = message.message;
      entry['err'] = { name: message.name, stack: message.stack };
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, redact(message));
    } else {
      entry['msg'] = String(message);
    }
    const stack = extra.find(
      (item): item is string => typeof item === 'string' && item.includes('\n    at '),
    );
    if (stack) entry['stack'] = stack;
    this.line(entry);
  }

  private line(entry: Record<string, unknown>): void {
    this.write(
      `${JSON.stringify({ time: new Date().toISOString(), service: this.service, ...entry })}\n`,
    );
  }
}
