import { callFunction, ExpressionFunctionError } from "../functions";

/** Call a simulated function by name, with the catalog's arity check. */
export const call = (name: string, ...args: unknown[]): unknown => callFunction(name, args);

/** Expect the call to fail the way the platform fails an expression. */
export function expectFails(name: string, ...args: unknown[]): void {
  let error: unknown;
  try {
    callFunction(name, args);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ExpressionFunctionError);
  expect((error as ExpressionFunctionError).functionName).toBe(name);
}
