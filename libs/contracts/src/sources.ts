/** Every CRM source the platform accepts, as used in routes, topics and headers. */
export const SOURCES = ['kommo', 'amocrm', 'kommo-chat', 'pipeliner'] as const;
export type Source = (typeof SOURCES)[number];

/** Sources authenticated by a URL token (no body signature). */
export const TOKEN_SOURCES: readonly Source[] = ['kommo', 'amocrm'];

export function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}
