import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConnectionsRegistry } from '@crm/connections';
import { PROCESS_ENV } from '../service.module.js';

/** Stops the registry's file watcher with the app. */
class ConnectionsShutdown implements OnApplicationShutdown {
  constructor(@Inject(ConnectionsRegistry) private readonly registry: ConnectionsRegistry) {}

  onApplicationShutdown(): void {
    this.registry.close();
  }
}

/**
 * The connections registry from CONNECTIONS_FILE, reloaded when the file
 * changes; `env:NAME` secrets resolve from the process environment. An
 * invalid file stops the start with a message naming the bad entry.
 */
@Module({})
export class ConnectionsModule {
  static forRoot(): DynamicModule {
    return {
      module: ConnectionsModule,
      providers: [
        {
          provide: ConnectionsRegistry,
          inject: [ConfigService, PROCESS_ENV],
          useFactory: (
            config: ConfigService<{ CONNECTIONS_FILE: string }, true>,
            env: NodeJS.ProcessEnv,
          ) => {
            const log = new Logger('ConnectionsRegistry');
            return ConnectionsRegistry.load(config.get('CONNECTIONS_FILE', { infer: true }), {
              env,
              watch: true,
              logger: {
                log: (message) => log.log(message),
                warn: (message) => log.warn(message),
                error: (message) => log.error(message),
              },
            });
          },
        },
        ConnectionsShutdown,
      ],
      exports: [ConnectionsRegistry],
    };
  }
}
