/** Instances from decoded input, as class-transformer's `plainToInstance(cls, plain)` builds them. */
export type Instantiate = <T extends object>(cls: new () => T, plain: object) => T;

/**
 * The validation fast paths installed in this process. They are not swapped
 * into the libraries: callers (normalizer-kit's `validatePayload`) use them
 * when present and the libraries' own functions otherwise.
 */
export interface ValidationFastPaths {
  /** `plainToInstance(cls, plain)` for decoded JSON and form data. */
  instantiate?: Instantiate;
  /** True only when `validateSync(object, { forbidUnknownValues: true })` finds no errors. */
  passesValidation?: (object: object) => boolean;
}
