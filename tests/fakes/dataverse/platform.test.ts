import { buildFlows } from "../../../flows";
import { FakeDataversePlatform } from "./platform/platform";
import { builtZip, rewriteZip } from "../../solution/helpers";
import type { DataverseRequest, DataverseResponse } from "./fakeDataverse";

// Building the zip the fake imports takes seconds on a busy 2-core machine.
jest.setTimeout(60_000);

const V = "/api/data/v9.2";

function request(
  p: FakeDataversePlatform,
  method: DataverseRequest["method"],
  path: string,
  body?: unknown,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<DataverseResponse> {
  return p.handle({ method, path: `${V}${path}`, query, headers: { Authorization: `Bearer ${p.token}`, ...headers }, body });
}

const errorOf = (r: DataverseResponse): { code: string; message: string } => (r.body as { error: { code: string; message: string } }).error;

async function imported(p: FakeDataversePlatform, zip?: Buffer): Promise<void> {
  const started = await request(p, "POST", "/ImportSolutionAsync", {
    OverwriteUnmanagedCustomizations: false,
    PublishWorkflows: false,
    ComponentParameters: [],
    CustomizationFile: (zip ?? (await builtZip())).toString("base64"),
  });
  const id = (started.body as { AsyncOperationId: string }).AsyncOperationId;
  for (let i = 0; i < 5; i++) {
    const op = await request(p, "GET", `/asyncoperations(${id})`, undefined, { $select: "statecode,statuscode" });
    if ((op.body as { statecode: number }).statecode === 3) return;
  }
  throw new Error("the import never completed");
}

describe("fake Dataverse platform", () => {
  test("a request without the token is answered 401 with the authority to sign in at", async () => {
    const p = new FakeDataversePlatform();
    const r = await p.handle({ method: "GET", path: `${V}/WhoAmI()`, query: {}, headers: {} });
    expect(r.status).toBe(401);
    expect(r.headers["WWW-Authenticate"]).toMatch(/^Bearer authorization_uri=https:\/\/login\.microsoftonline\.com\//);
  });

  test("ImportSolutionAsync insists on its non-nullable parameters", async () => {
    const p = new FakeDataversePlatform();
    const r = await request(p, "POST", "/ImportSolutionAsync", {
      OverwriteUnmanagedCustomizations: false,
      PublishWorkflows: false,
      CustomizationFile: "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==",
    });
    expect(r.status).toBe(400);
    expect(errorOf(r).message).toMatch(/ComponentParameters/);
  });

  test("the import runs in the asynchronous operation: waiting, in progress, then succeeded, with the import job's progress", async () => {
    const p = new FakeDataversePlatform();
    const started = await request(p, "POST", "/ImportSolutionAsync", {
      OverwriteUnmanagedCustomizations: false,
      PublishWorkflows: false,
      ComponentParameters: [],
      CustomizationFile: (await builtZip()).toString("base64"),
    });
    const { AsyncOperationId, ImportJobKey } = started.body as { AsyncOperationId: string; ImportJobKey: string };
    expect(p.rows("solutions")).toEqual([]);
    const seen: Array<[unknown, unknown, unknown]> = [];
    for (let i = 0; i < 2; i++) {
      const op = (await request(p, "GET", `/asyncoperations(${AsyncOperationId})`, undefined, { $select: "statecode,statuscode" })).body as Record<
        string,
        unknown
      >;
      const job = (await request(p, "GET", `/importjobs(${ImportJobKey})`, undefined, { $select: "progress" })).body as Record<string, unknown>;
      seen.push([op.statecode, op.statuscode, job.progress]);
    }
    expect(seen).toEqual([
      [2, 20, 50],
      [3, 30, 100],
    ]);
    expect(p.rows("solutions")).toEqual([expect.objectContaining({ uniquename: "CleverReachConnector", version: "1.0.0.0", ismanaged: false })]);
    expect(p.rows("workflows")).toHaveLength(buildFlows().length);
    expect(p.rows("workflows").every((w) => w.statecode === 0 && w.statuscode === 1)).toBe(true);
  });

  test("an injected import failure completes the operation as failed with the platform's message", async () => {
    const p = new FakeDataversePlatform();
    p.failImport("The following solution cannot be imported: CleverReachConnector. Some dependencies are missing.");
    await imported(p);
    const [op] = p.rows("asyncoperations");
    expect(op).toMatchObject({
      statecode: 3,
      statuscode: 31,
      friendlymessage:
        'Solution "CleverReach Connector for Dataverse" failed to import: The following solution cannot be imported: CleverReachConnector. Some dependencies are missing.',
    });
    expect(p.rows("solutions")).toEqual([]);
  });

  test("a parent flow cannot be turned on before its child has ever been on (ChildFlowNeverPublished)", async () => {
    const p = new FakeDataversePlatform();
    await imported(p);
    for (const r of p.rows("connectionreferences")) {
      p.addConnection(`c-${String(r.connectionreferencelogicalname)}`, String(r.connectorid));
      await request(p, "PATCH", `/connectionreferences(${String(r.connectionreferenceid)})`, { connectionid: `c-${String(r.connectionreferencelogicalname)}` });
    }
    const parent = p.rows("workflows").find((w) => w.name === "CleverReach - Campaign deleted");
    const r = await request(p, "PATCH", `/workflows(${String(parent?.workflowid)})`, { statecode: 1, statuscode: 2 });
    expect(r.status).toBe(400);
    expect(errorOf(r).code).toBe("0x80060467");
    expect(errorOf(r).message).toMatch(/^Flow client error returned with status code "BadRequest" and details "\{"error":\{"code":"ChildFlowNeverPublished"/);
  });

  test("a flow whose connection reference has no connection cannot be turned on (XrmConnectionReferenceMissingConnection)", async () => {
    const p = new FakeDataversePlatform();
    await imported(p);
    const child = p.rows("workflows").find((w) => w.name === "CleverReach - Sync group");
    const r = await request(p, "PATCH", `/workflows(${String(child?.workflowid)})`, { statecode: 1, statuscode: 2 });
    expect(errorOf(r).message).toMatch(/"code":"MultipleErrorsOccurred".*XrmConnectionReferenceMissingConnection/);
  });

  test("a write with a stale ETag is refused (412), so nobody's change is overwritten", async () => {
    const p = new FakeDataversePlatform();
    const id = p.seedForm({ entity: "contact", name: "Information", formxml: "<form><tabs /></form>" });
    const read = (await request(p, "GET", `/systemforms(${id})`, undefined, { $select: "formxml" })).body as Record<string, string>;
    await request(p, "PATCH", `/systemforms(${id})`, { formxml: "<form><tabs /><!-- maker --></form>" });
    const late = await request(p, "PATCH", `/systemforms(${id})`, { formxml: "<form><tabs /></form>" }, {}, { "If-Match": read["@odata.etag"] ?? "" });
    expect(late.status).toBe(412);
  });

  test("a form may not describe a control it does not have, nor name a code component the environment lacks", async () => {
    const p = new FakeDataversePlatform();
    const id = p.seedForm({
      entity: "contact",
      name: "Information",
      formxml:
        '<form><tabs><tab><columns><column><sections><section><rows><row><cell><control id="x" datafieldname="ownerid" uniqueid="{11111111-1111-4111-8111-111111111111}"/></cell></row></rows></section></sections></column></columns></tab></tabs></form>',
    });
    const orphan = await request(p, "PATCH", `/systemforms(${id})`, {
      formxml: '<form><tabs /><controlDescriptions><controlDescription forControl="{22222222-2222-4222-8222-222222222222}" /></controlDescriptions></form>',
    });
    expect(errorOf(orphan).message).toMatch(/describes no control/);
    const unknown = await request(p, "PATCH", `/systemforms(${id})`, {
      formxml:
        '<form><tabs><tab><columns><column><sections><section><rows><row><cell><control id="x" datafieldname="ownerid" uniqueid="{11111111-1111-4111-8111-111111111111}"/></cell></row></rows></section></sections></column></columns></tab></tabs><controlDescriptions><controlDescription forControl="{11111111-1111-4111-8111-111111111111}"><customControl formFactor="0" name="clvr_CleverReach.NewsletterChecklist" /></controlDescription></controlDescriptions></form>',
    });
    expect(errorOf(unknown).message).toMatch(/custom control 'clvr_CleverReach.NewsletterChecklist' does not exist/);
  });

  test("a missing privilege is 403 with code 0x80040220 naming the privilege", async () => {
    const p = new FakeDataversePlatform();
    p.deny("write systemforms", "prvWriteSystemForm");
    const id = p.seedForm({ entity: "contact", name: "Information", formxml: "<form><tabs /></form>" });
    const r = await request(p, "PATCH", `/systemforms(${id})`, { formxml: "<form><tabs /></form>" });
    expect(r.status).toBe(403);
    expect(errorOf(r)).toEqual({ code: "0x80040220", message: expect.stringMatching(/is missing prvWriteSystemForm privilege .* for entity 'systemform'/) });
  });

  test("query options it does not model are answered 501, not ignored", async () => {
    const p = new FakeDataversePlatform();
    const r = await request(p, "GET", "/systemforms", undefined, { $orderby: "name" });
    expect(r.status).toBe(501);
    const contains = await request(p, "GET", "/systemforms", undefined, { $filter: "contains(name,'x')" });
    expect(contains.status).toBe(501);
  });

  test("flows a zip carries as on come up on only where their connections are bound (children first), else stay off", async () => {
    const activated = await rewriteZip(await builtZip(), (path, c) =>
      path === "customizations.xml"
        ? c.replace(/<StateCode>0<\/StateCode>/g, "<StateCode>1</StateCode>").replace(/<StatusCode>1<\/StatusCode>/g, "<StatusCode>2</StatusCode>")
        : c,
    );
    const p = new FakeDataversePlatform();
    await imported(p, activated);
    expect(p.rows("workflows").filter((w) => w.statecode === 1)).toEqual([]);
    for (const r of p.rows("connectionreferences")) {
      p.addConnection(`c-${String(r.connectionreferencelogicalname)}`, String(r.connectorid));
      await request(p, "PATCH", `/connectionreferences(${String(r.connectionreferenceid)})`, { connectionid: `c-${String(r.connectionreferencelogicalname)}` });
    }
    await imported(p, activated);
    expect(p.rows("workflows").filter((w) => w.statecode === 1 && w.statuscode === 2)).toHaveLength(buildFlows().length);
  });
});
