import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import type { IngressConfig } from '../config/ingress-config.js';
import { RawRecordProducer } from '../kafka/raw-record-producer.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { OpsController } from '../ops/ops.controller.js';
import { Readiness } from '../ops/readiness.js';
import { RawWebhookController } from '../webhooks/raw-webhook.controller.js';
import { WebhookIntakeService } from '../webhooks/webhook-intake.service.js';
import { INGRESS_CONFIG, INGRESS_LOGGER, type IngressLogger } from './tokens.js';

@Module({})
export class IngressModule {
  static forRoot(
    config: IngressConfig,
    connections: ConnectionsRegistry,
    logger: IngressLogger,
  ): DynamicModule {
    return {
      module: IngressModule,
      controllers: [RawWebhookController, OpsController],
      providers: [
        { provide: INGRESS_CONFIG, useValue: config },
        { provide: INGRESS_LOGGER, useValue: logger },
        { provide: ConnectionsRegistry, useValue: connections },
        Readiness,
        IngressMetrics,
        RawRecordProducer,
        WebhookIntakeService,
      ],
    };
  }
}
