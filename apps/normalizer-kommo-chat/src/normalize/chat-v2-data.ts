import {
  ChatMessageData,
  ChatReactionData,
  ChatTypingData,
  CrmAccountRef,
  EntityRef,
  type ChatReaction,
  type ChatTyping,
  type ChatV2Message,
} from '@crm/contracts';
import { unixMillisToIso, unixSecondsToIso, type OutcomeBuilder } from '@crm/normalizer-kit';

export interface V2Envelope {
  readonly accountId: string;
  readonly time: number;
  readonly native: object;
}

function base<T extends ChatMessageData | ChatTypingData | ChatReactionData>(
  data: T,
  conversationId: string,
  occurredAt: string | undefined,
  envelope: V2Envelope,
  out: OutcomeBuilder,
): T {
  data.entity = EntityRef.of('chat', conversationId);
  data.occurredAt = occurredAt ?? unixSecondsToIso(envelope.time) ?? out.meta.receivedAt;
  const account = new CrmAccountRef();
  account.id = envelope.accountId;
  data.account = account;
  data.native = envelope.native;
  return data;
}

/** The entity of chat events is the conversation: one conversation's events stay in order. */
export function emitV2Message(
  out: OutcomeBuilder,
  message: ChatV2Message,
  envelope: V2Envelope,
): void {
  const time = unixMillisToIso(message.msec_timestamp) ?? unixSecondsToIso(message.timestamp);
  const data = base(new ChatMessageData(), message.conversation.id, time, envelope, out);
  data.webhookVersion = 2;
  data.conversationId = message.conversation.id;
  data.messageId = message.message.id;
  data.senderId = message.sender.id;
  if (message.receiver) data.receiverId = message.receiver.id;
  data.messageType = message.message.type;
  const body = message.message;
  if (body.text !== undefined) data.text = body.text;
  if (body.media) data.media = body.media;
  if (body.file_name) data.fileName = body.file_name;
  if (body.file_size) data.fileSize = body.file_size;
  out.emit('message', 'crm.chat.message_received', data);
}

export function emitV2Typing(out: OutcomeBuilder, typing: ChatTyping, envelope: V2Envelope): void {
  const data = base(new ChatTypingData(), typing.conversation.id, undefined, envelope, out);
  data.conversationId = typing.conversation.id;
  if (typing.sender) data.senderId = typing.sender.id;
  const expires = unixSecondsToIso(typing.expired_at);
  if (expires) data.expiresAt = expires;
  out.emit('action.typing', 'crm.chat.typing', data);
}

export function emitV2Reaction(
  out: OutcomeBuilder,
  reaction: ChatReaction,
  envelope: V2Envelope,
): void {
  const conversationId = reaction.conversation?.id;
  if (!conversationId)
    return out.reject('action.reaction', 'invalid_payload', 'reaction names no conversation');
  const data = base(new ChatReactionData(), conversationId, undefined, envelope, out);
  data.conversationId = conversationId;
  data.messageId = reaction.message.id;
  if (reaction.sender) data.senderId = reaction.sender.id;
  if (reaction.emoji !== undefined) data.emoji = reaction.emoji;
  data.removed = reaction.type === 'unreact' || reaction.is_removed === true;
  out.emit('action.reaction', 'crm.chat.reaction', data);
}
