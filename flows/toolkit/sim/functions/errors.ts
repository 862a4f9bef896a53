/** Thrown by every simulated WDL function when the platform would fail the expression. */
export class ExpressionFunctionError extends Error {
  constructor(
    readonly functionName: string,
    detail: string,
  ) {
    super(`The template language function '${functionName}' failed: ${detail}`);
    this.name = "ExpressionFunctionError";
  }
}
