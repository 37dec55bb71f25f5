import { Controller, Get, Inject } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { SERVICE_HEALTH, type HealthState, type ServiceHealth } from './service-health.js';

/** GET /healthz (liveness) and /readyz (readiness): 200 when up, 503 with the details when not. */
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ModuleRef) private readonly modules: ModuleRef,
  ) {}

  /** Provided by the app's own module, which imports this one: looked up across modules. */
  private get service(): ServiceHealth {
    return (this.resolved ??= this.modules.get<ServiceHealth>(SERVICE_HEALTH, { strict: false }));
  }
  private resolved: ServiceHealth | undefined;

  @Get('healthz')
  @HealthCheck()
  healthz(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicate('live', this.service.live())]);
  }

  @Get('readyz')
  @HealthCheck()
  readyz(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicate('ready', this.service.ready())]);
  }

  private indicate(key: string, state: HealthState): HealthIndicatorResult {
    const { up, ...details } = state;
    const session = this.indicators.check(key);
    return up ? session.up(details) : session.down(details);
  }
}
