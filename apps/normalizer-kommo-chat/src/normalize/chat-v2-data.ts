import {
  CHAT_MESSAGE_TYPES,
  ChatMessageData,
  ChatReaction,
  ChatReactionData,
  ChatTyping,
  ChatTypingData,
  ChatV2Message,
} from '@crm/contracts';
import {
  UNREADABLE,
  firstReadable,
  member,
  readCount,
  readId,
  readNonEmptyText,
  readOneOf,
  readText,
  readTime,
  readUnixMillis,
  validatePayload,
} from '@crm/normalizer-kit';
import { refId, startChatFields, type ChatEnvelope } from './chat-fields.js';

/** v2 `message`: the fields of seeds/003 "WebHooks format for chats", Webhook v2. */
export function emitV2Message(envelope: ChatEnvelope, raw: unknown): void {
  const checked = validatePayload(ChatV2Message, raw);
  if (!checked.ok) return envelope.out.reject('message', 'invalid_payload', checked.error);
  const message = checked.value;
  const conversationId = refId(message.conversation.id);
  const time = firstReadable(readUnixMillis(message.msec_timestamp), readTime(message.timestamp));
  const data = new ChatMessageData();
  const fields = startChatFields(envelope, data, conversationId, time);
  data.webhookVersion = 2;
  data.conversationId = conversationId;
  const body = message.message;
  fields.set('messageId', readId(member(body, 'id')));
  fields.set('senderId', readId(member(message.sender, 'id')));
  fields.set('receiverId', readId(member(message.receiver, 'id')));
  fields.set('receiverPhone', readNonEmptyText(member(message.receiver, 'phone')));
  fields.set('receiverEmail', readNonEmptyText(member(message.receiver, 'email')));
  fields.set('messageType', readOneOf(member(body, 'type'), CHAT_MESSAGE_TYPES));
  fields.set('text', readText(member(body, 'text')));
  fields.set('media', readNonEmptyText(member(body, 'media')));
  fields.set('thumbnail', readNonEmptyText(member(body, 'thumbnail')));
  fields.set('fileName', readNonEmptyText(member(body, 'file_name')));
  const size = readCount(member(body, 'file_size'));
  fields.set('fileSize', size === 0 ? undefined : size); // 0: no file
  // The sender's own id names the message: part of ce_id (interfaces.md §5).
  envelope.out.emit('message', 'crm.chat.message_received', data, fields.dropped, data.messageId);
}

export function emitV2Typing(envelope: ChatEnvelope, raw: unknown): void {
  const checked = validatePayload(ChatTyping, raw);
  if (!checked.ok) return envelope.out.reject('action.typing', 'invalid_payload', checked.error);
  const typing = checked.value;
  const conversationId = refId(typing.conversation.id);
  const data = new ChatTypingData();
  const fields = startChatFields(envelope, data, conversationId, undefined);
  data.conversationId = conversationId;
  fields.set('senderId', readId(member(typing.sender, 'id')));
  fields.set('expiresAt', readTime(typing.expired_at));
  envelope.out.emit('action.typing', 'crm.chat.typing', data, fields.dropped);
}

const REACTION_KINDS = ['react', 'unreact'] as const;

/** The message id sits in `message.id` (the docs' table) or `msgid` (the docs' example). */
export function emitV2Reaction(envelope: ChatEnvelope, raw: unknown): void {
  const checked = validatePayload(ChatReaction, raw);
  if (!checked.ok) return envelope.out.reject('action.reaction', 'invalid_payload', checked.error);
  const reaction = checked.value;
  const conversationId = refId(reaction.conversation.id);
  const data = new ChatReactionData();
  const fields = startChatFields(envelope, data, conversationId, undefined);
  data.conversationId = conversationId;
  fields.set(
    'messageId',
    firstReadable(readId(member(reaction.message, 'id')), readId(reaction.msgid)),
  );
  fields.set('senderId', readId(member(reaction.sender, 'id')));
  fields.set('emoji', readNonEmptyText(reaction.emoji));
  // An unknown kind counts as unreadable; `removed` (required) then says false.
  const kind = readOneOf(reaction.type, REACTION_KINDS);
  if (kind === UNREADABLE) fields.drop('removed');
  data.removed = kind === 'unreact';
  envelope.out.emit('action.reaction', 'crm.chat.reaction', data, fields.dropped);
}
