import { body, call, items, lit, triggerOutputs, variables } from "../../flows/toolkit/expr/build";
import { compose, initializeVariable, appendToArrayVariable, terminate } from "../../flows/toolkit/builder/actions";
import { listRows, rowTrigger, upsertRow } from "../../flows/toolkit/builder/dataverse";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { label } from "../../solution/src/labels";
import { product } from "../../solution/src/model/product";

/**
 * A small flow that uses most builder features: when a marketing list changes, list its contacts
 * with an e-mail address, collect their addresses, and stamp the list with the count and time.
 */
export function sampleFlow(): ProductFlow {
  const f = new ProductFlow({ key: "sample", displayName: label("Sample list stamp", "Beispiel") });
  f.useDataverse();
  const prefix = f.environmentVariable(product.environmentVariables.find((v) => v.schemaName === "clvr_GroupPrefix")!);
  f.trigger("When_a_list_changes", rowTrigger({ message: "modified", table: "list", filteringAttributes: ["listname"] }));
  const a = f.actions;
  a.add("Init_addresses", initializeVariable("addresses", "array", []));
  a.scope("Try", (s) => {
    s.add("List_contacts", listRows({ entitySet: "contacts", select: ["contactid", "emailaddress1"], filter: "emailaddress1 ne null", paginateTo: 100000 }));
    s.forEach(
      "Each_contact",
      body("List_contacts").get("value"),
      (l) => {
        l.add("Collect", appendToArrayVariable("addresses", call("toLower", items("Each_contact").get("emailaddress1"))));
      },
      { concurrency: 1 },
    );
    s.add(
      "Stamp_list",
      upsertRow("lists", triggerOutputs().get("body/listid"), {
        clvr_receiverstatus: call("concat", prefix, triggerOutputs().get("body/listname"), lit(": "), call("string", call("length", variables("addresses")))),
        clvr_lastsyncon: call("utcNow"),
      }),
    );
  });
  a.scope(
    "Catch",
    (s) => {
      s.add("Failed_step", compose(call("result", "Try")));
      s.add("Stop", terminate("Failed", { code: "SampleFailed", message: call("string", call("first", call("result", "Try"))) }));
    },
    { after: { Try: ["Failed", "TimedOut"] } },
  );
  a.condition(
    "Report",
    call("greater", call("length", variables("addresses")), 0),
    (t) => {
      t.add("Say_count", compose(call("length", variables("addresses"))));
    },
    { after: "Try" },
  );
  return f;
}
