import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsIdLike } from './payload-validators.js';

/*
 * Chat-channel (amojo) webhooks, JSON. Each class validates only what no event
 * can be built without: the conversation, the entity of every chat event.
 * Every other field is `unknown`, read leniently by the normalizer (numbers as
 * strings, ...), which leaves out and counts what it cannot read.
 *
 * Field names: ../seeds "WebHooks format for chats" (v1 and v2 messages);
 * `msec_timestamp`, `source`, `markup`, `template` from the vendor samples in
 * the fixtures; typing and reactions from Kommo's chat-webhook docs (not a
 * seed), whose reaction example names the message `msgid` while its table
 * has a `message` object: both are read.
 */

/** The deprecated flat v1 message. */
export class ChatV1Payload {
  @IsIdLike() conversation_id!: string | number;
  /** Chat participant id on the integration side. */
  receiver?: unknown;
  type?: unknown;
  text?: unknown;
  media?: unknown;
  thumbnail?: unknown;
  file_name?: unknown;
  file_size?: unknown;
  /** Not in the seed's v1 example; vendor samples carry it. */
  msec_timestamp?: unknown;
}

/** `{id, ...}`: a conversation (also `client_id` on v2 bodies). */
export class ChatRef {
  @IsIdLike() id!: string | number;
}

/** v2 `message`: the envelope's message event. */
export class ChatV2Message {
  @IsDefined() @ValidateNested() @Type(() => ChatRef) conversation!: ChatRef;
  /** `{id}`. */
  sender?: unknown;
  /** `{id, phone?, email?, client_id?}`: phone and email only when the profile was passed. */
  receiver?: unknown;
  timestamp?: unknown;
  msec_timestamp?: unknown;
  /** `{id, type, text, media, thumbnail, file_name, file_size, ...}`. */
  message?: unknown;
}

/** v2 `action.typing`. */
export class ChatTyping {
  @IsDefined() @ValidateNested() @Type(() => ChatRef) conversation!: ChatRef;
  sender?: unknown;
  expired_at?: unknown;
}

/** v2 `action.reaction`. */
export class ChatReaction {
  @IsDefined() @ValidateNested() @Type(() => ChatRef) conversation!: ChatRef;
  /** `{id, client_id?}` (the docs' table). */
  message?: unknown;
  /** The message id as the docs' example names it. */
  msgid?: unknown;
  sender?: unknown;
  emoji?: unknown;
  /** `react` | `unreact`. */
  type?: unknown;
}
