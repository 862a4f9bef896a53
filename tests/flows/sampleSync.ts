import { body, call, item, items, triggerBody } from "../../flows/toolkit/expr/build";
import { select } from "../../flows/toolkit/builder/actions";
import { cleverReachAction } from "../../flows/product/patterns/cleverreach";
import { getRow, listRows, updateRow } from "../../flows/toolkit/builder/dataverse";
import { ProductFlow } from "../../flows/product/patterns/productFlow";
import { childFlowTrigger, designerInputs } from "../../flows/toolkit/builder/triggers";
import { label } from "../../solution/src/labels";
import { product } from "../../solution/src/model/product";

/** The CleverReach batch limit for receiver upserts (connector swagger: maxItems 1000). */
export const UPSERT_BATCH = 1000;

/**
 * The sample flow of the toolkit's acceptance test: given a marketing list id, create a group
 * named after the list, send every active contact with an e-mail address in batches, and stamp
 * the list with the group id and the time. (The real sync flows of issue 6 add eligibility.)
 */
export function sampleSyncFlow(): ProductFlow {
  const f = new ProductFlow({ key: "sample-sync", displayName: label("Sample sync", "Beispiel-Synchronisation") });
  f.useDataverse();
  const cr = f.useCleverReach();
  const prefix = f.environmentVariable(product.environmentVariables.find((v) => v.schemaName === "clvr_GroupPrefix")!);
  f.trigger("manual", childFlowTrigger(designerInputs({ listid: { title: "List id", type: "string", description: "The marketing list to sync" } })));
  const a = f.actions;
  a.add("Get_list", getRow("lists", triggerBody().get("listid"), ["listname"]));
  a.add(
    "List_contacts",
    listRows({
      entitySet: "contacts",
      select: ["contactid", "emailaddress1", "firstname", "lastname"],
      filter: "statecode eq 0 and emailaddress1 ne null",
      paginateTo: 100000,
    }),
  );
  a.add("Create_group", cleverReachAction(cr, "CreateGroup", { "body/name": call("concat", prefix, body("Get_list").get("listname")) }));
  a.forEach(
    "Each_batch",
    call("chunk", body("List_contacts").get("value"), UPSERT_BATCH),
    (l) => {
      l.add("Receivers", select(items("Each_batch"), { email: item().get("emailaddress1"), source: "Dataverse" }));
      l.add("Upsert_receivers", cleverReachAction(cr, "UpsertReceivers", { group_id: body("Create_group").get("id"), body: body("Receivers") }));
    },
    { concurrency: 5 },
  );
  a.add(
    "Stamp_list",
    updateRow("lists", triggerBody().get("listid"), {
      clvr_cleverreachgroupid: call("string", body("Create_group").get("id")),
      clvr_lastsyncon: call("utcNow"),
    }),
  );
  return f;
}
