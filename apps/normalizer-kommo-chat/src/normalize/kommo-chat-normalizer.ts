import {
  ChatMessageData,
  ChatV1Payload,
  ChatV2Payload,
  EntityRef,
  PipelineError,
} from '@crm/contracts';
import {
  OutcomeBuilder,
  parseJson,
  unixMillisToIso,
  validatePayload,
  type DeliveryMeta,
  type NormalizeOutcome,
} from '@crm/normalizer-kit';
import { emitV2Message, emitV2Reaction, emitV2Typing } from './chat-v2-data.js';

const CHAT_JSON_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16 };

function decode(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = parseJson(body, CHAT_JSON_LIMITS);
  } catch (error) {
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
  const checked = validatePayload(ChatV2Payload, json);
  if (!checked.ok) return out.reject('body', 'invalid_payload', checked.error);
  const payload = checked.value;
  const envelope = { accountId: payload.account_id, time: payload.time, native: json };
  if (payload.message) return emitV2Message(out, payload.message, envelope);
  const action = payload.action;
  if (action?.typing) emitV2Typing(out, action.typing, envelope);
  if (action?.reaction) emitV2Reaction(out, action.reaction, envelope);
  if (!action?.typing && !action?.reaction) {
    const kinds = Object.keys((json['action'] as object | undefined) ?? {}).join(',') || 'none';
    out.reject('action', 'unsupported_event', `no canonical event for chat action "${kinds}"`);
  }
}

function v1(out: OutcomeBuilder, json: Record<string, unknown>): void {
  const checked = validatePayload(ChatV1Payload, json);
  if (!checked.ok) return out.reject('body', 'invalid_payload', checked.error);
  const message = checked.value;
  const data = new ChatMessageData();
  data.entity = EntityRef.of('chat', message.conversation_id);
  data.occurredAt = unixMillisToIso(message.msec_timestamp) ?? out.meta.receivedAt;
  data.native = json;
  data.webhookVersion = 1;
  data.conversationId = message.conversation_id;
  data.receiverId = message.receiver;
  data.messageType = message.type;
  if (message.text !== undefined) data.text = message.text;
  if (message.media) data.media = message.media;
  if (message.file_name) data.fileName = message.file_name;
  if (message.file_size) data.fileSize = message.file_size;
  out.emit('message', 'crm.chat.message_received', data);
}
