/** Makes a `switch` over a discriminated union exhaustive: adding a member without a case fails to compile. */
export const assertNever = (value: never, what: string): never => {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
};
