import { missingFunctions, shapeMismatch } from '../shape.js';

type Metadata = object;
/** The part of class-validator's MetadataStorage the cache wraps. */
export interface CachedStorage {
  getTargetValidationMetadatas(
    target: object,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): Metadata[];
  groupByPropertyName(metadata: Metadata[]): Record<string, Metadata[]>;
  addValidationMetadata(metadata: Metadata): void;
  addConstraintMetadata(metadata: Metadata): void;
}

const WRAPPED = [
  'getTargetValidationMetadatas',
  'groupByPropertyName',
  'addValidationMetadata',
  'addConstraintMetadata',
] as const;

/** Why class-validator's metadata storage is not what the cache wraps, if it is not. */
export function metadataStorageMismatch(storage: unknown): string | undefined {
  const problems = missingFunctions(storage, WRAPPED).map((name) => `${name}()`);
  // Own methods mean someone already wrapped them: wrapping again would hide theirs.
  for (const name of WRAPPED)
    if (problems.length === 0 && Object.hasOwn(storage as object, name))
      problems.push(`${name}() already replaced`);
  return shapeMismatch('class-validator MetadataStorage', problems);
}

/**
 * class-validator recomputes a class's rule list (walking every registered
 * class for inheritance) on every validate call; that dominated the
 * normalizers' hot path. This memoizes the lookup per class and options on the
 * storage instance, and forgets everything whenever a new rule or constraint
 * is registered. Returns the rule-registration counter derived caches compare
 * with to stay fresh.
 */
export function installMetadataCache(storage: CachedStorage): () => number {
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  let generation = 0;
  let rules = new Map<object, Map<string, Metadata[]>>();
  let grouped = new WeakMap<Metadata[], Record<string, Metadata[]>>();
  const forget = () => {
    generation += 1;
    rules = new Map();
    grouped = new WeakMap();
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addRule(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\0${always}\0${strictGroups}\0${(groups ?? []).join('\0')}`;
    let byKey = rules.get(target);
    if (!byKey) rules.set(target, (byKey = new Map<string, Metadata[]>()));
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  return () => generation;
}
