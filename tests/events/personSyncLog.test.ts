import { buildFlows } from "../../flows";
import { SYNC_LOG_OUTCOME_VALUE } from "../../flows/product/patterns/syncLog";
import { FAILURE_SENTENCES } from "../../flows/product/rules/messages";
import {
  HANDED_TO_SYNC_GROUP,
  personGroupFailureText,
  personGroupStoppedText,
  personLabel,
  PERSON_GROUP_CALLS,
  type PersonGroupCall,
} from "../../flows/product/rules/personSync";
import { serializeChecklist } from "../../pcf-checklist/src/checklist";
import { COLUMNS, ENV, LOOKUPS, TABLES } from "../../solution/src/model/handles";
import { groupCallFailure, personLabel as personLabelExpression } from "../../flows/product/events/personEventFlows/personSyncLog";
import { lit, variables } from "../../flows/toolkit/expr/build";
import { evaluateString } from "../../flows/toolkit/sim/evaluate";
import { FUNCTIONS } from "../../flows/toolkit/sim/functions";
import { closeRouted, openRouted, TriggerRouter, type Fakes } from "../sim/harness";
import { TRANSFER_SETTING_ERROR } from "../../flows/product/rules/eligibility";
import { checklist, groupContents, patchRow, personRow, seedContacts, seedStaticList, syncAndSettle } from "../sync/scenario";

/** A scenario with several flows takes 1–3 s idle; ten times that on a busy machine. */
const BUDGET = 60_000;
const CONTACT_CHANGED = "CleverReach - Contact changed";

describe("the person runs' texts are the rules'", () => {
  test("a refused call for a group, for every call and status", () => {
    for (const call of Object.keys(PERSON_GROUP_CALLS) as PersonGroupCall[]) {
      for (const [status, message] of [
        [0, ""],
        [400, "bad"],
        [401, ""],
        [404, "x"],
        [429, "x"],
        [503, "x".repeat(2000)],
      ] as const) {
        const step = PERSON_GROUP_CALLS[call].step;
        const action = status === 0 ? null : { statusCode: status, body: message === "" ? null : message };
        const text = evaluateString(groupCallFailure(call, lit("1001"), step).value, { context: { outputs: () => action }, functions: FUNCTIONS });
        expect(text).toBe(personGroupFailureText({ call, group: "1001", status, message }));
      }
    }
  });

  test("the person a row names, and a deleted one", () => {
    const people = [
      { firstname: "Ann", lastname: "Smith", emailaddress1: "ann@example.com" },
      { firstname: null, lastname: "Smith", emailaddress1: null },
      null,
    ];
    for (const person of people) {
      const text = evaluateString(personLabelExpression("contact", lit("id-1"), variables("person")).value, {
        context: { variables: () => person },
        functions: FUNCTIONS,
      });
      expect(text).toBe(personLabel("contact", "id-1", person));
    }
  });
});

/**
 * Issue 18 item 2 for the person flows: a contact's save that adds, updates or removes receivers
 * leaves one sync log row per group it changed, on that group's list, and a failure says in words
 * what went wrong, on the list's row and on the contact, until the next good run clears it.
 */
describe("a person run on the sync log and on the person", () => {
  let fakes: Fakes;
  let router: TriggerRouter;
  const flows = buildFlows();
  beforeEach(async () => ({ fakes, router } = await openRouted(flows)));
  afterEach(() => closeRouted(fakes, router));

  const sync = (table: string, id: string) => syncAndSettle(fakes, router, flows, table, id);
  const personRows = () => fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] === CONTACT_CHANGED);
  const personError = (id: string) => fakes.dataverse.row("contact", id)?.[COLUMNS.cleverReachSyncError] ?? null;
  const contactRuns = () => router.runs.filter((r) => r.flow.startsWith(CONTACT_CHANGED));
  const save = async (id: string, body: Record<string, unknown>) => {
    router.runs.length = 0;
    await patchRow(fakes, "contacts", id, body);
    await router.settle();
  };

  /** Ann, not yet accepting type 0, is a member of News and Offers, both synced (their groups hold nobody). */
  async function annInTwoLists() {
    const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 1: 1 } }]);
    const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const offers = seedStaticList(fakes, "Offers", { 0: 1 }, [ann!]);
    const groups = { [news]: await sync("list", news), [offers]: await sync("list", offers) };
    expect(personRows()).toEqual([]);
    return { ann: ann!, news, offers, groups };
  }

  test(
    "a save that adds Ann to two lists' groups leaves two rows, each on its list, with her named and one added",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(groupContents(fakes, s.groups[s.news]!).get("ann@example.com")?.active).toBe(true);
      const rows = personRows();
      expect(rows).toHaveLength(2);
      for (const list of [s.news, s.offers]) {
        const row = rows.find((r) => r[LOOKUPS.marketingList.value] === list);
        expect(row).toMatchObject({
          [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.succeeded,
          [COLUMNS.recordTable]: "list",
          [COLUMNS.recordId]: list,
          [COLUMNS.groupId]: String(s.groups[list]),
          [COLUMNS.added]: 1,
          [COLUMNS.updated]: 0,
          [COLUMNS.removed]: 0,
          [COLUMNS.skipped]: 0,
          [COLUMNS.error]: "",
          [COLUMNS.person]: `Ann Person <ann@example.com> (contact ${s.ann})`,
        });
        expect(String(row?.[COLUMNS.runUrl])).toMatch(/^https:\/\/make\.powerautomate\.com\/environments\/.+\/flows\/.+\/runs\/.+/);
        expect(typeof row?.[COLUMNS.startedOn]).toBe("string");
        expect(typeof row?.[COLUMNS.endedOn]).toBe("string");
      }
      expect(personError(s.ann)).toBeNull();

      // A name change: CleverReach keeps first and last name per address, for every group (global
      // attributes), so the first group's update changes the second too: one updated, one row.
      await save(s.ann, { firstname: "Anna" });
      const updated = personRows().filter((r) => r[COLUMNS.updated] === 1);
      expect(updated).toHaveLength(1);
      expect(updated[0]).toMatchObject({ [COLUMNS.added]: 0, [COLUMNS.person]: `Anna Person <ann@example.com> (contact ${s.ann})` });
      expect(personRows()).toHaveLength(3);

      // Declined: one removed on each list.
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 2, 1: 1 })) });
      const removed = personRows().filter((r) => r[COLUMNS.removed] === 1);
      expect(removed.map((r) => r[LOOKUPS.marketingList.value]).sort()).toEqual([s.news, s.offers].sort());
      expect(personRows()).toHaveLength(5);
    },
    BUDGET,
  );

  test(
    "a save that changes nothing in CleverReach leaves no row, and nothing on the person",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      expect(personRows()).toHaveLength(2);
      // Type 3 is sent by neither list: the run looks at both groups and changes nothing.
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1, 3: 1 })) });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personRows()).toHaveLength(2);
      expect(personError(s.ann)).toBeNull();
    },
    BUDGET,
  );

  test.each([
    [400, 1, FAILURE_SENTENCES.cleverreach.other],
    // As many 429s as the connector's retry policy tries (1 + 4): only the first group's update is refused.
    [429, 5, FAILURE_SENTENCES.cleverreach[429]],
  ] as const)(
    "CleverReach refuses Ann's update in one group with %i (past the retries): a failed row in words on that list, the error on Ann; the next good save clears it",
    async (status, times, sentence) => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      fakes.cleverReach.server.injectFault({ kind: "status", status, times, operationId: "UpsertReceivers" });
      await save(s.ann, { firstname: "Anna" });

      const runs = contactRuns();
      expect(runs.map((r) => r.result?.status)).toEqual(["Failed"]);
      const failed = personRows().filter((r) => r[COLUMNS.outcome] === SYNC_LOG_OUTCOME_VALUE.failed);
      expect(failed).toHaveLength(1);
      const list = failed[0]?.[LOOKUPS.marketingList.value] as string;
      const group = s.groups[list]!;
      const text = String(failed[0]?.[COLUMNS.error]);
      expect(text.startsWith(`Updating the receiver in CleverReach group ${group} failed: ${sentence} Details: step Update_receiver (${status}): `)).toBe(true);
      expect(failed[0]).toMatchObject({ [COLUMNS.updated]: 0, [COLUMNS.recordId]: list, [COLUMNS.person]: `Anna Person <ann@example.com> (contact ${s.ann})` });
      // The other group got its turn and its row.
      const other = list === s.news ? s.offers : s.news;
      expect(personRows().filter((r) => r[LOOKUPS.marketingList.value] === other && r[COLUMNS.updated] === 1)).toHaveLength(1);
      expect(groupContents(fakes, s.groups[other]!).get("ann@example.com")?.attributes.firstname).toBe("Anna");
      // On Ann, and as the run's error.
      expect(personError(s.ann)).toBe(text);
      expect(runs[0]?.result?.error).toEqual({ code: "PersonSyncFailed", message: text });
      expect(fakes.dataverse.rows(TABLES.syncLock.logicalName)).toEqual([]);

      // The next save that goes through clears it.
      await save(s.ann, { lastname: "Smith" });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personError(s.ann)).toBeNull();
      expect(groupContents(fakes, group).get("ann@example.com")?.attributes).toMatchObject({ firstname: "Anna", lastname: "Smith" });
    },
    BUDGET,
  );

  test(
    "a receiver lookup that keeps failing: a failed row on that list and the error on Ann, in words",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      // More 500s than the connector's retry policy tries (1 + 4).
      fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "GetGroupReceiver" });
      await save(s.ann, { firstname: "Anna" });
      const failed = personRows().filter((r) => r[COLUMNS.outcome] === SYNC_LOG_OUTCOME_VALUE.failed);
      expect(failed).toHaveLength(1);
      const group = Number(failed[0]?.[COLUMNS.groupId]);
      const text = String(failed[0]?.[COLUMNS.error]);
      expect(text.startsWith(personGroupFailureText({ call: "lookup", group: String(group), status: 500, message: "" }).split(" Details:")[0]!)).toBe(true);
      expect(personError(s.ann)).toBe(text);
    },
    BUDGET,
  );

  test(
    "a group whose ownership cannot be read: a failed row on that list saying where to look, the run fails, the error on Ann",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      // The first group's attributes (its owner mark) stay unreadable past the retries (1 + 4).
      fakes.cleverReach.server.injectFault({ kind: "status", status: 500, times: 5, operationId: "ListAttributes" });
      await save(s.ann, { firstname: "Anna" });
      const failed = personRows().filter((r) => r[COLUMNS.outcome] === SYNC_LOG_OUTCOME_VALUE.failed);
      expect(failed).toHaveLength(1);
      const text = personGroupStoppedText(String(failed[0]?.[COLUMNS.groupId]));
      expect(failed[0]?.[COLUMNS.error]).toBe(text);
      expect(personError(s.ann)).toBe(text);
      expect(contactRuns()[0]?.result?.error).toEqual({ code: "PersonSyncFailed", message: text });
    },
    BUDGET,
  );

  test(
    "a failure outside any group (Dataverse refuses reading Ann's lists): no row, the error in words on Ann; the next good save clears it",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      const rows = personRows().length;
      fakes.gates.hold({ connector: "dataverse", action: "Static_lists", at: "request" }).fail();
      await save(s.ann, { firstname: "Anna" });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Failed"]);
      expect(personRows()).toHaveLength(rows);
      const text = String(personError(s.ann));
      expect(text.startsWith(`CleverReach update of this contact failed: ${FAILURE_SENTENCES.dataverse.any} Details: step Static_lists (400): `)).toBe(true);
      expect(contactRuns()[0]?.result?.error).toEqual({ code: "PersonSyncFailed", message: text });
      await save(s.ann, { lastname: "Smith" });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personError(s.ann)).toBeNull();
    },
    BUDGET,
  );

  test(
    "a lead's save: the row is on the campaign the lead belongs to, named as the lead",
    async () => {
      const [campaignId] = fakes.dataverse.seed("campaign", [
        { name: "Autumn", clvr_syncwithcleverreach: true, clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) },
      ]);
      const [lea] = fakes.dataverse.seed("lead", [
        { ...personRow({ firstname: "Lea", states: { 1: 1 } }), companyname: "Old", "campaignid@odata.bind": `/campaigns(${campaignId})` },
      ]);
      const group = await sync("campaign", campaignId!);
      router.runs.length = 0;
      await patchRow(fakes, "leads", lea!, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1 })) });
      await router.settle();
      const rows = fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] === "CleverReach - Lead changed");
      expect(rows).toEqual([
        expect.objectContaining({
          [LOOKUPS.campaign.value]: campaignId,
          [COLUMNS.recordTable]: "campaign",
          [COLUMNS.groupId]: String(group),
          [COLUMNS.added]: 1,
          [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.succeeded,
          [COLUMNS.person]: `Lea Person <lea@example.com> (lead ${lea})`,
        }),
      ]);
    },
    BUDGET,
  );

  test(
    "an invalid transfer setting stops the run before anything is sent, with the setting's sentence on Ann; once corrected, her next save clears it",
    async () => {
      const s = await annInTwoLists();
      router.stop();
      router = new TriggerRouter(fakes, flows, { clvr_TransferTables: { tabels: ["contact"] } });
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      expect(contactRuns().map((r) => r.result?.error?.code)).toEqual(["InvalidConfiguration"]);
      expect(personError(s.ann)).toBe(TRANSFER_SETTING_ERROR);
      expect(personRows()).toEqual([]);
      router.stop();
      router = new TriggerRouter(fakes, flows, { clvr_TransferTables: { tables: ["contact", "account", "lead"] } });
      await save(s.ann, { firstname: "Anna" });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personError(s.ann)).toBeNull();
      expect(personRows()).toHaveLength(2);
    },
    BUDGET,
  );

  test(
    "a field mapping that is not JSON: the run stops with its sentence on Ann",
    async () => {
      const s = await annInTwoLists();
      router.stop();
      router = new TriggerRouter(fakes, flows, { [ENV.fieldMapping.schemaName]: '{"contact": {"jobtitle": "position"' });
      await save(s.ann, { firstname: "Anna" });
      const error = contactRuns()[0]?.result?.error;
      expect(error?.code).toBe("InvalidConfiguration");
      expect(error?.message).toContain(ENV.fieldMapping.schemaName);
      expect(personError(s.ann)).toBe(error?.message);
    },
    BUDGET,
  );

  test(
    "a save whose run waits at Ann's lock too long gives up in words on Ann; the holder's run, which reads Ann afresh, clears it",
    async () => {
      const s = await annInTwoLists();
      // Run A holds Ann's lock and does not go on (a gate's hold is no time on the virtual clock).
      const stuck = fakes.gates.hold({ connector: "dataverse", action: "Get_person" });
      router.runs.length = 0;
      await patchRow(fakes, "contacts", s.ann, { firstname: "Anna" });
      await stuck.reached;
      await patchRow(fakes, "contacts", s.ann, { lastname: "Smith" });
      for (let i = 0; i < 500 && contactRuns()[1]?.result === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      const waited = contactRuns()[1]?.result;
      expect(waited?.status).toBe("Failed");
      expect(waited?.error?.message).toMatch(/^CleverReach update of contact waited \d+ hours for another run on this record to finish and gave up/);
      expect(personError(s.ann)).toBe(waited?.error?.message);
      stuck.release();
      await router.settle();
      expect(contactRuns()[0]?.result?.status).toBe("Succeeded");
      expect(personError(s.ann)).toBeNull();
    },
    BUDGET,
  );

  test(
    "double opt-in on: Ann newly accepting is handed to Sync group, and the row on the list says so (skipped, why); Sync group's own row follows",
    async () => {
      // Ann in News only: the form belongs to News's group (one form per group, Double opt-in in the README).
      const [ann] = seedContacts(fakes, [{ firstname: "Ann", states: { 1: 1 } }]);
      const news = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
      const s = { ann: ann!, news, groups: { [news]: await sync("list", news) } };
      const form = fakes.cleverReach.seed.form("Double opt-in", s.groups[s.news]!);
      router.stop();
      router = new TriggerRouter(fakes, flows, { [ENV.doubleOptInForm.schemaName]: String(form.id) });
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personRows()).toEqual([
        expect.objectContaining({
          [LOOKUPS.marketingList.value]: s.news,
          [COLUMNS.outcome]: SYNC_LOG_OUTCOME_VALUE.succeeded,
          [COLUMNS.added]: 0,
          [COLUMNS.skipped]: 1,
          [COLUMNS.skippedWhy]: HANDED_TO_SYNC_GROUP.doubleOptIn,
        }),
      ]);
      const syncRows = fakes.dataverse.rows(TABLES.syncLog.logicalName).filter((r) => r[COLUMNS.flow] !== CONTACT_CHANGED && r[COLUMNS.added] === 1);
      expect(syncRows.map((r) => r[LOOKUPS.marketingList.value])).toEqual([s.news]);
      expect(groupContents(fakes, s.groups[s.news]!).get("ann@example.com")?.active).toBe(false);
    },
    BUDGET,
  );

  test(
    "Ann deactivated: one removed on each list's row; deleted afterwards, nothing more to remove, no row",
    async () => {
      const s = await annInTwoLists();
      await save(s.ann, { clvr_newsletterchecklist: serializeChecklist(checklist({ 0: 1, 1: 1 })) });
      await save(s.ann, { statecode: 1, statuscode: 2 });
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      const removed = personRows().filter((r) => r[COLUMNS.removed] === 1);
      expect(removed.map((r) => r[LOOKUPS.marketingList.value]).sort()).toEqual([s.news, s.offers].sort());
      expect(removed.every((r) => r[COLUMNS.person] === `Ann Person <ann@example.com> (contact ${s.ann})`)).toBe(true);
      router.runs.length = 0;
      await fakes.dataverse.handle({ method: "DELETE", path: `/api/data/v9.2/contacts(${s.ann})`, query: {}, headers: {} });
      await router.settle();
      expect(contactRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
      expect(personRows()).toHaveLength(4);
    },
    BUDGET,
  );
});
