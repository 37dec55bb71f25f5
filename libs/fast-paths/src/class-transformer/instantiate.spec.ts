import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import * as contracts from '@crm/contracts';
import { installedValidation } from '../test-support/installed-fast-paths.js';
import { seededRandom } from '../test-support/seeded-random.js';

const { instantiate } = installedValidation();

class Leaf {
  name?: unknown;
  get upper(): string {
    return String(this.name).toUpperCase();
  }
  describe(): string {
    return `leaf ${String(this.name)}`;
  }
}

class Base {
  @Type(() => Leaf) inherited?: unknown;
}

class Subject extends Base {
  @Type(() => Leaf) leaf?: unknown;
  @Type(() => Leaf) leaves?: Leaf[];
  @Type(() => Subject) child?: unknown;
  untyped?: unknown;
  text?: string;
}

class WithExpose {
  @Expose({ name: 'renamed' }) value?: unknown;
}
class WithExclude {
  @Exclude() secret?: unknown;
  kept?: unknown;
}
class WithTransform {
  @Transform(({ value }: { value: unknown }) => `t:${String(value)}`) value?: unknown;
}

/** instantiate gives what plainToInstance gives, or throws what it throws. */
function assertSameAsClassTransformer(cls: new () => object, plain: object, label: string): void {
  let expected: object;
  try {
    expected = plainToInstance(cls, plain);
  } catch (error) {
    // class-transformer fails on untyped objects with an own `constructor` key: so must we.
    assert.throws(() => instantiate(cls, plain), { message: (error as Error).message }, label);
    return;
  }
  assertSameShape(instantiate(cls, plain), expected, label);
}

/** Same constructor at every level, same own keys in the same order, same leaves. */
function assertSameShape(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected !== 'object' || expected === null) {
    assert.ok(Object.is(actual, expected), `${path}: ${String(actual)} vs ${String(expected)}`);
    return;
  }
  assert.ok(typeof actual === 'object' && actual !== null, `${path}: not an object`);
  assert.equal(
    Object.getPrototypeOf(actual),
    Object.getPrototypeOf(expected),
    `${path}: prototype`,
  );
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${path}: keys`);
  for (const key of Object.keys(expected))
    assertSameShape(
      (actual as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
}

const random = seededRandom(5);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const KEYS = ['leaf', 'leaves', 'child', 'untyped', 'text', 'inherited', 'name', 'upper'];
const TRICKY_KEYS = ['__proto__', 'constructor', 'toString', 'describe', 'hasOwnProperty', '0'];

function randomValue(depth: number): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.35) return pick(['x', '', 0, 7, -1.5, true, false, null, undefined]);
  if (roll < 0.55) {
    const items = Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
    if (random() < 0.1) items.length += 2; // holes
    return items;
  }
  const object = (random() < 0.2 ? Object.create(null) : {}) as Record<string, unknown>;
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i += 1) {
    const key = random() < 0.15 ? pick(TRICKY_KEYS) : pick(KEYS);
    // JSON.parse makes own `__proto__` keys; plain assignment would set the prototype.
    Object.defineProperty(object, key, {
      value: randomValue(depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

describe('instantiate', () => {
  it('builds exactly what plainToInstance builds, for thousands of decoded-style inputs', () => {
    for (let round = 0; round < 3_000; round += 1) {
      const plain = randomValue(0);
      if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) continue;
      assertSameAsClassTransformer(Subject, plain, `round ${round}`);
    }
  });

  it('leaves classes with other class-transformer decorators to class-transformer', () => {
    const plain = { renamed: 1, value: 2, secret: 3, kept: 4 };
    for (const cls of [WithExpose, WithExclude, WithTransform] as (new () => object)[])
      assertSameShape(instantiate(cls, plain), plainToInstance(cls, plain), cls.name);
    assert.equal(instantiate(WithTransform, { value: 1 }).value, 't:1');
    assert.equal(instantiate(WithExpose, { renamed: 1 }).value, 1);
    assert.equal(instantiate(WithExclude, plain).secret, undefined);
  });

  it('leaves inputs decoders never make (Dates, Maps, instances) to class-transformer', () => {
    const plain = { leaf: new Date(0), untyped: new Map([['a', 1]]), child: new Leaf() };
    assertSameShape(instantiate(Subject, plain), plainToInstance(Subject, plain));
  });

  it('builds what plainToInstance builds for every contract payload and event class', () => {
    const classes = Object.values(contracts).filter(
      (value): value is new () => object =>
        typeof value === 'function' &&
        /^class\b/.test(Function.prototype.toString.call(value)) &&
        value.length === 0,
    );
    assert.ok(classes.length > 20, `found ${classes.length} classes`);
    for (const cls of classes) {
      const keys = Object.keys(new cls());
      for (let round = 0; round < 100; round += 1) {
        const plain: Record<string, unknown> = {};
        for (const key of keys) if (random() < 0.7) plain[key] = randomValue(1);
        assertSameAsClassTransformer(cls, plain, cls.name);
      }
    }
  });
});
