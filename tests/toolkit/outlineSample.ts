import { compose, terminate } from "../../flows/toolkit/builder/actions";
import { listRows, rowTrigger } from "../../flows/toolkit/builder/dataverse";
import { FlowBuilder } from "../../flows/toolkit/builder/flow";
import { body, call, item, triggerBody } from "../../flows/toolkit/expr/build";
import type { FlowClientData } from "../../flows/toolkit/wdl";

/**
 * A small flow with a condition, a loop inside it and a catch after it, built with the toolkit
 * alone. Its texts carry a quote, brackets, `#`, `<`, `>`, `&`, a backtick and a pipe, which Markdown
 * tables and Mermaid labels must both survive.
 */
export function outlineSampleFlow(): FlowClientData {
  const f = new FlowBuilder({ id: "0f0e0d0c-0b0a-4909-8807-060504030201", displayName: { en: "Outline sample" } });
  f.useConnection({ apiName: "shared_commondataserviceforapps", connectionReferenceLogicalName: "new_Dataverse" });
  const limit = f.parameter({ name: "Row limit (new_RowLimit)", type: "Int", defaultValue: 3, schemaName: "new_RowLimit", description: "Most rows to read" });
  f.parameter({ name: "Separator (new_Separator)", type: "String", defaultValue: " | ", schemaName: "new_Separator", description: "Between names" });
  f.trigger(
    "When_a_contact_changes",
    rowTrigger({ message: "modified", table: "contact", filteringAttributes: ["firstname", "lastname"], filterExpression: "statecode eq 0" }),
  );
  const a = f.actions;
  a.add("Rows", listRows({ entitySet: "contacts", top: 50 }));
  a.condition(
    "Any_rows",
    call(
      "and",
      call("not", call("equals", triggerBody().get("note"), 'Say "hi" [#1] <b> & `x` | y')),
      call("lessOrEquals", call("length", body("Rows").get("value")), limit),
    ),
    (yes) => {
      yes.forEach(
        "Each_row",
        body("Rows").get("value"),
        (each) => {
          each.add("Greeting", compose(call("concat", "Hello ", item().get("fullname"))));
        },
        { concurrency: 2 },
      );
    },
    (no) => {
      no.add("Nothing", compose("none"));
    },
  );
  a.add("Too_many", terminate("Failed", { code: "TooMany", message: "more rows than the limit" }), { Any_rows: ["Failed", "TimedOut"] });
  return f.clientData();
}
