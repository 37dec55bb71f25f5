import type { plainToInstance } from 'class-transformer';
import type { Instantiate } from '../class-validator/validation-fast-paths.js';
import { isRecord, missingFunctions, shapeMismatch } from '../shape.js';

/**
 * `plainToInstance(cls, plain)` for decoded JSON and form data, without
 * class-transformer's per-key metadata searches (expose, exclude and transform
 * lookups through every ancestor, key de-duplication): 7-10% of a
 * normalizer's CPU. It follows class-transformer 0.5.1's default
 * plain-to-class path step for step (`@Type` classes, reflected array types,
 * skipped `__proto__`/`constructor` keys and keys that would shadow a method
 * or getter, unset fields kept) and covers only what decoded input contains:
 * plain or null-prototype objects, arrays and primitives, into classes whose
 * only class-transformer decorator is `@Type` without a discriminator.
 * Anything else (Maps, Sets, Dates, Buffers, class instances in the input,
 * `@Expose`/`@Exclude`/`@Transform`, primitive `@Type`s) and any exception go
 * to class-transformer itself, so the result is always class-transformer's.
 * The spec compares both on thousands of generated inputs.
 */
interface TypeMetadata {
  readonly typeFunction?: (options: object) => unknown;
  readonly reflectedType?: unknown;
  readonly options?: { readonly discriminator?: unknown };
}
/** class-transformer's private `defaultMetadataStorage` (cjs/storage.js), the parts read here. */
export interface TransformerStorage {
  findTypeMetadata(target: unknown, propertyName: string): TypeMetadata | undefined;
  getAncestors(target: unknown): unknown[];
  readonly _exposeMetadatas?: unknown;
  readonly _excludeMetadatas?: unknown;
  readonly _transformMetadatas?: unknown;
}
type Constructor = new () => object;

const DECORATOR_MAPS = ['_exposeMetadatas', '_excludeMetadatas', '_transformMetadatas'] as const;

/** Why class-transformer's storage is not what instantiate reads, if it is not. */
export function transformerStorageMismatch(storage: unknown): string | undefined {
  const problems = missingFunctions(storage, ['findTypeMetadata', 'getAncestors']).map(
    (name) => `${name}()`,
  );
  for (const map of DECORATOR_MAPS)
    if (!isRecord(storage) || !(storage[map] instanceof Map)) problems.push(`${map} Map`);
  return shapeMismatch('class-transformer defaultMetadataStorage', problems);
}

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('left to class-transformer');
const PRIMITIVE_TYPES = new Set<unknown>([String, Number, Boolean, Date, Buffer]);

export function createInstantiate(
  storage: TransformerStorage,
  stock: typeof plainToInstance,
): Instantiate {
  /** Classes checked to carry no decorator but `@Type` (true), or found to carry one (false). */
  const plainClasses = new Map<unknown, boolean>();

  function build(value: unknown, targetType: unknown, arrayType: unknown): unknown {
    if (Array.isArray(value)) {
      if (arrayType !== undefined && arrayType !== Array && arrayType !== Object) throw UNSUPPORTED;
      const items: unknown[] = [];
      // forEach, like class-transformer: holes are skipped, so the result is dense.
      value.forEach((item: unknown) => items.push(build(item, targetType, undefined)));
      return items;
    }
    if (PRIMITIVE_TYPES.has(targetType)) throw UNSUPPORTED;
    if (typeof value !== 'object' || value === null) return value;
    const constructor = (value as { constructor?: unknown }).constructor;
    if (constructor !== Object && constructor !== undefined) throw UNSUPPORTED; // Map, Set, Date, Buffer, instances
    if (targetType !== undefined) assertPlainClass(targetType);
    const out = (targetType === undefined ? {} : new (targetType as Constructor)()) as Record<
      string,
      unknown
    >;
    const prototype = (out.constructor as { prototype?: object } | undefined)?.prototype;
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      if (key === '__proto__' || key === 'constructor') continue;
      const item = source[key];
      let itemType: unknown;
      let itemArrayType: unknown;
      if (targetType !== undefined) {
        const metadata = storage.findTypeMetadata(targetType, key);
        if (metadata) {
          if (metadata.options?.discriminator || metadata.reflectedType === Map) throw UNSUPPORTED;
          itemType = metadata.typeFunction
            ? metadata.typeFunction({ newObject: out, object: value, property: key })
            : metadata.reflectedType;
          if (Array.isArray(item)) itemArrayType = metadata.reflectedType;
        }
      }
      // class-transformer never overwrites a method, a getter without setter, or an inherited function.
      if (prototype) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
        if ((descriptor && !descriptor.set) || out[key] instanceof Function) continue;
      }
      out[key] = build(item, itemType, itemArrayType);
    }
    return out;
  }

  function assertPlainClass(target: unknown): void {
    let plain = plainClasses.get(target);
    if (plain === undefined) {
      const maps = DECORATOR_MAPS.map((map) => storage[map]);
      plain =
        typeof target === 'function' &&
        maps.every((map) => map instanceof Map) &&
        [target, ...storage.getAncestors(target)].every((cls) =>
          maps.every((map) => !(map as Map<unknown, unknown>).has(cls)),
        );
      plainClasses.set(target, plain);
    }
    if (!plain) throw UNSUPPORTED;
  }

  return function instantiate<T extends object>(cls: new () => T, plain: object): T {
    try {
      return build(plain, cls, undefined) as T;
    } catch {
      return stock(cls, plain);
    }
  };
}
