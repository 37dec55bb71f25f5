import 'reflect-metadata';
import { Body, Controller, Inject, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';

/**
 * Baseline (b), the naive design: a NestJS (Express) controller that calls
 * `ClientKafka.emit` once per request with acks=all from an idempotent
 * producer, and answers when that one record is acknowledged.
 */
const TOPIC = process.env['BENCH_TOPIC'] ?? 'bench.naive';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const KAFKA_CLIENT = 'KAFKA_CLIENT';

@Controller('webhooks')
class NaiveWebhookController {
  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: ClientKafka) {}

  @Post(':source/:connectionId')
  async receive(
    @Param('connectionId') connectionId: string,
    @Body() body: unknown,
  ): Promise<{ status: string }> {
    await lastValueFrom(this.kafka.emit(TOPIC, { key: connectionId, value: JSON.stringify(body) }));
    return { status: 'stored' };
  }
}

@Module({
  controllers: [NaiveWebhookController],
  providers: [
    {
      provide: KAFKA_CLIENT,
      useFactory: () =>
        new ClientKafka({
          client: { clientId: 'bench-naive', brokers: BROKERS },
          producer: { idempotent: true, maxInFlightRequests: 1 },
          producerOnlyMode: true,
          send: { acks: -1 },
        }),
    },
  ],
})
class NaiveModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(NaiveModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.get<ClientKafka>(KAFKA_CLIENT).connect();
  await app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
  process.stdout.write('ready\n');
}

void main();
