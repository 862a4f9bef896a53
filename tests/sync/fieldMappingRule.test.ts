import {
  FIELD_MAPPING_ERRORS,
  fieldMappingFrom,
  fieldMappingText,
  MAX_MAPPED_FIELDS,
  mappedValue,
  suggestedMapping,
} from "../../flows/product/rules/fieldMapping";
import { fieldMappingFlow } from "../../flows/product/sync/fieldMappingFlow";
import { ENV } from "../../solution/src/model/handles";
import { startFakes, type Fakes } from "../sim/harness";
import { patchRow } from "./scenario";

const V = ENV.fieldMapping.schemaName;
const many = (n: number) => JSON.stringify({ contact: Object.fromEntries(Array.from({ length: n }, (_, i) => [`new_c${i}`, `a${i}`])) });

/** Values a maker (or a careless deployment) may leave in clvr_FieldMapping, with what each means. */
const CASES: Array<[string, string | null]> = [
  ["", null],
  ["   ", null],
  ["{}", null],
  ['{"contact":{"jobtitle":"position","telephone1":"phone"},"lead":{"jobtitle":"position"}}', null],
  ['{"lead":{"companyname":"firma"}}', null],
  ['{"contact":null}', null],
  ['{"contact":{"new_customer_no":"kundennummer"}}', null],
  [many(MAX_MAPPED_FIELDS), null],
  ["{contact: {jobtitle: position}}", FIELD_MAPPING_ERRORS.unreadable],
  ['{"contact":{"jobtitle":"position"}', FIELD_MAPPING_ERRORS.unreadable],
  ['{"contact":{"@id":"x"}}', FIELD_MAPPING_ERRORS.unreadable],
  ['{"contact":{"#text":"x"}}', FIELD_MAPPING_ERRORS.unreadable],
  ["[]", FIELD_MAPPING_ERRORS.shape],
  ['"contact"', FIELD_MAPPING_ERRORS.shape],
  ["null", FIELD_MAPPING_ERRORS.shape],
  ["42", FIELD_MAPPING_ERRORS.shape],
  ['{"contacts":{"jobtitle":"position"}}', FIELD_MAPPING_ERRORS.shape],
  ['{"contact":["jobtitle","position"]}', FIELD_MAPPING_ERRORS.shape],
  ['{"contact":"jobtitle"}', FIELD_MAPPING_ERRORS.shape],
  ['{"contact":{"jobtitle":5}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"contact":{"jobtitle":null}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"contact":{"jobtitle":true}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"lead":{"jobtitle":{"name":"position"}}}', FIELD_MAPPING_ERRORS.notText("lead")],
  ['{"lead":{"jobtitle":["position"]}}', FIELD_MAPPING_ERRORS.notText("lead")],
  ['{"contact":{"job title":"position"}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"contact":{"1st":"position"}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"contact":{"jobtitle":"pos\\"ition"}}', FIELD_MAPPING_ERRORS.notText("contact")],
  ['{"contact":{"JobTitle":"position"}}', FIELD_MAPPING_ERRORS.column("contact", "JobTitle")],
  ['{"contact":{"job.title":"position"}}', FIELD_MAPPING_ERRORS.column("contact", "job.title")],
  ['{"contact":{"jobtitle":"Position"}}', FIELD_MAPPING_ERRORS.attribute("contact", "Position")],
  ['{"contact":{"jobtitle":""}}', FIELD_MAPPING_ERRORS.attribute("contact", "")],
  ['{"contact":{"jobtitle":"_position"}}', FIELD_MAPPING_ERRORS.attribute("contact", "_position")],
  ['{"contact":{"jobtitle":"1position"}}', FIELD_MAPPING_ERRORS.attribute("contact", "1position")],
  ['{"contact":{"jobtitle":"job title"}}', FIELD_MAPPING_ERRORS.attribute("contact", "job title")],
  ['{"contact":{"jobtitle":"po\'sition"}}', FIELD_MAPPING_ERRORS.attribute("contact", "po'sition")],
  [`{"contact":{"jobtitle":"${"a".repeat(51)}"}}`, FIELD_MAPPING_ERRORS.attribute("contact", "a".repeat(51))],
  ['{"contact":{"jobtitle":"firstname"}}', FIELD_MAPPING_ERRORS.reserved("contact", "firstname")],
  ['{"lead":{"jobtitle":"crm_id"}}', FIELD_MAPPING_ERRORS.reserved("lead", "crm_id")],
  ['{"lead":{"jobtitle":"email"}}', FIELD_MAPPING_ERRORS.reserved("lead", "email")],
  ['{"contact":{"jobtitle":"crm_owner"}}', FIELD_MAPPING_ERRORS.reserved("contact", "crm_owner")],
  ['{"contact":{"jobtitle":"crm_synced"}}', FIELD_MAPPING_ERRORS.reserved("contact", "crm_synced")],
  ['{"contact":{"jobtitle":"position","telephone1":"position"}}', FIELD_MAPPING_ERRORS.duplicate("contact", "position")],
  [many(MAX_MAPPED_FIELDS + 1), FIELD_MAPPING_ERRORS.tooMany("contact")],
];

describe("field mapping (rule)", () => {
  test.each(CASES)("%s", (value, error) => {
    const r = fieldMappingFrom(value);
    expect(r.error ?? null).toBe(error);
    if (error) expect(r.error).toContain(V);
  });

  test("the mapping read is the JSON's, in its order; contact and lead may share an attribute", () => {
    expect(fieldMappingFrom('{"contact":{"telephone1":"phone","jobtitle":"position"},"lead":{"jobtitle":"position"}}').mapping).toEqual({
      contact: [
        { column: "telephone1", attribute: "phone" },
        { column: "jobtitle", attribute: "position" },
      ],
      lead: [{ column: "jobtitle", attribute: "position" }],
    });
  });

  test("values as CleverReach gets them: text, numbers with a point, ISO dates, labels of choices and yes/no, empty; cut to 255", () => {
    expect(mappedValue("Einkauf")).toBe("Einkauf");
    expect(mappedValue(1234.5, "1,234.50")).toBe("1234.5");
    expect(mappedValue(42, "42")).toBe("42");
    expect(mappedValue(9500, "9,500")).toBe("9500");
    expect(mappedValue("2026-03-01T00:00:00Z", "3/1/2026 12:00 AM")).toBe("2026-03-01T00:00:00Z");
    expect(mappedValue(true, "Do Not Allow")).toBe("Do Not Allow");
    expect(mappedValue(false, "Allow")).toBe("Allow");
    expect(mappedValue(2, "Email", true)).toBe("Email");
    expect(mappedValue("100000000,100000001", "Newsletter; Events", true)).toBe("Newsletter; Events");
    expect(mappedValue(null, undefined, true)).toBe("");
    expect(mappedValue(null)).toBe("");
    expect(mappedValue("x".repeat(300))).toHaveLength(255);
    expect(mappedValue(1, "y".repeat(300), true)).toHaveLength(255);
  });

  test("the suggestion maps the columns named like an existing attribute, never the connector's own", () => {
    const s = suggestedMapping({ contact: ["jobtitle", "firstname", "telephone1", "Fax"], lead: ["jobtitle", "companyname"] }, [
      "jobtitle",
      "firstname",
      "company",
      "fax",
      "telephone1",
    ]);
    expect(s).toEqual({
      contact: [
        { column: "jobtitle", attribute: "jobtitle" },
        { column: "telephone1", attribute: "telephone1" },
      ],
      lead: [{ column: "jobtitle", attribute: "jobtitle" }],
    });
    expect(fieldMappingFrom(fieldMappingText(s)).mapping).toEqual(s);
  });
});

/**
 * The flows' reading (CleverReach - Field mapping, run by the simulator) gives what the rule gives
 * for every value above: the same mapping, or the same error text.
 */
describe("CleverReach - Field mapping reads the setting as the rule does", () => {
  let fakes: Fakes;
  beforeAll(async () => {
    fakes = await startFakes();
  });
  afterAll(() => fakes.stop());
  const flow = fieldMappingFlow().build();

  test.each(CASES)(
    "%s",
    async (value, error) => {
      fakes.dataverse.seed("contact", [{ firstname: "A", lastname: "B", emailaddress1: "a@example.com", jobtitle: "Einkauf", telephone1: "0" }]);
      const r = await fakes.simulator([], { [V]: value }).run(flow, { body: { tables: "" } });
      expect(r.status).toBe("Succeeded");
      const answer = r.response?.body as { error: string; fields: Record<string, Array<{ column: string; attribute: string }>> };
      expect(answer.error).toBe(error ?? "");
      const rule = fieldMappingFrom(value);
      const read = (t: "contact" | "lead") => (answer.fields[t] ?? []).map((f) => ({ column: f.column, attribute: f.attribute }));
      expect({ contact: read("contact"), lead: read("lead") }).toEqual(rule.mapping ?? { contact: [], lead: [] });
    },
    30_000,
  );
});

/**
 * What only Dataverse knows: a column the table does not have, and a lookup (its id comes back as
 * `_column_value`). Each is an error naming the variable, and the flows stop on it (fieldMapping.test.ts).
 */
describe("CleverReach - Field mapping asks Dataverse about the mapped columns", () => {
  let fakes: Fakes;
  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(() => fakes.stop());
  const flow = fieldMappingFlow().build();
  const run = async (value: string, tables: string) => {
    const r = await fakes.simulator([], { [V]: value }).run(flow, { body: { tables } });
    expect(r.status).toBe("Succeeded");
    return r.response?.body as { error: string; fetch: Record<string, string>; slots: Record<string, Array<{ column: string; attribute: string }>> };
  };

  test("an unknown column: the variable, the table, the column and Dataverse's own words", async () => {
    const answer = await run('{"contact":{"jobtitle":"position","jobtitel":"beruf"}}', "contact,lead");
    expect(answer.error).toBe(
      FIELD_MAPPING_ERRORS.unknownColumn("contact", "jobtitel") +
        "'contact' entity doesn't contain attribute with Name = 'jobtitel' and NameMapping = 'Logical'.",
    );
    expect(answer.fetch.contact).toBe("");
  });

  test("only the tables asked for are probed: a lead flow is not stopped by a contact column", async () => {
    const answer = await run('{"contact":{"jobtitel":"beruf"},"lead":{"jobtitle":"position"}}', "lead");
    expect(answer.error).toBe("");
    expect(answer.fetch.lead).toBe('<attribute name="jobtitle"/>');
    const slots = answer.slots.lead ?? [];
    expect(slots).toHaveLength(MAX_MAPPED_FIELDS);
    expect(slots[0]).toMatchObject({ column: "jobtitle", attribute: "position" });
    expect(slots[1]).toMatchObject({ column: "", attribute: "" });
  });

  test("a check Dataverse refuses for another reason (rights): the error says the column could not be checked, with Dataverse's words", async () => {
    fakes.dataverse.failNext(1, 403);
    const answer = await run('{"contact":{"jobtitle":"position"}}', "contact");
    expect(answer.error.startsWith(FIELD_MAPPING_ERRORS.uncheckedColumn("contact", "jobtitle"))).toBe(true);
    expect(answer.error.length).toBeGreaterThan(FIELD_MAPPING_ERRORS.uncheckedColumn("contact", "jobtitle").length);
    expect(answer.fetch.contact).toBe("");
  });

  test("a lookup column is refused as a type the connector cannot send", async () => {
    const [acme] = fakes.dataverse.seed("account", [{ name: "Acme" }]);
    const [c] = fakes.dataverse.seed("contact", [{ lastname: "B", emailaddress1: "b@example.com" }]);
    await patchRow(fakes, "contacts", c!, { "parentcustomerid_account@odata.bind": `/accounts(${acme!})` });
    const answer = await run('{"contact":{"parentcustomerid":"firma"}}', "contact");
    expect(answer.error).toBe(FIELD_MAPPING_ERRORS.unsupported("contact", "parentcustomerid"));
  });
});
