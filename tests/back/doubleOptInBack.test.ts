import { buildFlows } from "../../flows";
import { cleverReachToCrmFlow } from "../../flows/product/cleverreachToCrm/cleverReachToCrmFlow";
import { CONFIRMED_EVENT, readDeclines, RECEIVER_STATE } from "../../flows/product/rules/receiverStates";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV, TABLES } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, patchRow, seedContacts, seedStaticList } from "../sync/scenario";

/**
 * Issue 18 item 4, the way back: a confirmation shows on the person as a Receiver State row (state
 * Active, event "confirmed"); awaiting it is no decline; a person who confirmed and later
 * unsubscribed is declined as anyone else.
 */
describe("double opt-in in the back-sync", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  let env: Record<string, unknown> = {};
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router.stop();
    await fakes.stop();
  });

  const sync = async (id: string) => {
    const r = await fakes.simulator(flows, env).run(syncGroupFlow().build(), { body: { table: "list", id } });
    expect(r.error).toBeUndefined();
    await router.settle();
  };
  const hourly = async () => {
    const r = await fakes.simulator(flows, env).run(cleverReachToCrmFlow().build(), {});
    expect(r.error).toBeUndefined();
    await router.settle();
  };
  const states = () =>
    Object.fromEntries(fakes.dataverse.rows(TABLES.receiverState.logicalName).map((r) => [String(r[COLUMNS.email]), [r[COLUMNS.state], r[COLUMNS.lastEvent]]]));
  const declinesOf = (id: string) => {
    const r = readDeclines(fakes.dataverse.row("contact", id)?.[COLUMNS.cleverReachDeclines] as string | undefined);
    if ("problem" in r) throw new Error(r.problem);
    return r.declines.map((d) => d.group);
  };

  test("awaiting confirmation is no decline; the click shows as Active; a later unsubscribe declines", async () => {
    const [ann, ben] = seedContacts(fakes, [
      { firstname: "Ann", states: { 0: 0 } },
      { firstname: "Ben", states: { 0: 0 } },
    ]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]);
    router = new TriggerRouter(fakes, flows, env);
    await sync(list);
    const groupId = Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]);
    const form = fakes.cleverReach.seed.form("Double opt-in", groupId);
    env = { [ENV.doubleOptInForm.schemaName]: String(form.id) };
    router.stop();
    router = new TriggerRouter(fakes, flows, env);
    for (const id of [ann!, ben!]) await patchRow(fakes, "contacts", id, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) });
    await router.settle();
    expect(fakes.cleverReach.server.store.sentFormMails.map((m) => m.email).sort()).toEqual(["ann@example.com", "ben@example.com"]);

    await hourly();
    expect(states()).toEqual({});
    expect([declinesOf(ann!), declinesOf(ben!)]).toEqual([[], []]);

    fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
    await hourly();
    expect(states()).toEqual({ "ann@example.com": [RECEIVER_STATE.active, CONFIRMED_EVENT] });
    expect([declinesOf(ann!), declinesOf(ben!)]).toEqual([[], []]);

    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    await hourly();
    expect(states()).toEqual({ "ann@example.com": [RECEIVER_STATE.unsubscribed, "unsubscribed"] });
    expect([declinesOf(ann!), declinesOf(ben!)]).toEqual([[String(groupId)], []]);
  }, 120_000);

  test("the cost: with the setting, one more read a group and hour (a page of 5000 active receivers); without it, none", async () => {
    env = {};
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    router = new TriggerRouter(fakes, flows, env);
    await sync(list);
    const reads = async (environment: Record<string, unknown>) => {
      const r = await fakes.simulator(flows, environment).run(cleverReachToCrmFlow().build(), {});
      expect(r.error).toBeUndefined();
      return r.counts.operations[Object.keys(r.counts.operations).find((k) => k.endsWith(":ListGroupReceivers")) ?? ""] ?? 0;
    };
    const without = await reads({});
    const withSetting = await reads({ [ENV.doubleOptInForm.schemaName]: "1" });
    expect(withSetting - without).toBe(1);
    expect(states()).toEqual({});
  }, 60_000);
});
