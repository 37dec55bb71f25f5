import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { BaseEventData, EntityRef } from './event-data-base.js';

/** `crm.message.received`: a Kommo account `message[add]` item. */
export class MessageReceivedData extends BaseEventData {
  @IsOptional() @IsString() @IsNotEmpty() chatId?: string;
  @IsOptional() @IsString() @IsNotEmpty() conversationId?: string;
  @IsOptional() @IsString() @IsNotEmpty() contactId?: string;
  @IsOptional() @IsString() text?: string;
  /** incoming | outgoing as sent. */
  @IsOptional() @IsString() direction?: string;
  @IsOptional() @IsString() origin?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EntityRef)
  parent?: EntityRef;
}

/** `crm.conversation.created|updated`: a Kommo account `talk[...]` item. */
export class ConversationEventData extends BaseEventData {
  @IsOptional() @IsString() @IsNotEmpty() chatId?: string;
  @IsOptional() @IsString() @IsNotEmpty() contactId?: string;
  @IsOptional() @IsBoolean() isRead?: boolean;
  @IsOptional() @IsBoolean() isInWork?: boolean;
  @IsOptional() @IsString() origin?: string;
  @IsOptional() @IsISO8601({ strict: true }) createdAt?: string;
  @IsOptional() @IsISO8601({ strict: true }) updatedAt?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => EntityRef)
  parent?: EntityRef;
}

export const CHAT_MESSAGE_TYPES = [
  'text',
  'file',
  'video',
  'picture',
  'voice',
  'audio',
  'sticker',
  'location',
  'contact',
] as const;

/**
 * `crm.chat.message_received`: chat-channel webhook v1 or v2 message. Fields
 * the webhook does not carry or that cannot be read are left out (`native` has them).
 */
export class ChatMessageData extends BaseEventData {
  /** 1 or 2: the chat webhook version it came from. */
  @IsIn([1, 2]) webhookVersion!: 1 | 2;
  @IsString() @IsNotEmpty() conversationId!: string;
  @IsOptional() @IsString() @IsNotEmpty() messageId?: string;
  @IsOptional() @IsString() @IsNotEmpty() senderId?: string;
  @IsOptional() @IsString() @IsNotEmpty() receiverId?: string;
  /** v2 `message[receiver][phone]`: sent only when the profile was passed. */
  @IsOptional() @IsString() @IsNotEmpty() receiverPhone?: string;
  /** v2 `message[receiver][email]`: sent only when the profile was passed. */
  @IsOptional() @IsString() @IsNotEmpty() receiverEmail?: string;
  @IsOptional() @IsIn(CHAT_MESSAGE_TYPES) messageType?: (typeof CHAT_MESSAGE_TYPES)[number];
  @IsOptional() @IsString() text?: string;
  /** Url of the file, video, picture, voice, audio or sticker. */
  @IsOptional() @IsString() media?: string;
  /** Url of the picture or video thumbnail. */
  @IsOptional() @IsString() thumbnail?: string;
  @IsOptional() @IsString() fileName?: string;
  @IsOptional() @IsInt() @Min(0) fileSize?: number;
}

/** `crm.chat.typing`. */
export class ChatTypingData extends BaseEventData {
  @IsOptional() @IsString() @IsNotEmpty() conversationId?: string;
  @IsOptional() @IsString() @IsNotEmpty() senderId?: string;
  @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
}

/** `crm.chat.reaction`. */
export class ChatReactionData extends BaseEventData {
  /** The message reacted to; left out when the webhook names none that can be read. */
  @IsOptional() @IsString() @IsNotEmpty() messageId?: string;
  @IsOptional() @IsString() @IsNotEmpty() conversationId?: string;
  @IsOptional() @IsString() @IsNotEmpty() senderId?: string;
  @IsOptional() @IsString() emoji?: string;
  /** True when the reaction was taken back. */
  @IsBoolean() removed!: boolean;
}
