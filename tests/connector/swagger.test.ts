import SwaggerParser from "@apidevtools/swagger-parser";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connectorFiles } from "../../scripts/generate-connector";
import { product } from "../../solution/src/model/product";
import { UPSERT_BATCH_LIMIT } from "../../connector/src/definition/definitions";
import { buildRequest, listOperations, loadSwagger, resolveSchema, SWAGGER_PATH, type SchemaObject } from "../../connector/src/operations";

const dir = join(__dirname, "..", "..", "connector");
const doc = loadSwagger();
const ops = listOperations(doc);
const props = JSON.parse(readFileSync(join(dir, "apiProperties.json"), "utf8")) as {
  properties: {
    connectionParameters: { token: { type: string; oAuthSettings: Record<string, unknown> & { customParameters: Record<string, { value: string }> } } };
    iconBrandColor: string;
  };
};

/** Every property reachable from a schema, with its path, following $refs once per definition. */
function walk(schema: SchemaObject, at: string, seen = new Set<string>()): Array<{ at: string; s: SchemaObject }> {
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return [];
    seen.add(schema.$ref);
  }
  const s = resolveSchema(doc, schema);
  const out: Array<{ at: string; s: SchemaObject }> = [];
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    out.push({ at: `${at}.${name}`, s: p.$ref ? resolveSchema(doc, p) : p }, ...walk(p, `${at}.${name}`, seen));
  }
  if (s.items) out.push(...walk(s.items, `${at}[]`, seen));
  return out;
}

describe("apiDefinition.swagger.json", () => {
  test("is valid OpenAPI 2.0 (swagger-parser: schema and $refs)", async () => {
    const api = await SwaggerParser.validate(SWAGGER_PATH);
    expect(api).toHaveProperty("swagger", "2.0");
  });

  test("targets the CleverReach REST API v3 over https", () => {
    expect([doc.host, doc.basePath, doc.schemes]).toEqual(["rest.cleverreach.com", "/v3", ["https"]]);
  });

  test("the committed files are what the typed definition generates", () => {
    for (const [name, content] of Object.entries(connectorFiles())) {
      expect({ name, same: readFileSync(join(dir, name)).equals(Buffer.from(content)) }).toEqual({ name, same: true });
    }
  });

  test("operationIds are unique and every operation has summary, description and a 200 answer", () => {
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of ops) {
      expect({ id: o.operationId, summary: o.summary.length > 3, description: o.description.length > 10 }).toEqual({
        id: o.operationId,
        summary: true,
        description: true,
      });
      expect(doc.paths[o.path]?.[o.method]?.responses["200"]).toBeDefined();
    }
  });

  test("every parameter has in, name, x-ms-summary, a description and a type or a schema", () => {
    for (const o of ops) {
      for (const p of o.parameters) {
        const where = `${o.operationId}.${p.name}`;
        expect({ where, ok: Boolean(p.in && p.name && p["x-ms-summary"] && p.description && (p.type || p.schema)) }).toEqual({ where, ok: true });
        if (p.in === "path") expect({ where, required: p.required }).toEqual({ where, required: true });
      }
    }
  });

  test("every body and answer field has x-ms-summary and a description (usable without Parse JSON)", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const o of ops) {
      for (const schema of [o.body, o.response]) {
        if (!schema) continue;
        for (const { at, s } of walk(schema, o.operationId)) {
          checked++;
          if (!s["x-ms-summary"] || !s.description) missing.push(at);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  test("every object answer describes its properties", () => {
    for (const o of ops) {
      if (!o.response) continue;
      const s = resolveSchema(doc, o.response);
      const objectSchema = s.type === "array" && s.items ? resolveSchema(doc, s.items) : s;
      if (objectSchema.type === "object")
        expect({ id: o.operationId, n: Object.keys(objectSchema.properties ?? {}).length > 0 }).toEqual({ id: o.operationId, n: true });
    }
  });

  test("group ids are picked from ListGroups (x-ms-dynamic-values)", () => {
    const groupParams = ops.flatMap((o) => o.parameters.filter((p) => p.name === "group_id").map((p) => ({ id: o.operationId, p })));
    expect(groupParams.length).toBeGreaterThan(10);
    for (const { id, p } of groupParams) {
      expect({ id, dv: p["x-ms-dynamic-values"] }).toEqual({ id, dv: { operationId: "ListGroups", "value-path": "id", "value-title": "name" } });
    }
    const listGroups = ops.find((o) => o.operationId === "ListGroups");
    const item = resolveSchema(doc, resolveSchema(doc, listGroups?.response ?? {}).items ?? {});
    expect(Object.keys(item.properties ?? {})).toEqual(expect.arrayContaining(["id", "name"]));
  });

  test("every dynamic-values source operation exists", () => {
    for (const o of ops)
      for (const p of o.parameters) {
        const source = p["x-ms-dynamic-values"]?.operationId;
        if (source) expect(ops.map((x) => x.operationId)).toContain(source);
      }
  });

  test("the batch upsert allows at most 1000 receivers and closed request bodies", () => {
    const upsert = ops.find((o) => o.operationId === "UpsertReceivers");
    expect(upsert?.body?.maxItems).toBe(UPSERT_BATCH_LIMIT);
    expect(UPSERT_BATCH_LIMIT).toBe(1000);
    for (const name of ["ReceiverInput", "GroupInput", "AttributeInput", "BlacklistInput", "DoubleOptIn"])
      expect(doc.definitions[name]?.additionalProperties).toBe(false);
  });

  test("the activation fields tell makers CleverReach's rules (integration core), not the opposite", () => {
    for (const name of ["ReceiverInput", "ReceiverUpdate"]) {
      const fields = doc.definitions[name]?.properties ?? {};
      const activated = fields.activated?.description ?? "";
      const deactivated = fields.deactivated?.description ?? "";
      if (!fields.activated && !fields.deactivated) continue;
      expect({ name, activated }).toEqual({ name, activated: expect.stringContaining("0 makes the receiver inactive") });
      expect({ name, activated }).not.toEqual({ name, activated: expect.stringContaining("0 means not set") });
      expect({ name, deactivated }).toEqual({ name, deactivated: expect.stringMatching(/no integration can activate it again/) });
      expect({ name, deactivated }).not.toEqual({ name, deactivated: expect.stringMatching(/0 reactivates/i) });
    }
  });

  test("certification: title and description without API or Connector, a contact e-mail (PowerPlatformConnectors template)", () => {
    expect(doc.info.title).not.toMatch(/\b(api|connector|power (apps|automate|platform)|dataverse|dynamics)\b/i);
    expect(doc.info.description).not.toMatch(/\b(api|connector)\b/i);
    expect(doc.info.description.length).toBeGreaterThanOrEqual(30);
    expect(doc.info.description.length).toBeLessThanOrEqual(500);
    expect(doc.info.contact.email).toMatch(/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/);
  });

  test("certification: every parameter and field summary is in Title Case (connector string guidance)", () => {
    const minor = new Set([
      "a",
      "an",
      "the",
      "and",
      "but",
      "or",
      "nor",
      "for",
      "yet",
      "so",
      "at",
      "by",
      "from",
      "in",
      "into",
      "of",
      "off",
      "on",
      "onto",
      "out",
      "over",
      "to",
      "up",
      "with",
      "as",
      "per",
      "via",
    ]);
    const titleCase = (s: string): boolean =>
      s
        .split(" ")
        .every((word, i, words) => word.split("-").every((part, j) => /^[^a-z]/.test(part) || (j === 0 && i > 0 && i < words.length - 1 && minor.has(part))));
    const summaries = new Set<string>();
    const collect = (o: unknown): void => {
      if (Array.isArray(o)) o.forEach(collect);
      else if (o && typeof o === "object") {
        const s = (o as Record<string, unknown>)["x-ms-summary"];
        if (typeof s === "string") summaries.add(s);
        Object.values(o).forEach(collect);
      }
    };
    collect(doc);
    expect(summaries.size).toBeGreaterThan(100);
    expect([...summaries].filter((s) => !titleCase(s))).toEqual([]);
  });

  test("declares its test-connection operation at the root (x-ms-capabilities), a who-am-I call without parameters", () => {
    const op = ops.find((o) => o.operationId === doc["x-ms-capabilities"].testConnection.operationId);
    expect(op).toMatchObject({ method: "get", path: "/debug/whoami.json" });
    expect(op?.parameters).toEqual([]);
  });

  test("covers what the flows and makers need", () => {
    expect(ops.map((o) => o.operationId).sort()).toEqual(
      [
        "GetAccount",
        "GetTokenLifetime",
        "ListGroups",
        "GetGroup",
        "CreateGroup",
        "UpdateGroup",
        "DeleteGroup",
        "GetGroupStats",
        "ListGroupReceivers",
        "GetGroupReceiver",
        "GetReceiver",
        "UpsertReceivers",
        "UpdateGroupReceiver",
        "DeleteGroupReceiver",
        "ActivateGroupReceiver",
        "DeactivateGroupReceiver",
        "ListReceiverEvents",
        "ListReceiverOrders",
        "ListAttributes",
        "CreateGlobalAttribute",
        "CreateGroupAttribute",
        "ListMailings",
        "GetMailing",
        "ListReports",
        "ListReportReceivers",
        "ListForms",
        "ListGroupForms",
        "GetForm",
        "CreateFormFromTemplate",
        "SendDoubleOptInMail",
        "SendDoubleOptOutMail",
        "ListBlacklist",
        "AddToBlacklist",
        "RemoveFromBlacklist",
      ].sort(),
    );
  });
});

describe("apiProperties.json", () => {
  const token = props.properties.connectionParameters.token;
  const security = Object.values(doc.securityDefinitions);

  test("uses the generic OAuth 2 provider with CleverReach's endpoints, matching securityDefinitions", () => {
    expect(token.type).toBe("oauthSetting");
    expect(token.oAuthSettings.identityProvider).toBe("oauth2");
    expect(security).toHaveLength(1);
    expect(security[0]).toMatchObject({ type: "oauth2", flow: "accessCode" });
    expect(token.oAuthSettings.customParameters.authorizationUrl?.value).toBe(security[0]?.authorizationUrl);
    expect(token.oAuthSettings.customParameters.tokenUrl?.value).toBe(security[0]?.tokenUrl);
    expect(token.oAuthSettings.customParameters.refreshUrl?.value).toBe(security[0]?.tokenUrl);
    expect(security[0]?.authorizationUrl).toBe("https://rest.cleverreach.com/oauth/authorize.php?grant=basic&");
    expect(security[0]?.tokenUrl).toBe("https://rest.cleverreach.com/oauth/token.php");
  });

  test("carries a client id placeholder and never a client secret", () => {
    expect(token.oAuthSettings.clientId).toMatch(/^ENTER-/);
    expect(JSON.stringify(props)).not.toMatch(/secret/i);
  });

  test("brand colour matches the solution model", () => {
    expect(props.properties.iconBrandColor).toBe(product.connector.iconBrandColor);
  });
});

describe("README.md", () => {
  const readme = readFileSync(join(dir, "README.md"), "utf8");

  test("has the required sections of the PowerPlatformConnectors readme template", () => {
    const headings = readme
      .split("\n")
      .filter((l) => l.startsWith("## "))
      .map((l) => l.replace(/^## /, "").replace(/:.*$/, ""));
    for (const required of [
      "Publisher",
      "Prerequisites",
      "Supported Operations",
      "Obtaining Credentials",
      "Known Issues and Limitations",
      "Deployment Instructions",
    ]) {
      expect({ required, present: headings.includes(required) }).toEqual({ required, present: true });
    }
  });

  test("lists every operation once, with its status (CleverReach code, third-party client or unverified) and a source", () => {
    const rows = readme
      .split("\n")
      .filter((l) => /^\| [A-Z][A-Za-z]+ \|/.test(l))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, "")));
    const byOperation = new Map(rows.filter((r) => ops.some((o) => o.operationId === r[0])).map((r) => [r[0], r]));
    expect([...byOperation.keys()].sort()).toEqual(ops.map((o) => o.operationId).sort());
    for (const [id, r] of byOperation) {
      expect({ id, status: r[3] }).toEqual({ id, status: expect.stringMatching(/^(CleverReach code|third-party client|unverified)$/) });
      expect({ id, source: (r[4] ?? "").length > 5 }).toEqual({ id, source: true });
    }
  });

  test("names the CleverReach menu as it is now", () => {
    expect(readme).toContain("My Account → Interfaces → REST API");
  });
});

describe("icon.png", () => {
  test("is a 160×160 PNG whose chunks have correct CRCs", async () => {
    const { crc32, PNG_SIGNATURE } = await import("../../connector/src/png");
    const png = readFileSync(join(dir, "icon.png"));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([160, 160]);
    const types: string[] = [];
    for (let at = 8; at < png.length;) {
      const len = png.readUInt32BE(at);
      const typed = png.subarray(at + 4, at + 8 + len);
      types.push(typed.subarray(0, 4).toString("ascii"));
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(typed));
      at += 12 + len;
    }
    expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
  });
});

describe("operations accessor", () => {
  test("lists operations with method, path and parameters", () => {
    const upsert = ops.find((o) => o.operationId === "UpsertReceivers");
    expect(upsert).toMatchObject({ method: "post", path: "/groups/{group_id}/receivers/upsertplus" });
    expect(upsert?.parameters.map((p) => p.name)).toEqual(["group_id", "body"]);
  });

  test("builds requests from argument values", () => {
    expect(buildRequest(doc, "ListGroupReceivers", { group_id: 7, page: 2, pagesize: 100 })).toEqual({
      method: "GET",
      url: "/v3/groups/7/receivers?page=2&pagesize=100",
    });
    // Percent-encoded whole, as flow actions send it (the simulator and this client share one builder).
    expect(buildRequest(doc, "GetGroupReceiver", { group_id: 7, pool_id: "a+b@example.com" }).url).toBe("/v3/groups/7/receivers/a%2Bb%40example.com");
    expect(buildRequest(doc, "CreateGroup", {}, { name: "x" })).toEqual({ method: "POST", url: "/v3/groups", body: '{"name":"x"}' });
    expect(() => buildRequest(doc, "GetGroup", {})).toThrow(/group_id is required/);
    expect(() => buildRequest(doc, "GetGroup", { group_id: 1, nope: 2 })).toThrow(/unknown parameter nope/);
  });
});
