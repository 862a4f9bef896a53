import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { RECEIVER_STATE, receiverStateId } from "../../flows/product/rules/receiverStates";
import { startFakes, type Fakes } from "../sim/harness";
import { seedContacts, seedStaticList, syncRecord } from "../sync/scenario";

/**
 * Bad input loses nothing: a CleverReach receiver whose crm_id names a contact that was deleted
 * in the CRM is still recorded (without the contact link), and the group's hourly run succeeds.
 */
describe("CleverReachToCrm with a receiver whose contact is gone", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());

  test("the state row is written without the link; the run succeeds; the next run writes nothing", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const groupId = await syncRecord(fakes, "list", list);
    // Ann's contact row disappears without any flow seeing it (flows are not running here).
    await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/contacts(${ann})`, query: {}, headers: {} });
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    const hourly = cleverReachToCrmFlow().build();
    const r = await fakes.simulator(buildFlows()).run(hourly, {});
    expect(r.error).toBeUndefined();
    const receiver = fakes.cleverReach.server.store.groupReceivers(groupId).get("ann@example.com");
    const row = fakes.dataverse.row("clvr_receiverstate", receiverStateId(groupId, receiver?.id ?? 0));
    expect(row).toMatchObject({ clvr_email: "ann@example.com", clvr_state: RECEIVER_STATE.unsubscribed, _clvr_marketinglist_value: list });
    expect(row?._clvr_contact_value ?? null).toBeNull();
    const again = await fakes.simulator(buildFlows()).run(hourly, {});
    expect(again.error).toBeUndefined();
    expect(Object.keys(again.counts.operations).filter((k) => /:(Create|Update|Upsert|Delete)/.test(k) && k.startsWith("shared_common"))).toEqual([]);
  });
});
