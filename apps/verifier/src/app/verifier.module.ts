import 'reflect-metadata';
import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { RawWebhookController } from '../verify/raw-webhook.controller.js';
import { VerifyService } from '../verify/verify.service.js';

/** Resources started outside Nest (registry watcher, ops server) and closed with it. */
export class ShutdownTasks implements OnApplicationShutdown {
  private readonly tasks: (() => unknown)[] = [];

  add(task: () => unknown): void {
    this.tasks.push(task);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const task of this.tasks.reverse()) await task();
  }
}

@Module({})
export class VerifierModule {
  static forRoot(service: VerifyService, shutdown: ShutdownTasks): DynamicModule {
    return {
      module: VerifierModule,
      controllers: [RawWebhookController],
      providers: [
        { provide: VerifyService, useValue: service },
        { provide: ShutdownTasks, useValue: shutdown },
      ],
    };
  }
}
