import type { ServiceDefinition } from '@crm/service-kit';
import { IngressEnvironment, ingressConfig } from '../config/ingress-config.js';
import { configureHttp } from './configure-http.js';
import { fastifyOptions } from './http-options.js';
import { IngressModule } from './ingress.module.js';

/** How ingress is built and started (main.ts, tests and benchmarks alike). */
export const INGRESS_SERVICE: ServiceDefinition<IngressEnvironment> = {
  name: 'ingress',
  environment: IngressEnvironment,
  module: (options) => IngressModule.forRoot(options),
  http: (env) => fastifyOptions(ingressConfig(env)),
  // Bodies stay raw bytes: configureHttp registers the only content-type parsers.
  bodyParser: false,
  configure: configureHttp,
};
