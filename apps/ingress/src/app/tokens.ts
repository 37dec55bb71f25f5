/** Nest injection tokens for values that are not classes. */
export const INGRESS_CONFIG = Symbol('INGRESS_CONFIG');
export const INGRESS_LOGGER = Symbol('INGRESS_LOGGER');

/** The slice of pino's logger that ingress uses (fastify's instance logger). */
export interface IngressLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}
