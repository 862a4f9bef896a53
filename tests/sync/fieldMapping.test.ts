import { buildFlows } from "../../flows";
import { FIELD_MAPPING_ERRORS, MAX_MAPPED_VALUE } from "../../flows/product/rules/fieldMapping";
import { syncGroupFlow } from "../../flows/product/sync/syncGroupFlow";
import { MAPPED_ATTRIBUTE_DESCRIPTION } from "../../flows/product/sync/fieldMappingFlow";
import { COLUMNS, ENV } from "../../solution/src/model/handles";
import { startFakes, TriggerRouter, type Fakes } from "../sim/harness";
import { groupContents, patchRow, personRow, seedStaticList } from "./scenario";

/**
 * Field mapping (issue 18 item 1; README.md, "Field mapping"), end to end: Sync group and the
 * person flows run by the simulator against the fake Dataverse and CleverReach, with the setting
 * clvr_FieldMapping as a maker leaves it.
 */
const V = ENV.fieldMapping.schemaName;
const MAPPING = JSON.stringify({ contact: { jobtitle: "position", telephone1: "phone" }, lead: { jobtitle: "position" } });

describe("field mapping: Sync group", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());
  const flow = syncGroupFlow().build();
  const sync = (listId: string, mapping: string) => fakes.simulator([flow], { [V]: mapping }).run(flow, { body: { table: "list", id: listId } });
  const groupOf = (listId: string) => Number(fakes.dataverse.row("list", listId)?.[COLUMNS.cleverReachGroupId]);
  const store = () => fakes.cleverReach.server.store;
  const seedTwo = () => {
    const [ann, ben] = fakes.dataverse.seed("contact", [
      { ...personRow({ firstname: "Ann", states: { 0: 1 } }), jobtitle: "Einkauf", telephone1: "+49 30 1234" },
      personRow({ firstname: "Ben", states: { 0: 1 } }),
    ]);
    return { ann: ann!, ben: ben!, list: seedStaticList(fakes, "News", { 0: 1 }, [ann!, ben!]) };
  };

  test("the mapped columns reach CleverReach as global attributes, created when missing; empty columns as empty", async () => {
    const { list } = seedTwo();
    const r = await sync(list, MAPPING);
    expect(r.error).toBeUndefined();
    const group = groupContents(fakes, groupOf(list));
    expect(group.get("ann@example.com")?.attributes).toMatchObject({ firstname: "Ann", position: "Einkauf", phone: "+49 30 1234" });
    expect(group.get("ben@example.com")?.attributes).toMatchObject({ firstname: "Ben", position: "", phone: "" });
    const created = store()
      .attributesOf(0)
      .filter((a) => ["position", "phone"].includes(a.name));
    expect(created.map((a) => [a.name, a.type, a.description])).toEqual([
      ["position", "text", MAPPED_ATTRIBUTE_DESCRIPTION],
      ["phone", "text", MAPPED_ATTRIBUTE_DESCRIPTION],
    ]);
  }, 60_000);

  test("yes/no columns as their labels (fieldMappingLabels.test.ts), an empty column as empty", async () => {
    const { ann, list } = seedTwo();
    await patchRow(fakes, "contacts", ann, { donotemail: true });
    expect((await sync(list, JSON.stringify({ contact: { donotemail: "no_email", mobilephone: "mobile" } }))).error).toBeUndefined();
    const group = groupContents(fakes, groupOf(list));
    expect(group.get("ann@example.com")?.attributes).toMatchObject({ no_email: "Do Not Allow", mobile: "" });
  }, 60_000);

  test("an attribute CleverReach already has is used, not created again", async () => {
    fakes.cleverReach.seed.attribute(0, "position");
    const { list } = seedTwo();
    const r = await sync(list, MAPPING);
    expect(r.error).toBeUndefined();
    expect(
      store()
        .attributesOf(0)
        .filter((a) => a.name === "position"),
    ).toHaveLength(1);
    expect(groupContents(fakes, groupOf(list)).get("ann@example.com")?.attributes.position).toBe("Einkauf");
  }, 60_000);

  test("every full sync carries a changed mapped column; a long value is cut to fit", async () => {
    const { ann, list } = seedTwo();
    const withNotes = JSON.stringify({ contact: { jobtitle: "position", description: "notes" } });
    expect((await sync(list, withNotes)).error).toBeUndefined();
    const answer = await patchRow(fakes, "contacts", ann, { jobtitle: "Vertrieb", description: "x".repeat(300) });
    expect(answer.status).toBeLessThan(300);
    expect((await sync(list, withNotes)).error).toBeUndefined();
    const attributes = groupContents(fakes, groupOf(list)).get("ann@example.com")?.attributes;
    expect(attributes?.position).toBe("Vertrieb");
    expect(attributes?.notes).toBe("x".repeat(MAX_MAPPED_VALUE));
  }, 60_000);

  test("never re-activated: an unsubscribed receiver gets the new value and stays unsubscribed", async () => {
    const { ann, list } = seedTwo();
    expect((await sync(list, MAPPING)).error).toBeUndefined();
    fakes.cleverReach.seed.unsubscribe(groupOf(list), "ann@example.com");
    await patchRow(fakes, "contacts", ann, { jobtitle: "Vertrieb" });
    expect((await sync(list, MAPPING)).error).toBeUndefined();
    const receiver = groupContents(fakes, groupOf(list)).get("ann@example.com");
    expect(receiver).toMatchObject({ active: false });
    expect(receiver?.attributes.position).toBe("Vertrieb");
  }, 60_000);

  test("no mapping ({} or empty): the receivers as before, no attribute created", async () => {
    for (const none of ["{}", ""]) {
      const { list } = seedTwo();
      expect((await sync(list, none)).error).toBeUndefined();
      expect(Object.keys(groupContents(fakes, groupOf(list)).get("ann@example.com")?.attributes ?? {}).sort()).toEqual(
        ["company", "crm_id", "crm_table", "firstname", "lastname", "salutation"].sort(),
      );
    }
    expect(
      store()
        .attributesOf(0)
        .map((a) => a.name),
    ).not.toContain("position");
  }, 60_000);

  // Bad input: the error names the variable on the record; no group, no receiver, no attribute.
  const bad: Array<[string, string, string]> = [
    ["not JSON", '{"contact": {"jobtitle": "position"', FIELD_MAPPING_ERRORS.unreadable],
    ["an unknown table", '{"contacts": {"jobtitle": "position"}}', FIELD_MAPPING_ERRORS.shape],
    ["an attribute of the connector's own", '{"contact": {"jobtitle": "firstname"}}', FIELD_MAPPING_ERRORS.reserved("contact", "firstname")],
    [
      "an unknown column (Dataverse refuses it: 0x80041103)",
      '{"contact": {"jobtitel": "position"}}',
      FIELD_MAPPING_ERRORS.unknownColumn("contact", "jobtitel") +
        "'contact' entity doesn't contain attribute with Name = 'jobtitel' and NameMapping = 'Logical'.",
    ],
    ["a lookup column (unsupported type)", '{"contact": {"parentcustomerid": "firma"}}', FIELD_MAPPING_ERRORS.unsupported("contact", "parentcustomerid")],
    ["a file column (its value is the file's id)", '{"contact": {"new_contract": "contract"}}', FIELD_MAPPING_ERRORS.fileOrImage("contact", "new_contract")],
    [
      "an image column (its value is the thumbnail's bytes)",
      '{"contact": {"entityimage": "photo"}}',
      FIELD_MAPPING_ERRORS.fileOrImage("contact", "entityimage"),
    ],
  ];
  test.each(bad)(
    "%s: the error on the record names the variable; nothing reaches CleverReach",
    async (_what, value, error) => {
      const { ann, list } = seedTwo();
      const [acme] = fakes.dataverse.seed("account", [{ name: "Acme" }]);
      await patchRow(fakes, "contacts", ann, { "parentcustomerid_account@odata.bind": `/accounts(${acme!})` });
      // A file and an image as Dataverse keeps them (the file's id, the thumbnail's bytes and their companion columns).
      fakes.dataverse.change("contact", ann, {
        new_contract: "0f8fad5b-d9cb-469f-a165-70867728950e",
        new_contract_name: "contract.pdf",
        entityimage: "/9j/".padEnd(400, "A"),
        entityimage_url: `/Image/download.aspx?Entity=contact&Attribute=entityimage&Id=${ann}&Timestamp=1`,
      });
      fakes.cleverReach.server.requests.length = 0;
      const r = await sync(list, value);
      expect(r.status).toBe("Failed");
      expect(r.error?.code).toBe("InvalidConfiguration");
      expect(r.error?.message).toBe(error);
      expect(fakes.dataverse.row("list", list)?.[COLUMNS.lastSyncError]).toBe(error);
      expect(String(error)).toContain(V);
      expect(fakes.cleverReach.server.requests).toEqual([]);
    },
    60_000,
  );

  test("a mapping broken after a good sync: nothing is written with a wrong value, the receivers keep theirs", async () => {
    const { ann, list } = seedTwo();
    expect((await sync(list, MAPPING)).error).toBeUndefined();
    await patchRow(fakes, "contacts", ann, { jobtitle: "Vertrieb" });
    fakes.cleverReach.server.requests.length = 0;
    const r = await sync(list, '{"contact": {"jobtitle": "position", "telephone1": "position"}}');
    expect(r.error?.message).toBe(FIELD_MAPPING_ERRORS.duplicate("contact", "position"));
    expect(fakes.cleverReach.server.requests.filter((q) => q.method !== "GET")).toEqual([]);
    expect(groupContents(fakes, groupOf(list)).get("ann@example.com")?.attributes.position).toBe("Einkauf");
  }, 60_000);
});

describe("field mapping: the person flows", () => {
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

  const setUp = async (mapping: string) => {
    const [ann] = fakes.dataverse.seed("contact", [{ ...personRow({ firstname: "Ann", states: { 0: 1 } }), jobtitle: "Einkauf" }]);
    const list = seedStaticList(fakes, "News", { 0: 1 }, [ann!]);
    const flow = syncGroupFlow().build();
    expect((await fakes.simulator([flow], { [V]: MAPPING }).run(flow, { body: { table: "list", id: list } })).error).toBeUndefined();
    const group = Number(fakes.dataverse.row("list", list)?.[COLUMNS.cleverReachGroupId]);
    router = new TriggerRouter(fakes, buildFlows(), { [V]: mapping });
    return { ann: ann!, group };
  };

  test("a change of a mapped column alone starts no person flow (its trigger watches fixed columns): the nightly full sync carries it", async () => {
    const { ann, group } = await setUp(MAPPING);
    await patchRow(fakes, "contacts", ann, { jobtitle: "Vertrieb" });
    await router!.settle();
    expect(personRuns()).toEqual([]);
    expect(groupContents(fakes, group).get("ann@example.com")?.attributes.position).toBe("Einkauf");
  }, 60_000);

  test("a change the person flow sees takes the mapped columns along, and an unsubscribed receiver stays so", async () => {
    const { ann, group } = await setUp(MAPPING);
    fakes.cleverReach.seed.unsubscribe(group, "ann@example.com");
    await patchRow(fakes, "contacts", ann, { jobtitle: "Vertrieb", firstname: "Anna" });
    await router!.settle();
    expect(personRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
    const receiver = groupContents(fakes, group).get("ann@example.com");
    expect(receiver?.attributes).toMatchObject({ firstname: "Anna", position: "Vertrieb" });
    expect(receiver?.active).toBe(false);
  }, 60_000);

  test("an unchanged mapped value writes nothing (the person flow compares it too)", async () => {
    const { ann } = await setUp(MAPPING);
    fakes.cleverReach.server.requests.length = 0;
    await patchRow(fakes, "contacts", ann, { salutation: "" });
    await router!.settle();
    expect(personRuns().map((r) => r.result?.status)).toEqual(["Succeeded"]);
    expect(fakes.cleverReach.server.requests.filter((q) => q.method !== "GET")).toEqual([]);
  }, 60_000);

  test("a mapping that is not valid: the person flow stops naming the variable and writes nothing", async () => {
    const { ann, group } = await setUp('{"contact": {"jobtitle": 5}}');
    fakes.cleverReach.server.requests.length = 0;
    await patchRow(fakes, "contacts", ann, { firstname: "Anna", jobtitle: "Vertrieb" });
    await router!.settle();
    const runs = personRuns();
    expect(runs.map((r) => [r.result?.status, r.result?.error?.message])).toEqual([["Failed", FIELD_MAPPING_ERRORS.notText("contact")]]);
    expect(fakes.cleverReach.server.requests.filter((q) => q.method !== "GET")).toEqual([]);
    expect(groupContents(fakes, group).get("ann@example.com")?.attributes).toMatchObject({ firstname: "Ann", position: "Einkauf" });
  }, 60_000);
});
