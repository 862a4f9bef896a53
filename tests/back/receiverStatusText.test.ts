import { receiverStatusText } from "../../flows/product/rules/messages";
import { receiverStatusText as receiverStatusTextExpression } from "../../flows/product/sync/messages";
import { lit } from "../../flows/toolkit/expr/build";
import { json } from "../../flows/toolkit/expr/functions";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";

/** Issue 15 item 20: statistics without fields wrote "CleverReach group 1001:  receivers,  active". */
describe("the record's receiver status text", () => {
  const cases: Array<Record<string, unknown> | null> = [
    { total_count: 3, active_count: 2, inactive_count: 1, bounce_count: 0 },
    {},
    null,
    { total_count: 5 },
    { active_count: 0, bounce_count: 2 },
    { total_count: "", active_count: null, inactive_count: 4 },
  ];
  test("never prints an empty number; the flows' expression is the rule", () => {
    for (const stats of cases) {
      const text = receiverStatusText("1001", stats);
      expect(text).not.toMatch(/: {2}| ,|, ,/);
      const evaluated = evaluateString(receiverStatusTextExpression(lit("1001"), json(lit(JSON.stringify(stats)))).value, {
        context: {},
        functions: FUNCTIONS,
      });
      expect(evaluated).toBe(text);
    }
    expect(receiverStatusText("1001", {})).toBe("CleverReach group 1001: no statistics from CleverReach. Who and why: see the Receiver States of this record.");
    expect(receiverStatusText("1001", cases[0])).toBe(
      "CleverReach group 1001: 3 receivers, 2 active, 1 inactive (unsubscribed or blacklisted), 0 bounced. Who and why: see the Receiver States of this record.",
    );
  });
});
