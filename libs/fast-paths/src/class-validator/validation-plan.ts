import type {
  MetadataStorage,
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isRecord, missingFunctions, shapeMismatch } from '../shape.js';

type Metadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Condition = (object: object, value: unknown) => unknown;
type RuleKinds = Pick<
  typeof ValidationTypes,
  'CUSTOM_VALIDATION' | 'IS_DEFINED' | 'NESTED_VALIDATION' | 'CONDITIONAL_VALIDATION' | 'WHITELIST'
>;

interface Rule {
  readonly meta: Metadata;
  readonly validators: readonly ValidatorConstraintInterface[];
}

interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly Condition[];
  readonly defined: readonly Rule[];
  readonly custom: readonly Rule[];
  readonly nested: readonly Metadata[];
}

/** `null`: the class uses a rule kind the plan does not model; class-validator decides alone. */
type Plan = readonly PropertyPlan[] | null;
/** Per class and schema name (nested objects pass their parent rule's class name, as class-validator does). */
interface CachedPlan {
  readonly generation: number;
  readonly plan: Plan;
}

/** What the plan reads: class-validator's storage and rule kinds, and the cache's registration counter. */
export interface ValidationPlanParts {
  readonly storage: MetadataStorage;
  readonly kinds: RuleKinds;
  readonly rulesGeneration: () => number;
}

const RULE_KINDS = [
  'CUSTOM_VALIDATION',
  'IS_DEFINED',
  'NESTED_VALIDATION',
  'CONDITIONAL_VALIDATION',
  'WHITELIST',
] as const;

/** Why class-validator's storage and rule kinds are not what the plan reads, if they are not. */
export function validationPlanMismatch(storage: unknown, kinds: unknown): string | undefined {
  const problems = missingFunctions(storage, [
    'getTargetValidationMetadatas',
    'groupByPropertyName',
    'getTargetValidatorConstraints',
  ]).map((name) => `MetadataStorage.${name}()`);
  const holder = typeof kinds === 'function' || isRecord(kinds) ? kinds : {};
  for (const kind of RULE_KINDS)
    if (typeof Reflect.get(holder, kind) !== 'string') problems.push(`ValidationTypes.${kind}`);
  return shapeMismatch('class-validator', problems);
}

/**
 * Returns `passesValidation(object)`: true only when
 * `validateSync(object, { forbidUnknownValues: true })` would return no
 * errors. It walks the same class-validator metadata and calls the same
 * constraint validators as class-validator's executor, in the same order and
 * with the same arguments, but builds no `ValidationError` tree, which is what
 * made validation a quarter of a normalizer's CPU. False means "not proven
 * valid": the caller then runs `validateSync` for the verdict and the
 * messages, so a rule kind this plan does not model (promise validation), an
 * async or promise-returning validator, or a validator that throws costs
 * speed, never a different answer. Plans are cached per class and rebuilt
 * when rules are registered.
 */
export function createValidationPlan({
  storage,
  kinds,
  rulesGeneration,
}: ValidationPlanParts): (object: object) => boolean {
  const plans = new Map<unknown, Map<string | undefined, CachedPlan>>();
  const supported = new Set<string>(RULE_KINDS.map((kind) => kinds[kind]));

  function objectPasses(object: object, schema: string | undefined): boolean {
    const plan = planOf(object.constructor, schema);
    if (plan === null) return false;
    const record = object as Record<string, unknown>;
    const targetName = (object.constructor as { name?: string } | undefined)?.name as string;
    for (const property of plan)
      if (!propertyPasses(object, targetName, record[property.name], property)) return false;
    return true;
  }

  function propertyPasses(
    object: object,
    targetName: string,
    value: unknown,
    property: PropertyPlan,
  ): boolean {
    let canValidate = true;
    for (const condition of property.conditions)
      canValidate = !!condition(object, value) && canValidate;
    if (!canValidate) return true;
    return (
      rulesPass(object, targetName, value, property.defined) &&
      rulesPass(object, targetName, value, property.custom) &&
      nestedPasses(value, property.nested)
    );
  }

  function nestedPasses(value: unknown, nested: readonly Metadata[]): boolean {
    if (value === undefined) return true;
    for (const meta of nested) {
      if (isCollection(value)) {
        const items = value instanceof Map ? value.values() : value;
        for (const item of items) if (!nestedPasses(item, nested)) return false;
      } else if (value instanceof Object) {
        if (!objectPasses(value, typeof meta.target === 'string' ? meta.target : meta.target.name))
          return false;
      } else {
        return false;
      }
    }
    return true;
  }

  function planOf(target: unknown, schema: string | undefined): Plan {
    let bySchema = plans.get(target);
    if (!bySchema) plans.set(target, (bySchema = new Map<string | undefined, CachedPlan>()));
    const cached = bySchema.get(schema);
    const generation = rulesGeneration();
    if (cached?.generation === generation) return cached.plan;
    const metas = storage.getTargetValidationMetadatas(
      target as new () => object,
      schema as string,
      false,
      false,
    );
    const plan = buildPlan(metas);
    bySchema.set(schema, { generation, plan });
    return plan;
  }

  /** `null` also for a class without rules: forbidUnknownValues rejects its objects. */
  function buildPlan(metas: readonly Metadata[]): Plan {
    if (metas.length === 0 || metas.some((meta) => !supported.has(meta.type))) return null;
    const byProperty = storage.groupByPropertyName([...metas]);
    return Object.keys(byProperty).map((name) => {
      const own = byProperty[name] ?? [];
      const ofType = (type: string) => own.filter((meta) => meta.type === type);
      return {
        name,
        conditions: ofType(kinds.CONDITIONAL_VALIDATION).map(
          (meta) => meta.constraints[0] as Condition,
        ),
        defined: ofType(kinds.IS_DEFINED).map(rule),
        custom: ofType(kinds.CUSTOM_VALIDATION).map(rule),
        nested: ofType(kinds.NESTED_VALIDATION),
      };
    });
  }

  /** Sync validators only: `validateSync` ignores async ones. Instances resolved once. */
  function rule(meta: Metadata): Rule {
    return {
      meta,
      validators: storage
        .getTargetValidatorConstraints(meta.constraintCls)
        .filter((constraint) => !constraint.async)
        .map((constraint) => constraint.instance),
    };
  }

  return function passesValidation(object: object): boolean {
    try {
      return objectPasses(object, undefined);
    } catch {
      return false;
    }
  };
}

function rulesPass(
  object: object,
  targetName: string,
  value: unknown,
  rules: readonly Rule[],
): boolean {
  for (const { meta, validators } of rules) {
    if (meta.validateIf && !meta.validateIf(object, value)) continue;
    for (const validator of validators) {
      const args: ValidationArguments = {
        targetName,
        property: meta.propertyName,
        object,
        value,
        constraints: meta.constraints,
      };
      if (!meta.each || !isCollection(value)) {
        if (!accepted(validator.validate(value, args))) return false;
        continue;
      }
      const items = value instanceof Map ? value.values() : value;
      for (const item of items) if (!accepted(validator.validate(item, args))) return false;
    }
  }
  return true;
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

/** A promise result is left to class-validator (which skips it in sync mode). */
function accepted(result: unknown): boolean {
  if (typeof result === 'object' && result !== null && 'then' in result) return false;
  return !!result;
}
