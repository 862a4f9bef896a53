import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { startFakes } from "../sim/harness";
import { seedContacts, seedStaticList } from "./scenario";
test("debug", async () => {
  const fakes = await startFakes();
  const ids = seedContacts(fakes, [{ firstname: "A", states: { 0: 1 } }]);
  const listId = seedStaticList(fakes, "L", { 0: 1 }, ids);
  const flow = syncGroupFlow().build();
  const r = await fakes.simulator([flow]).run(flow, { body: { table: "list", id: listId } });
  for (const [k, v] of r.actions) if (v.status !== "Succeeded" && v.status !== "Skipped") console.log(k, v.status, JSON.stringify(v).slice(0, 600));
  console.log(r.status, r.error);
  await fakes.stop();
});
