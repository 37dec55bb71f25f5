import { printPureThroughput } from '@crm/normalizer-kit/bench';
import { normalizeKommoChat } from '../normalize/kommo-chat-normalizer.js';

/**
 * Pure-path throughput over every repo fixture: one JSON line for tools/bench-normalizers.
 * Not in the service image: its build stage deletes every `dist/bench`.
 */
printPureThroughput(normalizeKommoChat, 'kommo-chat', new URL('../../fixtures/', import.meta.url));
