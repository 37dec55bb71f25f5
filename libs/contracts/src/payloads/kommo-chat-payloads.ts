import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';

/** Chat-channel (amojo) webhooks, JSON. v1 is the deprecated flat shape. */
export class ChatV1Payload {
  @IsString() @IsNotEmpty() receiver!: string;
  @IsString() @IsNotEmpty() conversation_id!: string;
  @IsString() @IsNotEmpty() type!: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() media?: string;
  @IsOptional() @IsString() thumbnail?: string;
  @IsOptional() @IsString() file_name?: string;
  @IsOptional() @IsInt() @Min(0) file_size?: number;
  @IsOptional() @IsInt() @Min(0) msec_timestamp?: number;
}

export class ChatParticipant {
  @IsString() @IsNotEmpty() id!: string;
  @IsOptional() @IsString() client_id?: string;
  @IsOptional() @IsString() phone?: string;
  @IsOptional() @IsString() email?: string;
}

export class ChatMessageBody {
  @IsString() @IsNotEmpty() id!: string;
  @IsString() @IsNotEmpty() type!: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() media?: string;
  @IsOptional() @IsString() thumbnail?: string;
  @IsOptional() @IsString() file_name?: string;
  @IsOptional() @IsInt() @Min(0) file_size?: number;
}

export class ChatV2Message {
  @IsDefined() @ValidateNested() @Type(() => ChatParticipant) sender!: ChatParticipant;
  @IsOptional() @ValidateNested() @Type(() => ChatParticipant) receiver?: ChatParticipant;
  @IsDefined() @ValidateNested() @Type(() => ChatParticipant) conversation!: ChatParticipant;
  @IsInt() @Min(0) timestamp!: number;
  @IsOptional() @IsInt() @Min(0) msec_timestamp?: number;
  @IsDefined() @ValidateNested() @Type(() => ChatMessageBody) message!: ChatMessageBody;
}

export class ChatTyping {
  @IsDefined() @ValidateNested() @Type(() => ChatParticipant) conversation!: ChatParticipant;
  @IsOptional() @ValidateNested() @Type(() => ChatParticipant) sender?: ChatParticipant;
  @IsOptional() @IsInt() @Min(0) expired_at?: number;
}

export class ChatReaction {
  @IsDefined() @ValidateNested() @Type(() => ChatParticipant) message!: ChatParticipant;
  @IsOptional() @ValidateNested() @Type(() => ChatParticipant) conversation?: ChatParticipant;
  @IsOptional() @ValidateNested() @Type(() => ChatParticipant) sender?: ChatParticipant;
  @IsOptional() @IsString() emoji?: string;
  @IsOptional() @IsIn(['react', 'unreact']) type?: string;
  @IsOptional() @IsBoolean() is_removed?: boolean;
}

export class ChatV2Action {
  @IsOptional() @ValidateNested() @Type(() => ChatTyping) typing?: ChatTyping;
  @IsOptional() @ValidateNested() @Type(() => ChatReaction) reaction?: ChatReaction;
}

/** v2 envelope: `account_id`, `time`, and either `message` or `action{typing|reaction}`. */
export class ChatV2Payload {
  @IsString() @IsNotEmpty() account_id!: string;
  @IsInt() @Min(0) time!: number;
  @IsOptional() @ValidateNested() @Type(() => ChatV2Message) message?: ChatV2Message;
  @IsOptional() @ValidateNested() @Type(() => ChatV2Action) action?: ChatV2Action;
}
