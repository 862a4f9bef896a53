import { buildFlows } from "../../flows";
import { mappedValue } from "../../flows/product/rules/fieldMapping";
import { FORMATTED_VALUE } from "../fakes/dataverse/formattedValues";
import { tableByName } from "../fakes/dataverse/metadata";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, personRow, seedStaticList } from "./scenario";

/**
 * Mapped choices go as their labels (issue 18 item 1; README.md, "Field mapping"): a CleverReach user
 * who maps the preferred method of contact expects "Email", not "2". End to end: Sync group and the
 * person flows run by the simulator against the fake Dataverse, which gives formatted values as
 * Dataverse does (tests/fakes/dataverse/formattedValues.ts, with sources), and the fake CleverReach.
 */
const V = ENV.fieldMapping.schemaName;
/** A choice, a status reason, a yes/no, a maker's choice and Choices column, and three that are no labels. */
const MAPPING = JSON.stringify({
  contact: {
    preferredcontactmethodcode: "contact_method",
    statuscode: "crm_status",
    donotemail: "no_email",
    new_customertier: "tier",
    new_interests: "interests",
    numberofchildren: "children",
    birthdate: "birthday",
    jobtitle: "position",
  },
  lead: { preferredcontactmethodcode: "contact_method", statuscode: "crm_status", new_interests: "interests" },
});
const ANN = {
  preferredcontactmethodcode: 2,
  donotemail: true,
  new_customertier: 100000001,
  new_interests: "100000000,100000002",
  numberofchildren: 1200,
  birthdate: "1980-05-16T00:00:00Z",
  jobtitle: "Einkauf",
};
/** What CleverReach holds for Ann: labels for the choices, the value itself for the rest. */
const ANN_IN_CLEVERREACH = {
  contact_method: "Email",
  crm_status: "Active",
  no_email: "Do Not Allow",
  tier: "Silver",
  interests: "Newsletter; Webinars",
  children: "1200",
  birthday: "1980-05-16T00:00:00Z",
  position: "Einkauf",
};

const groupOf = (fakes: Fakes, listId: string) => Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);

describe("mapped choices go as their labels: Sync group", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());
  const flow = syncGroupFlow().build();
  const sync = (listId: string, mapping = MAPPING) => fakes.simulator([flow], { [V]: mapping }).run(flow, { body: { table: "list", id: listId } });
  const seedTwo = () => {
    const [ann, ben] = fakes.dataverse.seed("contact", [
      { ...personRow({ firstname: "Ann", states: { 0: 1 } }), ...ANN },
      // A yes/no column is never empty in Dataverse (its default is No).
      { ...personRow({ firstname: "Ben", states: { 0: 1 } }), donotemail: false },
    ]);
    return { ann: ann!, ben: ben!, list: seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]) };
  };

  test("a full sync sends choice, status, yes/no and Choices columns as their labels, numbers and dates as values, empty ones as empty", async () => {
    const { list } = seedTwo();
    const r = await sync(list);
    expect(r.error).toBeUndefined();
    const group = groupContents(fakes, groupOf(fakes, list));
    expect(group.get("ann@example.com")?.attributes).toMatchObject(ANN_IN_CLEVERREACH);
    // Ben has none of them: empty, not "null" nor a label of nothing; his yes/no is "Allow" (false).
    expect(group.get("ben@example.com")?.attributes).toMatchObject({
      contact_method: "",
      crm_status: "Active",
      no_email: "Allow",
      tier: "",
      interests: "",
      children: "",
      birthday: "",
    });
  }, 60_000);

  test("what CleverReach holds is the rule's value (mappedValue) of what Dataverse gives the flows", async () => {
    const { ann, ben, list } = seedTwo();
    expect((await sync(list)).error).toBeUndefined();
    const group = groupContents(fakes, groupOf(fakes, list));
    const contactColumns = tableByName("contact").columns;
    for (const [id, email] of [
      [ann, "ann@example.com"],
      [ben, "ben@example.com"],
    ] as const) {
      // The row as the connector's List rows reads it: every annotation (its Prefer header's default).
      const answer = await fakes.dataverse.handle({
        method: "GET",
        path: `/api/data/v9.1/contacts(${id})`,
        query: {},
        headers: { Prefer: "odata.include-annotations=*" },
      });
      const row = answer.body as Record<string, unknown>;
      const expected = Object.fromEntries(
        Object.entries(JSON.parse(MAPPING).contact as Record<string, string>).map(([column, attribute]) => {
          const spec = contactColumns[column];
          const hasOptions = spec?.type === "choice" || spec?.type === "multichoice";
          return [attribute, mappedValue(row[column], row[`${column}${FORMATTED_VALUE}`] as string | undefined, hasOptions)];
        }),
      );
      expect(group.get(email)?.attributes).toMatchObject(expected);
    }
  }, 60_000);

  test("a changed choice reaches CleverReach with its new label; a choice emptied empties the attribute", async () => {
    const { ann, list } = seedTwo();
    expect((await sync(list)).error).toBeUndefined();
    await patchRow(fakes, "contacts", ann, { preferredcontactmethodcode: 3, new_interests: "100000001", new_customertier: null });
    expect((await sync(list)).error).toBeUndefined();
    expect(groupContents(fakes, groupOf(fakes, list)).get("ann@example.com")?.attributes).toMatchObject({
      contact_method: "Phone",
      interests: "Events",
      tier: "",
    });
  }, 60_000);

  test("a choice no row had a value in at the last sync goes as its label once one has", async () => {
    const { ann, list } = seedTwo();
    // Nobody has a tier or interests at the first sync.
    await patchRow(fakes, "contacts", ann, { new_customertier: null, new_interests: null });
    expect((await sync(list)).error).toBeUndefined();
    await patchRow(fakes, "contacts", ann, { new_customertier: 100000000 });
    expect((await sync(list)).error).toBeUndefined();
    expect(groupContents(fakes, groupOf(fakes, list)).get("ann@example.com")?.attributes.tier).toBe("Gold");
  }, 60_000);

  test("leads: a lead's status reason and Choices as labels", async () => {
    const [lea] = fakes.dataverse.seed("lead", [
      { ...personRow({ firstname: "Lea", email: "lea@example.com", states: { 0: 1 } }), preferredcontactmethodcode: 5, new_interests: "100000001" },
    ]);
    const list = seedStaticList(fakes, "Leads", { 0: 1 }, [lea!], "lead");
    expect((await sync(list)).error).toBeUndefined();
    expect(groupContents(fakes, groupOf(fakes, list)).get("lea@example.com")?.attributes).toMatchObject({
      contact_method: "Mail",
      crm_status: "New",
      interests: "Events",
    });
  }, 60_000);
});

describe("mapped choices go as their labels: the person flows", () => {
  let fakes: Fakes;
  let router: TriggerRouter | undefined;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    router?.stop();
    await fakes.stop();
  });
  const personRuns = () => (router?.runs ?? []).filter((r) => r.flow.endsWith("changed"));

  test("a person saved with a new choice, yes/no and Choices: CleverReach gets the new labels at once", async () => {
    const [ann] = fakes.dataverse.seed("contact", [{ ...personRow({ firstname: "Ann", states: { 0: 1 } }), ...ANN }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const flow = syncGroupFlow().build();
    expect((await fakes.simulator([flow], { [V]: MAPPING }).run(flow, { body: { table: "list", id: list } })).error).toBeUndefined();
    const group = groupOf(fakes, list);
    router = new TriggerRouter(fakes, buildFlows(), { [V]: MAPPING });
    // firstname is a column the person flow's trigger watches; the mapped columns travel along.
    await patchRow(fakes, "contacts", ann!, {
      firstname: "Anna",
      preferredcontactmethodcode: 3,
      donotemail: false,
      new_interests: "100000001,100000002",
      new_customertier: null,
    });
    await router.settle();
    expect(personRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
    expect(groupContents(fakes, group).get("ann@example.com")?.attributes).toMatchObject({
      firstname: "Anna",
      contact_method: "Phone",
      no_email: "Allow",
      interests: "Events; Webinars",
      tier: "",
      children: "1200",
      birthday: "1980-05-16T00:00:00Z",
    });
  }, 60_000);

  test("a person saved with unchanged labels writes nothing (the labels compare equal)", async () => {
    const [ann] = fakes.dataverse.seed("contact", [{ ...personRow({ firstname: "Ann", states: { 0: 1 } }), ...ANN }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const flow = syncGroupFlow().build();
    expect((await fakes.simulator([flow], { [V]: MAPPING }).run(flow, { body: { table: "list", id: list } })).error).toBeUndefined();
    router = new TriggerRouter(fakes, buildFlows(), { [V]: MAPPING });
    fakes.cleverReach.server.requests.length = 0;
    await patchRow(fakes, "contacts", ann!, { salutation: "" });
    await router.settle();
    expect(personRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
    expect(fakes.cleverReach.server.requests.filter((q) => q.method !== "GET")).toEqual([]);
  }, 60_000);
});
