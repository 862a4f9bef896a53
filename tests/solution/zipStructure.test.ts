import { builtZip, zipText, zipXml } from "./helpers";
import { zipEntries } from "../../solution/src/verify/zipEntries";
import { kid, kids, textOf, type ParsedNode } from "../../solution/src/verify/parseXml";

/**
 * The built zip read back and compared with facts from real CrmLive exports
 * (solution-format.md of the shared reference notes), not with a snapshot of itself.
 */

const entityNode = (c: ParsedNode, name: string): ParsedNode | undefined => kids(kid(c, "Entities"), "Entity").find((e) => textOf(e, "Name") === name);
const attributesOf = (e: ParsedNode | undefined): ParsedNode[] => kids(kid(kid(kid(e, "EntityInfo"), "entity"), "attributes"), "attribute");
const attribute = (e: ParsedNode | undefined, physical: string): ParsedNode | undefined => attributesOf(e).find((a) => a.attrs.PhysicalName === physical);

describe("zip layout (solution-format.md §1)", () => {
  test("the first three entries are customizations.xml, [Content_Types].xml, solution.xml", async () => {
    const names = zipEntries(await builtZip()).map((e) => e.name);
    expect(names.slice(0, 3)).toEqual(["customizations.xml", "[Content_Types].xml", "solution.xml"]);
  });

  test("every entry is deflated, uses forward slashes, and there are no directory entries", async () => {
    for (const e of zipEntries(await builtZip())) {
      expect(e.isDirectory).toBe(false);
      expect(e.method).toBe(8);
      expect(e.name).not.toContain("\\");
    }
  });

  test("solution.xml and customizations.xml begin with <ImportExportXml, no BOM or declaration, CRLF", async () => {
    for (const f of ["solution.xml", "customizations.xml"]) {
      const t = await zipText(await builtZip(), f);
      expect(t.startsWith("<ImportExportXml")).toBe(true);
      expect(t).toContain("\r\n");
      expect(t.replace(/\r\n/g, "")).not.toContain("\n");
    }
  });

  test("[Content_Types].xml: BOM, declaration, one line, one Default per extension present", async () => {
    const zip = await builtZip();
    const t = await zipText(zip, "[Content_Types].xml");
    expect(t.startsWith("\uFEFF<?xml")).toBe(true);
    expect(t).not.toContain("\n");
    const types = await zipXml(zip, "[Content_Types].xml");
    const extensions = kids(types, "Default").map((d) => d.attrs.Extension);
    const present = [...new Set(zipEntries(zip).map((e) => e.name.split(".").pop()))];
    expect([...extensions].sort()).toEqual([...present].sort());
    for (const d of kids(types, "Default")) expect(d.attrs.ContentType).toBe("application/octet-stream");
  });
});

describe("solution.xml (§2)", () => {
  test("manifest: our own publisher prefix (not datom), a 5-digit option value prefix, unmanaged", async () => {
    const m = kid(await zipXml(await builtZip(), "solution.xml"), "SolutionManifest");
    expect(textOf(m, "UniqueName")).toBe("CleverReachConnector");
    expect(textOf(m, "Version")).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(textOf(m, "Managed")).toBe("0");
    const publisher = kid(m, "Publisher");
    expect(textOf(publisher, "CustomizationPrefix")).toBe("clvr");
    expect(textOf(publisher, "CustomizationPrefix")).not.toBe("datom");
    expect(textOf(publisher, "CustomizationOptionValuePrefix")).toMatch(/^[1-9]\d{4}$/);
    expect(kids(kid(publisher, "Addresses"), "Address").map((a) => textOf(a, "AddressNumber"))).toEqual(["1", "2"]);
    expect(kid(m, "MissingDependencies")?.children).toEqual([]);
  });

  test("root components: the new table behavior 0, extended system tables behavior 2, env vars type 380", async () => {
    const m = kid(await zipXml(await builtZip(), "solution.xml"), "SolutionManifest");
    const roots = kids(kid(m, "RootComponents"), "RootComponent").map((r) => r.attrs);
    const tables = roots.filter((r) => r.type === "1");
    expect(tables).toEqual(
      expect.arrayContaining([
        { type: "1", schemaName: "clvr_receiverstate", behavior: "0" },
        { type: "1", schemaName: "clvr_grouplink", behavior: "0" },
        { type: "1", schemaName: "clvr_mailingresult", behavior: "0" },
        { type: "1", schemaName: "clvr_synclog", behavior: "0" },
        { type: "1", schemaName: "clvr_synclock", behavior: "0" },
        { type: "1", schemaName: "contact", behavior: "2" },
        { type: "1", schemaName: "lead", behavior: "2" },
        { type: "1", schemaName: "list", behavior: "2" },
        { type: "1", schemaName: "campaign", behavior: "2" },
        { type: "1", schemaName: "campaignactivity", behavior: "2" },
      ]),
    );
    expect(tables).toHaveLength(10);
    // Added columns are not listed as type 2 root components (real exports don't).
    expect(roots.filter((r) => r.type === "2")).toEqual([]);
    const envVars = roots.filter((r) => r.type === "380").map((r) => r.schemaName);
    expect(envVars.sort()).toEqual([
      "clvr_AllowLargeRemovals",
      "clvr_DeleteGroupOnRecordDelete",
      "clvr_DeleteGroupOnSyncOff",
      "clvr_DeletionPriority",
      "clvr_DeletionProtection",
      "clvr_DoubleOptInForm",
      "clvr_FieldMapping",
      "clvr_GroupPrefix",
      "clvr_ImportUnmatched",
      "clvr_MailingHistorySends",
      "clvr_NewsletterTypes",
      "clvr_NightlySyncHour",
      "clvr_SyncLogRetentionDays",
      "clvr_TransferTables",
    ]);
    // Connection references are carried by <connectionreferences>, never as root components.
    expect(roots.filter((r) => r.type === "371" || Number(r.type) >= 10000)).toEqual([]);
  });
});

describe("customizations.xml (§3)", () => {
  test("top-level nodes appear in export order", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const names = c.children.map((n) => n.name);
    const order = [
      "Entities",
      "Roles",
      "Workflows",
      "FieldSecurityProfiles",
      "Templates",
      "EntityMaps",
      "EntityRelationships",
      "OrganizationSettings",
      "optionsets",
      "CustomControls",
      "EntityDataProviders",
      "Connectors",
      "connectionreferences",
      "Languages",
    ];
    expect(names).toEqual(order);
  });

  test("every cloud flow arrives as a draft (StateCode 0, StatusCode 1) with RunAs 1, as real exports write RunAs (FORMAT-NOTES)", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const workflows = c.children.find((n) => n.name === "Workflows")?.children ?? [];
    expect(workflows.length).toBeGreaterThan(0);
    for (const w of workflows) expect([textOf(w, "StateCode"), textOf(w, "StatusCode"), textOf(w, "RunAs")]).toEqual(["0", "1", "1"]);
  });

  test.each(["Contact", "Lead"])(
    "%s is a shell carrying only the checklist (ntext with MaxLength), its derived column, CleverReach's declines and the sync error",
    async (name) => {
      const c = await zipXml(await builtZip(), "customizations.xml");
      const e = entityNode(c, name);
      expect(attributesOf(e).map((a) => a.attrs.PhysicalName)).toEqual([
        "clvr_AcceptedTypes",
        "clvr_CleverReachDeclines",
        "clvr_CleverReachSyncError",
        "clvr_NewsletterChecklist",
      ]);
      expect(textOf(attribute(e, "clvr_CleverReachSyncError"), "Type")).toBe("ntext");
      expect(textOf(attribute(e, "clvr_AcceptedTypes"), "Type")).toBe("nvarchar");
      expect(textOf(attribute(e, "clvr_CleverReachDeclines"), "Type")).toBe("ntext");
      expect(kid(kid(e, "EntityInfo"), "entity")?.children.map((n) => n.name)).toEqual(["attributes"]);
      const a = attribute(e, "clvr_NewsletterChecklist");
      expect(textOf(a, "Type")).toBe("ntext");
      expect(textOf(a, "LogicalName")).toBe("clvr_newsletterchecklist");
      expect(textOf(a, "Name")).toBe("clvr_newsletterchecklist");
      expect(textOf(a, "Format")).toBe("text");
      expect(Number(textOf(a, "MaxLength"))).toBeLessThanOrEqual(1048576);
      expect(textOf(a, "IsCustomField")).toBe("1");
      expect(kids(kid(a, "displaynames"), "displayname").map((d) => d.attrs.languagecode)).toEqual(["1033", "1031"]);
    },
  );

  test.each(["List", "Campaign", "CampaignActivity"])("%s carries the group columns; Yes/No is a bit with its option set", async (name) => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const e = entityNode(c, name);
    expect(
      attributesOf(e)
        .map((a) => a.attrs.PhysicalName)
        .sort(),
    ).toEqual(
      [
        "clvr_CleverReachGroupId",
        "clvr_ConfirmLargeRemoval",
        "clvr_LastSyncError",
        "clvr_LastSyncOn",
        "clvr_NewsletterChecklist",
        "clvr_ReceiverStatus",
        "clvr_SyncRequestedOn",
        "clvr_SyncWithCleverReach",
        // Only a marketing list takes a CleverReach group in (Import from CleverReach).
        ...(name === "List" ? ["clvr_ImportGroup"] : []),
      ].sort(),
    );
    const sync = attribute(e, "clvr_SyncWithCleverReach");
    expect(textOf(sync, "Type")).toBe("bit");
    expect(textOf(sync, "AppDefaultValue")).toBe("0");
    const os = kid(sync, "optionset");
    expect(os?.attrs.Name).toBe(`${name.toLowerCase()}_clvr_syncwithcleverreach`);
    expect(textOf(os, "OptionSetType")).toBe("bit");
    expect(kids(kid(os, "options"), "option").map((o) => o.attrs.value)).toEqual(["1", "0"]);
    const germanYes = kids(kid(kids(kid(os, "options"), "option")[0], "labels"), "label").find((l) => l.attrs.languagecode === "1031");
    expect(germanYes?.attrs.description).toBe("Ja");
    expect(kid(e, "Name")?.attrs).toEqual({ LocalizedName: expect.any(String), OriginalName: "" });
  });

  test("Receiver State is a complete new table: system columns, flags, main form, default view", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const e = entityNode(c, "clvr_ReceiverState");
    const entity = kid(kid(e, "EntityInfo"), "entity");
    const names = attributesOf(e).map((a) => a.attrs.PhysicalName);
    for (const system of [
      "clvr_ReceiverStateId",
      "CreatedBy",
      "CreatedOn",
      "CreatedOnBehalfBy",
      "ImportSequenceNumber",
      "ModifiedBy",
      "ModifiedOn",
      "ModifiedOnBehalfBy",
      "OverriddenCreatedOn",
      "OwnerId",
      "OwningBusinessUnit",
      "OwningTeam",
      "OwningUser",
      "statecode",
      "statuscode",
      "TimeZoneRuleVersionNumber",
      "UTCConversionTimeZoneCode",
    ]) {
      expect(names).toContain(system);
    }
    expect(textOf(attribute(e, "clvr_ReceiverStateId"), "Type")).toBe("primarykey");
    expect(textOf(attribute(e, "OwnerId"), "Type")).toBe("owner");
    expect(kids(kid(attribute(e, "statecode"), "optionset"), "states")).toHaveLength(1);
    const primary = attribute(e, "clvr_Name");
    expect(textOf(primary, "DisplayMask")).toContain("PrimaryName");
    expect(textOf(primary, "Type")).toBe("nvarchar");
    expect(textOf(entity, "EntitySetName")).toBe("clvr_receiverstates");
    expect(textOf(entity, "OwnershipTypeMask")).toBe("UserOwned");
    const mainForms = kids(kid(e, "FormXml"), "forms").filter((f) => f.attrs.type === "main");
    expect(mainForms).toHaveLength(1);
    const controls = [...JSON.stringify(mainForms[0]).matchAll(/"datafieldname":"([a-z_]+)"/g)].map((m) => m[1]);
    expect(controls).toEqual(expect.arrayContaining(["clvr_name", "clvr_email", "clvr_contact", "clvr_state", "ownerid"]));
    const views = kids(kid(kid(e, "SavedQueries"), "savedqueries"), "savedquery");
    const defaultPublic = views.filter((v) => textOf(v, "querytype") === "0" && textOf(v, "isdefault") === "1");
    expect(defaultPublic).toHaveLength(1);
    expect(views.map((v) => textOf(v, "querytype")).sort()).toEqual(["0", "1", "2", "4", "64"]);
  });

  test("each lookup has its one-to-many relationship; the system relationships are present", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const e = entityNode(c, "clvr_ReceiverState");
    const rels = kids(kid(c, "EntityRelationships"), "EntityRelationship");
    const targets: Record<string, string> = {
      clvr_Contact: "Contact",
      clvr_Lead: "Lead",
      clvr_MarketingList: "List",
      clvr_Campaign: "Campaign",
      clvr_CampaignActivity: "CampaignActivity",
    };
    for (const [lookup, target] of Object.entries(targets)) {
      const a = attribute(e, lookup);
      expect(textOf(a, "Type")).toBe("lookup");
      expect(textOf(a, "LookupStyle")).toBe("single");
      expect(kid(a, "ImeMode")).toBeUndefined();
      const rel = rels.find((r) => textOf(r, "ReferencingAttributeName") === lookup);
      expect(rel).toBeDefined();
      expect(textOf(rel, "EntityRelationshipType")).toBe("OneToMany");
      expect(textOf(rel, "ReferencingEntityName")).toBe("clvr_ReceiverState");
      expect(textOf(rel, "ReferencedEntityName")).toBe(target);
      expect(textOf(rel, "CascadeDelete")).toBe("RemoveLink");
      const roles = kids(kid(rel, "EntityRelationshipRoles"), "EntityRelationshipRole");
      expect(textOf(roles[0], "NavigationPropertyName")).toBe(lookup);
    }
    const names = rels.map((r) => r.attrs.Name);
    for (const system of [
      "business_unit_clvr_receiverstate",
      "lk_clvr_receiverstate_createdby",
      "lk_clvr_receiverstate_modifiedby",
      "owner_clvr_receiverstate",
      "team_clvr_receiverstate",
      "user_clvr_receiverstate",
    ]) {
      expect(names).toContain(system);
    }
  });

  test("connection references: the Dataverse one with its logical name and connector id", async () => {
    const c = await zipXml(await builtZip(), "customizations.xml");
    const refs = kids(kid(c, "connectionreferences"), "connectionreference");
    const dataverse = refs.find((r) => r.attrs.connectionreferencelogicalname === "clvr_Dataverse");
    expect(textOf(dataverse, "connectorid")).toBe("/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps");
    expect(textOf(dataverse, "statecode")).toBe("0");
    expect(textOf(dataverse, "statuscode")).toBe("1");
  });
});

describe("environment variable definitions (§3.7)", () => {
  const expected: Record<string, { type: string; default: string }> = {
    clvr_AllowLargeRemovals: { type: "100000002", default: "no" },
    clvr_DeleteGroupOnRecordDelete: { type: "100000002", default: "no" },
    clvr_DeleteGroupOnSyncOff: { type: "100000002", default: "no" },
    clvr_DeletionProtection: { type: "100000002", default: "yes" },
    clvr_DeletionPriority: { type: "100000001", default: "1" },
    clvr_GroupPrefix: { type: "100000000", default: "CRM - " },
    clvr_NightlySyncHour: { type: "100000001", default: "2" },
    clvr_TransferTables: { type: "100000003", default: '{"tables":["contact","account","lead"]}' },
  };

  test.each(Object.entries(expected))("%s has its type code and default", async (name, want) => {
    const def = await zipXml(await builtZip(), `environmentvariabledefinitions/${name}/environmentvariabledefinition.xml`);
    expect(def.name).toBe("environmentvariabledefinition");
    expect(def.attrs.schemaname).toBe(name);
    expect(textOf(def, "type")).toBe(want.type);
    expect(textOf(def, "secretstore")).toBe("0");
    expect(def.children.map((n) => n.name)).toEqual([
      "defaultvalue",
      "description",
      "displayname",
      "introducedversion",
      "iscustomizable",
      "isrequired",
      "secretstore",
      "type",
    ]);
    // Text whitespace matters for the prefix: read it raw.
    const raw = await zipText(await builtZip(), `environmentvariabledefinitions/${name}/environmentvariabledefinition.xml`);
    expect(raw).toContain(`<defaultvalue>${want.default.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</defaultvalue>`);
  });

  test("the newsletter types default is the seed manual's example, as JSON type", async () => {
    const def = await zipXml(await builtZip(), "environmentvariabledefinitions/clvr_NewsletterTypes/environmentvariabledefinition.xml");
    expect(textOf(def, "type")).toBe("100000003");
    expect(JSON.parse(textOf(def, "defaultvalue") ?? "")).toEqual([
      { id: 0, state: 0, description: "Information", modifiedby: "", modifiedon: "", position: 1 },
      { id: 1, state: 0, description: "Werbung und Spiele", modifiedby: "", modifiedon: "", position: 0 },
    ]);
  });
});
