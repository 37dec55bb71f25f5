import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { SOURCES, type Source } from '../sources.js';

export const CONNECTION_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

@ValidatorConstraint({ name: 'numericId' })
class NumericIdConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0;
    return typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value);
  }

  defaultMessage(): string {
    return 'id must be a positive integer (number or digit string)';
  }
}

/** The CRM account a connection belongs to; when present, bodies must name it. */
export class AccountRef {
  @IsOptional()
  @Validate(NumericIdConstraint)
  id?: number | string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/i, { message: 'subdomain must be a DNS label' })
  subdomain?: string;
}

/** Token bucket per connection: `rps` sustained, `burst` at once. */
export class RateLimitConfig {
  @IsNumber()
  @Min(0.001)
  rps!: number;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  burst!: number;
}

/**
 * One entry of CONNECTIONS_FILE. A secret is a literal or `env:NAME`; for
 * kommo/amocrm it is a URL token, for kommo-chat the channel secret, for
 * pipeliner the webhook's signature UUID. Several secrets allow rotation.
 */
export class ConnectionConfig {
  @IsString()
  @Matches(CONNECTION_ID_PATTERN, { message: 'id must match [a-z0-9-]{1,64}' })
  id!: string;

  @IsIn(SOURCES, { message: `source must be one of ${SOURCES.join(', ')}` })
  source!: Source;

  @IsOptional()
  @ValidateNested()
  @Type(() => AccountRef)
  account?: AccountRef;

  @IsArray()
  @ArrayNotEmpty({ message: 'secrets must list at least one secret' })
  @IsString({ each: true })
  @IsNotEmpty({ each: true, message: 'secrets must not contain empty strings' })
  secrets!: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitConfig)
  rateLimit?: RateLimitConfig;

  /**
   * How often this connection ordinarily receives a webhook, at least: the
   * `ConnectionSilent` alert fires when nothing arrived for longer. Omitted: no
   * expectation (a quiet account is not an incident).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(525_600)
  expectEveryMinutes?: number;
}

export class ConnectionsFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ConnectionConfig)
  connections!: ConnectionConfig[];
}
