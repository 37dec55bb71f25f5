import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateBy,
  ValidateIf,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { installedValidation } from '../test-support/installed-fast-paths.js';
import { seededRandom } from '../test-support/seeded-random.js';

// Installed as a service installs it: the metadata cache, then the plan on top of it.
const { passesValidation } = installedValidation();

const classValidatorPasses = (object: object) =>
  validateSync(object, { forbidUnknownValues: true }).length === 0;

class Leaf {
  @IsString() name?: unknown;
  @IsOptional() @IsInt() @Min(0) count?: unknown;
}

class Base {
  @IsDefined() @IsString() id?: unknown;
  @IsOptional() @IsString() note?: unknown;
}

/** Every rule kind the plan models: inheritance with an override, conditions, `each`, nesting. */
class Subject extends Base {
  // Overrides the inherited @IsString (same rule kind); the inherited @IsDefined still applies.
  @IsInt() declare id?: unknown;
  @IsOptional() @IsIn(['x', 'y']) kind?: unknown;
  @ValidateIf((object: Subject) => object.kind === 'x') @IsString() whenX?: unknown;
  @IsString({ each: true }) tags?: unknown;
  @IsString({ validateIf: (object: Subject) => object.kind !== 'y' }) label?: unknown;
  @IsOptional() @ValidateNested() @Type(() => Leaf) leaf?: unknown;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Leaf) leaves?: unknown;
  @IsDefined() @ValidateNested() required?: unknown;
}

function leaf(name: unknown, count?: unknown): Leaf {
  return Object.assign(new Leaf(), { name, count });
}

const POOL: readonly (() => unknown)[] = [
  () => undefined,
  () => null,
  () => '',
  () => 'a',
  () => 'x',
  () => 'y',
  () => 1,
  () => -1,
  () => 1.5,
  () => true,
  () => [],
  () => ['a', 'b'],
  () => ['a', 1],
  () => [undefined],
  () => [null],
  () => new Set(['a']),
  () => new Set([1]),
  () => new Map([['k', 'a']]),
  () => new Map([['k', 2]]),
  () => ({}),
  () => Object.create(null) as object,
  () => leaf('n'),
  () => leaf('n', 3),
  () => leaf(5),
  () => leaf('n', -2),
  () => [leaf('n'), leaf('m', 1)],
  () => [leaf('n'), leaf(1)],
  () => [leaf('n'), {}],
  () => new Set([leaf('n')]),
  () => new Map([['k', leaf('n')]]),
  () => new Map([['k', leaf(null)]]),
];
const PROPERTIES = ['id', 'note', 'kind', 'whenX', 'tags', 'label', 'leaf', 'leaves', 'required'];

describe('passesValidation', () => {
  it('agrees with validateSync on thousands of objects over every modelled rule kind', () => {
    const random = seededRandom(11);
    let valid = 0;
    for (let round = 0; round < 4_000; round += 1) {
      const subject = new Subject();
      // Bias towards values the rules accept, so both verdicts occur often.
      const values: Record<string, unknown> = {
        id: 7,
        tags: ['a'],
        label: 'l',
        required: leaf('r'),
      };
      for (const property of PROPERTIES)
        if (random() < 0.3) {
          const make = POOL[Math.floor(random() * POOL.length)];
          values[property] = make?.();
        }
      Object.assign(subject, values);
      const expected = classValidatorPasses(subject);
      if (expected) valid += 1;
      assert.equal(passesValidation(subject), expected, JSON.stringify(values));
    }
    assert.ok(valid > 400 && valid < 3_600, `both verdicts exercised (${valid} valid)`);
  });

  it('refuses objects of classes without rules, like forbidUnknownValues', () => {
    assert.equal(passesValidation({}), false);
    assert.equal(passesValidation(new (class Unknown {})()), false);
    assert.equal(passesValidation(leaf('n')), true);
  });

  it('skips async rules as validateSync does, and leaves promises to it', () => {
    @ValidatorConstraint({ name: 'later', async: true })
    class Later implements ValidatorConstraintInterface {
      validate(): Promise<boolean> {
        return Promise.resolve(false);
      }
    }
    class AsyncOnly {
      @Validate(Later) value?: unknown;
    }
    class Promised {
      @ValidateBy({ name: 'promised', validator: { validate: () => Promise.resolve(false) } })
      value?: unknown;
    }
    // validateSync skips async rules, and cannot see a sync rule's promised answer.
    assert.equal(classValidatorPasses(new AsyncOnly()), true);
    assert.equal(passesValidation(new AsyncOnly()), true);
    assert.equal(classValidatorPasses(new Promised()), true);
    // The plan does not claim validity it cannot see; callers then ask validateSync.
    assert.equal(passesValidation(new Promised()), false);
  });

  it('sees rules registered after it planned a class (the metadata cache forgets on registration)', () => {
    class Late {
      @IsDefined() name?: unknown;
    }
    const late = Object.assign(new Late(), { name: 7 });
    assert.equal(passesValidation(late), true);
    IsString()(Late.prototype, 'name');
    assert.equal(classValidatorPasses(late), false);
    assert.equal(passesValidation(late), false);
  });

  it('never crashes: a throwing rule is left to validateSync', () => {
    class Throws {
      @ValidateBy({
        name: 'throws',
        validator: {
          validate: () => {
            throw new Error('boom');
          },
        },
      })
      value?: unknown;
    }
    assert.equal(passesValidation(new Throws()), false);
    assert.throws(() => validateSync(new Throws()), /boom/);
  });
});
