import { ExpressionFunctionError } from "./errors";
import { obj, str } from "./values";

type Fn = (args: unknown[]) => unknown;

// All three return a new object: expression values are immutable, and the input may be another
// action's output that later expressions read again.
export const MANIPULATION_FUNCTIONS: Record<string, Fn> = {
  coalesce: (args) => args.find((a) => a !== null && a !== undefined) ?? null,

  setProperty: (args) => ({ ...obj("setProperty", args, 0), [str("setProperty", args, 1)]: args[2] ?? null }),

  addProperty: (args) => {
    const o = obj("addProperty", args, 0);
    const name = str("addProperty", args, 1);
    // Documented: adding a property that already exists fails.
    if (Object.prototype.hasOwnProperty.call(o, name)) {
      throw new ExpressionFunctionError("addProperty", `the object already has a property '${name}'; use setProperty to change it.`);
    }
    return { ...o, [name]: args[2] ?? null };
  },

  removeProperty: (args) => {
    const o = obj("removeProperty", args, 0);
    const name = str("removeProperty", args, 1);
    const copy = { ...o };
    delete copy[name];
    return copy;
  },
};
