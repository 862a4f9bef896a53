import { ExpressionFunctionError } from "./errors";
import { int, isObject, num, wrongType } from "./values";

type Fn = (args: unknown[]) => unknown;

/**
 * Integers are JS numbers with an integral value; there is no separate float type, so 5.0 is the
 * integer 5 here (div(11, 5.0) gives 2, where the platform gives 2.2). Expression literals with a
 * fraction stay floats, which covers what our flows do.
 *
 * Float results are rounded to 15 significant digits: the reference shows sub(10.3, .3) = 10,
 * which is what a double printed with 15 digits looks like, not the raw IEEE result.
 */
const tidy = (x: number) => (Number.isInteger(x) ? x : Number(x.toPrecision(15)));

function numbers(fn: string, args: unknown[]): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new ExpressionFunctionError(fn, "needs at least one number.");
  return list.map((v, i) => {
    if (typeof v !== "number" || isObject(v)) throw wrongType(fn, i, "a number", v);
    return v;
  });
}

function divisor(fn: string, args: unknown[]): number {
  const d = num(fn, args, 1);
  if (d === 0) throw new ExpressionFunctionError(fn, "cannot divide by zero.");
  return d;
}

export const MATH_FUNCTIONS: Record<string, Fn> = {
  add: (args) => tidy(num("add", args, 0) + num("add", args, 1)),
  sub: (args) => tidy(num("sub", args, 0) - num("sub", args, 1)),
  mul: (args) => tidy(num("mul", args, 0) * num("mul", args, 1)),
  div: (args) => {
    const a = num("div", args, 0);
    const b = divisor("div", args);
    // Two integers divide like C#: the fraction is dropped toward zero.
    return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : tidy(a / b);
  },
  // The remainder takes the dividend's sign, as in C# and JS.
  mod: (args) => tidy(num("mod", args, 0) % divisor("mod", args)),
  min: (args) => Math.min(...numbers("min", args)),
  max: (args) => Math.max(...numbers("max", args)),
  range: (args) => {
    const start = int("range", args, 0);
    const count = int("range", args, 1);
    if (count < 0 || count > 100000) throw new ExpressionFunctionError("range", `the count ${count} must be between 0 and 100000.`);
    if (start + count > 2147483647) throw new ExpressionFunctionError("range", "start plus count must not exceed 2147483647.");
    return Array.from({ length: count }, (_, i) => start + i);
  },
  // Inclusive at the start only (documented: rand(1, 5) gives 1..4).
  rand: (args) => {
    const min = int("rand", args, 0);
    const max = int("rand", args, 1);
    if (min > max) throw new ExpressionFunctionError("rand", `the minimum ${min} is greater than the maximum ${max}.`);
    return min === max ? min : min + Math.floor(Math.random() * (max - min));
  },
};
