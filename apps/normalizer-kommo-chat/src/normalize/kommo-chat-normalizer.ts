import {
  CHAT_MESSAGE_TYPES,
  ChatMessageData,
  ChatV1Payload,
  PipelineError,
  SENDER_POLICY,
} from '@crm/contracts';
import {
  OutcomeBuilder,
  member,
  parseJson,
  readCount,
  readId,
  readNonEmptyText,
  readOneOf,
  readText,
  readTime,
  readUnixMillis,
  validatePayload,
  type DeliveryMeta,
  type NormalizeOutcome,
} from '@crm/normalizer-kit';
import { refId, startChatFields, type ChatEnvelope } from './chat-fields.js';
import { emitV2Message, emitV2Reaction, emitV2Typing } from './chat-v2-data.js';

const CHAT_JSON_LIMITS = { maxBytes: SENDER_POLICY['kommo-chat'].bodyLimitBytes, maxDepth: 16 };

/** One JSON object is one item (the cap of 1 holds by construction): any other body is refused. */
function decode(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = parseJson(body, CHAT_JSON_LIMITS);
  } catch (error) {
    if (error instanceof PipelineError) throw error; // invalid_utf8
    throw new PipelineError(
      'invalid_payload',
      error instanceof Error ? error.message : 'not JSON',
      false,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PipelineError('invalid_payload', 'chat webhook body is not a JSON object', false);
  return json as Record<string, unknown>;
}

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Chat-channel webhooks: v2 `{account_id, time, message | action{typing|reaction}}`
 * and the deprecated flat v1 message. One body is one item (two if an action
 * carries both typing and reaction).
 */
export function normalizeKommoChat(body: Buffer, meta: DeliveryMeta): NormalizeOutcome {
  const json = decode(body);
  const out = new OutcomeBuilder(meta, body);
  if (has(json, 'account_id') || has(json, 'message') || has(json, 'action')) v2(out, json);
  else if (has(json, 'conversation_id')) v1(out, json);
  else out.reject('body', 'unsupported_event', 'neither a chat v1 nor a v2 webhook');
  return out.outcome();
}

function v2(out: OutcomeBuilder, json: Record<string, unknown>): void {
  const envelope: ChatEnvelope = {
    out,
    account: readId(json['account_id']),
    time: readTime(json['time']),
    native: json,
  };
  if (has(json, 'message')) return emitV2Message(envelope, json['message']);
  const action = json['action'];
  const typing = member(action, 'typing');
  const reaction = member(action, 'reaction');
  if (typing !== undefined) emitV2Typing(envelope, typing);
  if (reaction !== undefined) emitV2Reaction(envelope, reaction);
  if (typing === undefined && reaction === undefined) {
    const kinds =
      typeof action === 'object' && action !== null ? Object.keys(action).join(',') : '';
    out.reject(
      'action',
      'unsupported_event',
      `no canonical event for chat action "${kinds || 'none'}"`,
    );
  }
}

/** The deprecated v1 message (seeds/003, Webhook v1); its example carries no time. */
function v1(out: OutcomeBuilder, json: Record<string, unknown>): void {
  const checked = validatePayload(ChatV1Payload, json);
  if (!checked.ok) return out.reject('body', 'invalid_payload', checked.error);
  const message = checked.value;
  const conversationId = refId(message.conversation_id);
  const envelope: ChatEnvelope = { out, account: undefined, time: undefined, native: json };
  const data = new ChatMessageData();
  const fields = startChatFields(
    envelope,
    data,
    conversationId,
    readUnixMillis(message.msec_timestamp),
  );
  data.webhookVersion = 1;
  data.conversationId = conversationId;
  fields.set('receiverId', readId(message.receiver));
  fields.set('messageType', readOneOf(message.type, CHAT_MESSAGE_TYPES));
  fields.set('text', readText(message.text));
  fields.set('media', readNonEmptyText(message.media));
  fields.set('thumbnail', readNonEmptyText(message.thumbnail));
  fields.set('fileName', readNonEmptyText(message.file_name));
  const size = readCount(message.file_size);
  fields.set('fileSize', size === 0 ? undefined : size); // 0: no file
  out.emit('message', 'crm.chat.message_received', data, fields.dropped);
}
