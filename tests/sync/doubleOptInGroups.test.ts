import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { confirmationFormFor, doubleOptInFormNotCreated, FORM_TEMPLATE, type FormSeen } from "../../flows/product/rules/doubleOptIn";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { LOST_ANSWER } from "../sim/gates";
import { checklist, groupContents, patchRow, personRow, seedContacts, seedStaticList } from "./scenario";
import { SEND_PACE } from "../../flows/product/sync/doubleOptIn";
import { CUSTOM_CONNECTOR_RATE } from "../../flows/toolkit/sim/limits";

const FORM = ENV.doubleOptInForm.schemaName;
const MODEL = "Newsletter double opt-in";

/**
 * Issue 18 item 4, more than one group: the setting names one form (the maker's model, in one
 * group), and every other synced group sends its confirmation mails through a form of its own with
 * the model's name, found or created once from CleverReach's "default" template
 * (flows/product/sync/doubleOptIn.ts, confirmationForm(); rules/doubleOptIn.ts, confirmationFormFor()).
 */
describe("double opt-in for more than one group: the rule", () => {
  const f = (id: number, name: string, group: number): FormSeen => ({ id: String(id), name, customer_tables_id: String(group) });
  test("the named form when it is the group's, else the group's form of its name, else create one of its name; a missing form is an error", () => {
    const named = f(300, MODEL, 1);
    expect(confirmationFormFor("0", 2, [], null)).toEqual({ kind: "off" });
    expect(confirmationFormFor("x", 2, [], null).kind).toBe("problem");
    expect(confirmationFormFor("300", 1, [named], named)).toEqual({ kind: "use", formId: 300 });
    expect(confirmationFormFor("300", 2, [f(301, "Other", 2), f(302, MODEL, 2), f(303, MODEL, 2)], named)).toEqual({ kind: "use", formId: 302 });
    expect(confirmationFormFor("300", 2, [f(301, "Other", 2)], named)).toEqual({ kind: "create", name: MODEL });
    // A listed form of another group does not count (integration core CreateDefaultFormTask::getFormId).
    expect(confirmationFormFor("300", 2, [f(304, MODEL, 3)], named)).toEqual({ kind: "create", name: MODEL });
    expect(confirmationFormFor("300", 2, [], null)).toMatchObject({ kind: "problem", text: expect.stringContaining("names form 300, which does not exist") });
  });
});

describe("double opt-in for more than one group, end to end", () => {
  let fakes: Fakes;
  let router: TriggerRouter | undefined;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router?.stop();
    router = undefined;
    await fakes.stop();
  });

  const flows = buildFlows();
  const run = (table: string, id: string, environment: Record<string, unknown>) =>
    fakes.simulator(flows, environment).run(syncGroupFlow().build(), { body: { table, id } });
  const store = () => fakes.cleverReach.server.store;
  const mails = () => store().sentFormMails.filter((m) => m.kind === "activate");
  const calls = (op: string) => fakes.cleverReach.server.requests.filter((r) => r.operationId === op).length;
  const groupOf = (table: string, id: string) => Number(fakes.dataverse.row(table, id)?.[COLUMNS.cleverReachGroupId]);
  const errorOf = (table: string, id: string) => fakes.dataverse.row(table, id)?.[COLUMNS.lastSyncError] ?? null;
  const formsOf = (groupId: number) => [...store().forms.values()].filter((x) => x.customer_tables_id === groupId);
  const state = (groupId: number) => Object.fromEntries([...groupContents(fakes, groupId).entries()].map(([e, r]) => [e, r.active ? "active" : "inactive"]));
  /** Each mail as [address, group, whether its form is of that group, the form's name]. */
  const mailed = () =>
    mails()
      .map((m) => {
        const form = store().forms.get(m.formId);
        return [m.email, m.groupId, form?.customer_tables_id === m.groupId, form?.name] as const;
      })
      .sort((a, b) => a[0].localeCompare(b[0]));
  const tick = (id: string, s: 0 | 1) => patchRow(fakes, "contacts", id, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: s })) });

  /** List A's group exists (synced once, nobody yet) and holds the maker's model form; the setting names it. */
  async function modelInListA(people: string[]) {
    const ids = seedContacts(
      fakes,
      people.map((firstname) => ({ firstname, states: { 0: 1 } })),
    );
    const a = seedStaticList(fakes, "Alpha", { 0: 1 }, []);
    expect((await run("list", a, {})).error).toBeUndefined();
    const groupA = groupOf("list", a);
    const model = fakes.cleverReach.seed.form(MODEL, groupA);
    return { ids, a, groupA, model, env: { [FORM]: String(model.id) } };
  }

  test("two lists and a campaign with double opt-in on: each new person gets one mail through a form of their group; the other groups' forms are created once, with the model's name; the first sync of a new list works", async () => {
    const { ids, a, groupA, model, env } = await modelInListA(["Ann", "Ben", "Cy", "Dee"]);
    const [ann, ben, cy, dee] = ids as [string, string, string, string];
    for (const [contact, list] of [
      [ann, a],
      [ben, a],
    ] as const)
      fakes.dataverse.relate("listcontact_association", list, contact);
    // List B and the campaign are new: their first sync creates their groups.
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, [ben, cy]);
    const c = seedStaticList(fakes, "Gamma (campaign's list)", {}, [dee, ann]);
    const [campaign] = fakes.dataverse.seed("campaign", [
      { name: "Spring", [COLUMNS.syncWithCleverReach]: true, [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: 1 })) },
    ]);
    fakes.dataverse.relate("campaignlist_association", campaign!, c);

    for (const [table, id] of [
      ["list", a],
      ["list", b],
      ["campaign", campaign!],
    ] as const) {
      const r = await run(table, id, env);
      expect({ table, error: r.error }).toEqual({ table, error: undefined });
      expect(errorOf(table, id)).toBeNull();
    }
    const groupB = groupOf("list", b);
    const groupC = groupOf("campaign", campaign!);
    expect(new Set([groupA, groupB, groupC]).size).toBe(3);
    expect(mailed()).toEqual([
      ["ann@example.com", groupA, true, MODEL],
      ["ann@example.com", groupC, true, MODEL],
      ["ben@example.com", groupA, true, MODEL],
      ["ben@example.com", groupB, true, MODEL],
      ["cy@example.com", groupB, true, MODEL],
      ["dee@example.com", groupC, true, MODEL],
    ]);
    // Group A uses the model itself; B and the campaign's group got one form each, from the default template.
    expect(
      mails()
        .filter((m) => m.groupId === groupA)
        .every((m) => m.formId === model.id),
    ).toBe(true);
    for (const g of [groupA, groupB, groupC]) expect(formsOf(g).map((x) => x.name)).toEqual([MODEL]);
    expect(calls("CreateFormFromTemplate")).toBe(2);
    expect(fakes.cleverReach.server.requests.filter((r) => r.operationId === "CreateFormFromTemplate").every((r) => r.path.includes(`/${FORM_TEMPLATE}`))).toBe(
      true,
    );
    for (const g of [groupA, groupB, groupC]) expect(Object.values(state(g)).every((s) => s === "inactive")).toBe(true);

    // Second runs: nothing new is created or mailed.
    for (const [table, id] of [
      ["list", a],
      ["list", b],
      ["campaign", campaign!],
    ] as const)
      expect((await run(table, id, env)).error).toBeUndefined();
    expect(calls("CreateFormFromTemplate")).toBe(2);
    expect(mails()).toHaveLength(6);
    for (const g of [groupA, groupB, groupC]) expect(formsOf(g)).toHaveLength(1);
  }, 180_000);

  test.each(["the model is the group's", "the group has a copy", "the group has none", "no such form", "not a number"])(
    "the flow chooses the form the rule chooses: %s",
    async (situation) => {
      const { ids, groupA, model } = await modelInListA(["Ann"]);
      const b = seedStaticList(fakes, "Beta", { 0: 1 }, []);
      expect((await run("list", b, {})).error).toBeUndefined();
      const groupB = groupOf("list", b);
      fakes.cleverReach.seed.form("Event sign-up", groupB);
      if (situation === "the group has a copy") fakes.cleverReach.seed.form(MODEL, groupB);
      const ownModel = situation === "the model is the group's" ? fakes.cleverReach.seed.form("Own model", groupB) : undefined;
      const setting = { "no such form": "999999", "not a number": "x1" }[situation as string] ?? String((ownModel ?? model).id);
      fakes.dataverse.relate("listcontact_association", b, ids[0]!);
      const seen = (x: { id: number; name: string; customer_tables_id: number }): FormSeen => ({
        ...x,
        id: String(x.id),
        customer_tables_id: String(x.customer_tables_id),
      });
      const named = store().forms.get(Number(setting));
      const rule = confirmationFormFor(setting, groupB, formsOf(groupB).map(seen), named ? seen(named) : null);
      const formsBefore = new Set(store().forms.keys());

      const r = await run("list", b, { [FORM]: setting });
      const made = [...store().forms.values()].filter((x) => !formsBefore.has(x.id));
      const used = mails()[0]?.formId;
      const flow =
        r.error !== undefined
          ? { kind: "problem", text: r.error.message }
          : made.length === 1 && used === made[0]!.id
            ? { kind: "create", name: made[0]!.name }
            : { kind: "use", formId: used };
      expect(flow).toEqual(rule);
      expect(formsOf(groupA).map((x) => x.id)).toEqual([model.id]);
    },
    60_000,
  );

  test("the group's own form of the model's name (made by hand or an earlier run) is used, nothing is created; one made under another name is not", async () => {
    const { ids, env } = await modelInListA(["Ann"]);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, []);
    expect((await run("list", b, {})).error).toBeUndefined();
    const groupB = groupOf("list", b);
    const other = fakes.cleverReach.seed.form("Event sign-up", groupB);
    const copy = fakes.cleverReach.seed.form(MODEL, groupB);
    fakes.dataverse.relate("listcontact_association", b, ids[0]!);
    // What the rule says for what CleverReach shows now; the flow does the same.
    const listed = formsOf(groupB).map((x) => ({ id: String(x.id), name: x.name, customer_tables_id: String(x.customer_tables_id) }));
    const model = store().forms.get(Number(env[FORM]))!;
    const expected = confirmationFormFor(env[FORM], groupB, listed, {
      id: String(model.id),
      name: model.name,
      customer_tables_id: String(model.customer_tables_id),
    });
    expect(expected).toEqual({ kind: "use", formId: copy.id });
    expect((await run("list", b, env)).error).toBeUndefined();
    expect(mails().map((m) => [m.email, m.formId])).toEqual([["ann@example.com", copy.id]]);
    expect(mails().some((m) => m.formId === other.id)).toBe(false);
    expect(calls("CreateFormFromTemplate")).toBe(0);
  }, 60_000);

  test("the create's answer is lost: the group's forms are read again and the one made is taken; one form, one mail", async () => {
    const { ids, env } = await modelInListA(["Ann"]);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, [ids[0]!]);
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "CreateFormFromTemplate", at: "answer" });
    const running = run("list", b, env);
    await gate.reached;
    gate.lose();
    const r = await running;
    expect(r.error).toBeUndefined();
    const groupB = groupOf("list", b);
    expect(formsOf(groupB).map((x) => x.name)).toEqual([MODEL]);
    // The platform did not send the create again (no retry on it).
    expect(calls("CreateFormFromTemplate")).toBe(1);
    expect(mailed()).toEqual([["ann@example.com", groupB, true, MODEL]]);
    expect(errorOf("list", b)).toBeNull();
    expect((await run("list", b, env)).error).toBeUndefined();
    expect(calls("CreateFormFromTemplate")).toBe(1);
    expect(mails()).toHaveLength(1);
  }, 60_000);

  // The create held before CleverReach sees it and after it answered (released, or its answer lost)
  // while a second run for the same list starts: the record's lock makes it wait or fold into the
  // first, so the group gets one form and Ann one mail.
  test.each([
    ["request", "release"],
    ["answer", "release"],
    ["answer", "lose"],
  ] as const)(
    "create held at %s (%s) while another run for the list starts: one form, one mail",
    async (at, how) => {
      const { ids, env } = await modelInListA(["Ann"]);
      const b = seedStaticList(fakes, "Beta", { 0: 1 }, [ids[0]!]);
      const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "CreateFormFromTemplate", at });
      const first = run("list", b, env);
      await gate.reached;
      const second = run("list", b, env);
      if (how === "lose") gate.lose();
      else gate.release();
      for (const r of await Promise.all([first, second])) expect(r.error).toBeUndefined();
      expect((await run("list", b, env)).error).toBeUndefined();
      const groupB = groupOf("list", b);
      expect(formsOf(groupB).map((x) => x.name)).toEqual([MODEL]);
      expect(calls("CreateFormFromTemplate")).toBe(1);
      expect(mailed()).toEqual([["ann@example.com", groupB, true, MODEL]]);
    },
    60_000,
  );

  test("the create never reached CleverReach, or CleverReach refused it: the run stops in words before adding anyone; the next run creates the form once", async () => {
    const { ids, env } = await modelInListA(["Ann", "Ben"]);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, [ids[0]!]);
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "CreateFormFromTemplate", at: "request" });
    const running = run("list", b, env);
    await gate.reached;
    // The call timed out on its way: CleverReach never saw it, the flow got the platform's 504.
    gate.fail(LOST_ANSWER);
    const r = await running;
    const groupB = groupOf("list", b);
    expect(r.status).toBe("Failed");
    // The rule's sentence around CleverReach's (here the platform's) answer.
    const [before, after] = doubleOptInFormNotCreated(MODEL, groupB, "\u0000").split("\u0000") as [string, string];
    const text = String(errorOf("list", b));
    expect({ starts: text.startsWith(before), ends: text.endsWith(after) }).toEqual({ starts: true, ends: true });
    expect(text.slice(before.length, text.length - after.length)).toMatch(/^504: .*did not receive a response/);
    expect(state(groupB)).toEqual({});
    expect(formsOf(groupB)).toEqual([]);

    fakes.cleverReach.server.faults.inject({ kind: "status", status: 400, operationId: "CreateFormFromTemplate", message: "form limit reached" });
    expect((await run("list", b, env)).status).toBe("Failed");
    expect(String(errorOf("list", b))).toContain("(400: form limit reached)");
    expect(state(groupB)).toEqual({});

    expect((await run("list", b, env)).error).toBeUndefined();
    expect(formsOf(groupB).map((x) => x.name)).toEqual([MODEL]);
    expect(mailed()).toEqual([["ann@example.com", groupB, true, MODEL]]);
    expect(errorOf("list", b)).toBeNull();
  }, 60_000);

  test("the model form cannot be read (CleverReach fails) or the group's forms cannot be listed: the run stops in words naming the step, nobody is added", async () => {
    const { ids, env } = await modelInListA(["Ann"]);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, [ids[0]!]);
    for (const [op, step] of [
      ["GetForm", "Named_form"],
      ["ListGroupForms", "Group_forms"],
    ] as const) {
      fakes.cleverReach.server.faults.clear();
      // More failures than the platform's default retry policy tries (4 retries).
      fakes.cleverReach.server.faults.inject({ kind: "status", status: 500, operationId: op, times: 10, message: "internal error" });
      const r = await run("list", b, env);
      expect(r.status).toBe("Failed");
      expect(r.error?.code).toBe("SyncFailed");
      expect(String(errorOf("list", b))).toMatch(new RegExp(`^CleverReach sync failed: .*step ${step} \\(500\\): .*internal error`));
      expect(state(groupOf("list", b))).toEqual({});
    }
    fakes.cleverReach.server.faults.clear();
    expect((await run("list", b, env)).error).toBeUndefined();
    expect(mails()).toHaveLength(1);
  }, 120_000);

  test("a first sync of more new people than the connection's rate a minute: each gets one mail (the sends are paced, none is refused with 429)", async () => {
    // The pace's own ceiling is below the platform's rate (the rule the flow's constants must keep).
    expect((SEND_PACE.atOnce * 60) / SEND_PACE.secondsEach).toBeLessThan(CUSTOM_CONNECTOR_RATE.calls * (60_000 / CUSTOM_CONNECTOR_RATE.windowMs));
    const { env } = await modelInListA([]);
    const n = CUSTOM_CONNECTOR_RATE.calls + 100;
    const ids = fakes.dataverse.seed(
      "contact",
      Array.from({ length: n }, (_, i) => personRow({ firstname: `P${i}`, email: `p${i}@example.com`, states: { 0: 1 } })),
    );
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, ids);
    const r = await run("list", b, env);
    expect(r.error).toBeUndefined();
    expect(errorOf("list", b)).toBeNull();
    expect(new Set(mails().map((m) => m.email)).size).toBe(n);
    expect(calls("SendDoubleOptInMail")).toBe(n);
  }, 120_000);

  test("never resubscribed in another group: someone who unsubscribed there gets no mail through the group's new form", async () => {
    const { ids, env } = await modelInListA(["Ann", "Ben"]);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, []);
    expect((await run("list", b, {})).error).toBeUndefined();
    const groupB = groupOf("list", b);
    const now = store().now();
    fakes.cleverReach.seed.receivers(groupB, [{ email: "ann@example.com", activated: now - 100, registered: now - 100 }]);
    fakes.cleverReach.seed.unsubscribe(groupB, "ann@example.com");
    for (const id of ids) fakes.dataverse.relate("listcontact_association", b, id);
    for (let i = 0; i < 2; i++) expect((await run("list", b, env)).error).toBeUndefined();
    expect(mailed()).toEqual([["ben@example.com", groupB, true, MODEL]]);
    expect(calls("SendDoubleOptInMail")).toBe(1);
    expect(state(groupB)).toEqual({ "ann@example.com": "inactive", "ben@example.com": "inactive" });
  }, 60_000);

  test("the person flow hands a newly accepting person to Sync group of each group: one mail per group, each through a form of that group", async () => {
    const { a, groupA, env } = await modelInListA([]);
    const [eve] = seedContacts(fakes, [{ firstname: "Eve", states: { 0: 0 } }]);
    fakes.dataverse.relate("listcontact_association", a, eve!);
    const b = seedStaticList(fakes, "Beta", { 0: 1 }, [eve!]);
    expect((await run("list", b, env)).error).toBeUndefined();
    const groupB = groupOf("list", b);
    router = new TriggerRouter(fakes, flows, env);
    await tick(eve!, 1);
    await router.settle();
    expect(router.failures()).toEqual([]);
    expect(mailed()).toEqual([
      ["eve@example.com", groupA, true, MODEL],
      ["eve@example.com", groupB, true, MODEL],
    ]);
    expect([state(groupA), state(groupB)]).toEqual([{ "eve@example.com": "inactive" }, { "eve@example.com": "inactive" }]);
    expect(formsOf(groupB)).toHaveLength(1);
  }, 120_000);
});
