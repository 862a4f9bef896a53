import { buildFlows } from "../../flows";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import {
  DOI_MARK,
  SEND_NOTE,
  doubleOptInFormMissing,
  doubleOptInNotANumber,
  isNewReceiver,
  readDoubleOptInSetting,
} from "../../flows/product/rules/doubleOptIn";
import { doubleOptInFormId, doubleOptInOn } from "../../flows/product/sync/doubleOptIn";
import { lit } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import { CLEVERREACH_API, startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { checklist, groupContents, patchRow, seedContacts, seedStaticList } from "./scenario";

const FORM = ENV.doubleOptInForm.schemaName;
const evaluate = (e: { value: string }): unknown => evaluateString(e.value, { context: {}, functions: FUNCTIONS });

/**
 * Issue 18 item 4: with clvr_DoubleOptInForm naming a form of the group, a person new to the group
 * is added inactive and gets the form's confirmation mail once; their click activates them. Every
 * path that adds a receiver goes through Sync group's decision (the person flows hand it over).
 */
describe("double opt-in: the setting", () => {
  test("the rule reads the setting as the flows' expressions do", () => {
    for (const v of ["", "  ", "12", " 12 ", "+7", "0", "-3", "12.5", "abc", "1e3", "12 13"]) {
      const rule = readDoubleOptInSetting(v);
      expect({ v, on: evaluate(doubleOptInOn(lit(v))) }).toEqual({ v, on: rule.kind !== "off" });
      const id = evaluate(doubleOptInFormId(lit(v))) as number;
      expect({ v, valid: id > 0, id: id > 0 ? id : undefined }).toEqual({
        v,
        valid: rule.kind === "form",
        id: rule.kind === "form" ? rule.formId : undefined,
      });
    }
    expect(isNewReceiver({ activated: 0, deactivated: 0, attributes: {} })).toBe(true);
    expect(isNewReceiver({ activated: 0, deactivated: 0, attributes: { [DOI_MARK.name]: "2026-12-02T06:00:00Z" } })).toBe(false);
    expect(isNewReceiver({ activated: 0, deactivated: 100, attributes: {} })).toBe(false);
  });
});

describe("double opt-in through Sync group and the person flows", () => {
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

  const run = (id: string, environment: Record<string, unknown>) =>
    fakes.simulator([syncGroupFlow().build()], environment).run(syncGroupFlow().build(), { body: { table: "list", id } });
  const store = () => fakes.cleverReach.server.store;
  const mails = () => store().sentFormMails.filter((m) => m.kind === "activate");
  const mailsTo = (email: string) => mails().filter((m) => m.email === email).length;
  const sendCalls = () => fakes.cleverReach.server.requests.filter((r) => r.operationId === "SendDoubleOptInMail").length;
  const groupOf = (listId: string) => Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
  const errorOf = (listId: string) => fakes.dataverse.row("list", listId)?.[COLUMNS.lastSyncError] ?? null;
  const state = (groupId: number) => Object.fromEntries([...groupContents(fakes, groupId).entries()].map(([e, r]) => [e, r.active ? "active" : "inactive"]));
  const tick = (id: string, s: 0 | 1 | 2) => patchRow(fakes, "contacts", id, { [COLUMNS.newsletterChecklist]: serializeChecklist(checklist({ 0: s })) });

  /** A list whose group exists (synced once with nobody eligible) and has a double opt-in form. */
  async function listWithForm(people: Array<{ firstname: string; states: Record<number, 0 | 1 | 2> }>) {
    const ids = seedContacts(fakes, people);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, ids);
    for (const id of ids) await tick(id, 0);
    expect((await run(listId, {})).error).toBeUndefined();
    const groupId = groupOf(listId);
    const form = fakes.cleverReach.seed.form("Double opt-in", groupId);
    for (const [i, id] of ids.entries()) await tick(id, (people[i]?.states[0] ?? 0) as 0 | 1 | 2);
    return { ids, listId, groupId, env: { [FORM]: String(form.id) } };
  }

  test("new people are added inactive and mailed once; the click activates; no later sync mails or activates again, also with the setting off", async () => {
    const { listId, groupId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const first = await run(listId, env);
    expect(first.error).toBeUndefined();
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive", "ben@example.com": "inactive" });
    expect(
      mails()
        .map((m) => [m.email, m.groupId])
        .sort(),
    ).toEqual([
      ["ann@example.com", groupId],
      ["ben@example.com", groupId],
    ]);
    // The request names the CRM row that asked; no IP address is claimed.
    expect(mails()[0]?.doidata).toEqual({ user_ip: "", referer: `Dataverse list ${listId}`, user_agent: "CleverReach Connector for Dataverse" });
    expect(store().receiver(groupId, "ann@example.com").attributes[DOI_MARK.name]).toBeTruthy();

    fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
    for (const environment of [env, env, {}]) expect((await run(listId, environment)).error).toBeUndefined();
    expect(state(groupId)).toEqual({ "ann@example.com": "active", "ben@example.com": "inactive" });
    expect(mails()).toHaveLength(2);
    expect(errorOf(listId)).toBeNull();
  }, 120_000);

  test.each([
    ["abc", () => doubleOptInNotANumber("abc")],
    ["12.5", () => doubleOptInNotANumber("12.5")],
    ["-3", () => doubleOptInNotANumber("-3")],
    ["form that does not exist", () => doubleOptInFormMissing(999_999)],
  ])(
    "bad setting (%s): the variable named on the record, nobody added, nothing sent",
    async (value, message) => {
      const { listId, groupId } = await listWithForm([{ firstname: "Ann", states: { 0: 1 } }]);
      const setting = value === "form that does not exist" ? "999999" : value;
      const r = await run(listId, { [FORM]: setting });
      const expected = message();
      expect(r.status).toBe("Failed");
      expect(r.error).toEqual({ code: "InvalidConfiguration", message: expected });
      expect(errorOf(listId)).toBe(expected);
      expect(errorOf(listId)).toContain(FORM);
      expect(state(groupId)).toEqual({});
      expect(sendCalls()).toBe(0);
      expect(r.counts.operations[`${CLEVERREACH_API}:UpsertReceivers`] ?? 0).toBe(0);
    },
    60_000,
  );

  test("a first sync with double opt-in on and a form id that does not exist creates the group and stops before adding anyone, in words; with a real form it goes on", async () => {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 0: 1 } }]);
    const listId = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const r = await run(listId, { [FORM]: "77" });
    const groupId = groupOf(listId);
    expect(r.error).toEqual({ code: "InvalidConfiguration", message: doubleOptInFormMissing(77) });
    expect(errorOf(listId)).toBe(doubleOptInFormMissing(77));
    expect(state(groupId)).toEqual({});
    const form = fakes.cleverReach.seed.form("Double opt-in", groupId);
    expect((await run(listId, { [FORM]: String(form.id) })).error).toBeUndefined();
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive" });
    expect(mailsTo("ann@example.com")).toBe(1);
    expect(errorOf(listId)).toBeNull();
  }, 60_000);

  test("the send's answer is lost: the platform does not send it again, the record says so in words, and no later run mails again", async () => {
    const { listId, groupId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "SendDoubleOptInMail", at: "answer" });
    const running = run(listId, env);
    const caught = await gate.reached;
    gate.lose();
    const r = await running;
    expect(r.error).toBeUndefined();
    const lost = JSON.stringify(caught).includes("ann@") ? "ann@example.com" : "ben@example.com";
    const note = String(errorOf(listId));
    expect(note).toMatch(new RegExp(`^${SEND_NOTE.start.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${lost} \\(504: `));
    expect(note.endsWith(SEND_NOTE.end)).toBe(true);
    expect([mailsTo("ann@example.com"), mailsTo("ben@example.com")]).toEqual([1, 1]);
    expect(sendCalls()).toBe(2);
    for (let i = 0; i < 2; i++) expect((await run(listId, env)).error).toBeUndefined();
    expect([mailsTo("ann@example.com"), mailsTo("ben@example.com")]).toEqual([1, 1]);
    expect(sendCalls()).toBe(2);
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive", "ben@example.com": "inactive" });
    // The note stays until a run that changes something; the next change clears it.
  }, 120_000);

  test("a send CleverReach refuses is noted on the record with its reason; the others are mailed", async () => {
    const { listId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    await fakes.cleverReach.client.ok("AddToBlacklist", {}, { email: "ben@example.com" });
    expect((await run(listId, env)).error).toBeUndefined();
    expect(mailsTo("ann@example.com")).toBe(1);
    expect(mailsTo("ben@example.com")).toBe(0);
    expect(String(errorOf(listId))).toContain(`${SEND_NOTE.start}ben@example.com (400: `);
  }, 60_000);

  test("the mark's answer is lost: its retry writes the same mark, one mail", async () => {
    const { listId, env } = await listWithForm([{ firstname: "Ann", states: { 0: 1 } }]);
    const gate = fakes.gates.hold({ connector: "cleverreach", action: "Activate_new", at: "answer" });
    const running = run(listId, env);
    await gate.reached;
    gate.lose();
    expect((await running).error).toBeUndefined();
    expect(mailsTo("ann@example.com")).toBe(1);
  }, 60_000);

  test("never resubscribed: someone who unsubscribed (still accepted in the CRM) is never sent a confirmation, by any run", async () => {
    const { listId, groupId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const now = store().now();
    // Ann unsubscribed in CleverReach earlier; the back-sync has not brought it to the CRM yet.
    fakes.cleverReach.seed.receivers(groupId, [{ email: "ann@example.com", activated: now - 100, registered: now - 100 }]);
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    for (let i = 0; i < 2; i++) expect((await run(listId, env)).error).toBeUndefined();
    expect(mailsTo("ann@example.com")).toBe(0);
    // One request in all, Ben's: none was ever made for Ann (a refused one would show here too).
    expect(sendCalls()).toBe(1);
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive", "ben@example.com": "inactive" });
    expect(mailsTo("ben@example.com")).toBe(1);
  }, 120_000);

  test("new again: someone confirmed, removed and added back is asked again; someone awaiting confirmation who unticks and ticks again is not", async () => {
    const { ids, listId, groupId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 1 } },
      { firstname: "Ben", states: { 0: 1 } },
    ]);
    const [ann, ben] = ids as [string, string];
    expect((await run(listId, env)).error).toBeUndefined();
    fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
    await tick(ann, 0);
    await tick(ben, 0);
    expect((await run(listId, env)).error).toBeUndefined();
    // Ann (active, no longer wanted) is removed; Ben (awaiting confirmation: inactive) stays as he is.
    expect(state(groupId)).toEqual({ "ben@example.com": "inactive" });
    await tick(ann, 1);
    await tick(ben, 1);
    expect((await run(listId, env)).error).toBeUndefined();
    expect(mailsTo("ann@example.com")).toBe(2);
    expect(mailsTo("ben@example.com")).toBe(1);
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive", "ben@example.com": "inactive" });
  }, 120_000);

  // Every CleverReach call of a run that mails Ben, held before the service sees it and after it
  // answered; meanwhile Ann (mailed by an earlier run) clicks her link and a second run for the same
  // record starts (the lock makes it wait or fold into the first). Ann is never mailed again, Ben once.
  const STEPS = ["Group_forms", "Upsert_receivers", "Activate_new", "Send_confirmation", "Active_page"];
  test.each(STEPS.flatMap((action) => (["request", "answer"] as const).map((at) => [action, at] as const)))(
    "held at %s (%s) while Ann clicks and another run starts: one mail each, only Ann active",
    async (action, at) => {
      const { ids, listId, groupId, env } = await listWithForm([
        { firstname: "Ann", states: { 0: 1 } },
        { firstname: "Ben", states: { 0: 0 } },
      ]);
      expect((await run(listId, env)).error).toBeUndefined();
      expect(mailsTo("ann@example.com")).toBe(1);
      await tick(ids[1]!, 1);
      const gate = fakes.gates.hold({ connector: "cleverreach", action, at });
      const first = run(listId, env);
      await gate.reached;
      fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
      const second = run(listId, env);
      gate.release();
      const results = await Promise.all([first, second]);
      for (const r of results) expect(r.error).toBeUndefined();
      expect((await run(listId, env)).error).toBeUndefined();
      expect([mailsTo("ann@example.com"), mailsTo("ben@example.com")]).toEqual([1, 1]);
      expect(state(groupId)).toEqual({ "ann@example.com": "active", "ben@example.com": "inactive" });
    },
    60_000,
  );

  test("never resubscribed through the person flows: someone who unsubscribed and then changes name or address gets no confirmation", async () => {
    const { ids, listId, groupId, env } = await listWithForm([{ firstname: "Ann", states: { 0: 1 } }]);
    const [ann] = ids as [string];
    expect((await run(listId, env)).error).toBeUndefined();
    fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
    fakes.cleverReach.seed.unsubscribe(groupId, "ann@example.com");
    router = new TriggerRouter(fakes, buildFlows(), env);
    await patchRow(fakes, "contacts", ann, { firstname: "Anna" });
    await router.settle();
    await patchRow(fakes, "contacts", ann, { emailaddress1: "anna@example.com" });
    await router.settle();
    expect(mails().map((m) => m.email)).toEqual(["ann@example.com"]);
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive", "anna@example.com": "inactive" });
    expect(store().receiver(groupId, "anna@example.com").deactivated).toBeGreaterThan(0);
  }, 60_000);

  test("a person who newly accepts is added through Sync group by the person flow: one mail, also when the click and another change meet", async () => {
    const { ids, groupId, env } = await listWithForm([
      { firstname: "Ann", states: { 0: 0 } },
      { firstname: "Ben", states: { 0: 0 } },
    ]);
    const [ann, ben] = ids as [string, string];
    router = new TriggerRouter(fakes, buildFlows(), env);
    await tick(ann, 1);
    await router.settle();
    expect(state(groupId)).toEqual({ "ann@example.com": "inactive" });
    expect(mailsTo("ann@example.com")).toBe(1);
    // Ben's acceptance runs Sync group while Ann clicks, at each of its CleverReach writes.
    const gate = fakes.gates.hold({ connector: "cleverreach", operationId: "UpsertReceivers", at: "request" });
    await tick(ben, 1);
    await gate.reached;
    fakes.cleverReach.seed.confirm(groupId, "ann@example.com");
    gate.release();
    await router.settle();
    expect(state(groupId)).toEqual({ "ann@example.com": "active", "ben@example.com": "inactive" });
    expect([mailsTo("ann@example.com"), mailsTo("ben@example.com")]).toEqual([1, 1]);
  }, 120_000);
});
