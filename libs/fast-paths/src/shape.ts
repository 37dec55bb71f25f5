/** The names among `members` that are not functions on `value` (own or inherited). */
export function missingFunctions(value: unknown, members: readonly string[]): string[] {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return [...members];
  return members.filter((member) => typeof Reflect.get(value, member) !== 'function');
}

/** A skip reason when `problems` is not empty: `<subject> has changed: a, b`. */
export function shapeMismatch(subject: string, problems: readonly string[]): string | undefined {
  return problems.length === 0 ? undefined : `${subject} has changed: ${problems.join(', ')}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
