import { verifySolutionZip } from "../../solution/src/verify/verifyZip";
import { zipFiles } from "../../solution/src/pack";
import { builtZip, rewriteZip } from "./helpers";

const verify = (zip: Buffer): Promise<string[]> => verifySolutionZip(zip);

// Every test here rewrites the whole zip and verifies it against the XSDs: 0.3–1.8 s each on a
// 2-core machine, so jest's 5 s default trips as soon as the machine is busy.
jest.setTimeout(20_000);

describe("verify", () => {
  test("the built zip passes, including the XSD structure check", async () => {
    expect(await verify(await builtZip())).toEqual([]);
  });

  test("a file referenced by a root component that is missing from the zip", async () => {
    const broken = await rewriteZip(await builtZip(), (p, c) =>
      p === "environmentvariabledefinitions/clvr_GroupPrefix/environmentvariabledefinition.xml" ? undefined : c,
    );
    expect(await verify(broken)).toContainEqual(expect.stringMatching(/type 380 clvr_GroupPrefix: no environmentvariabledefinitions\/clvr_GroupPrefix/));
  });

  test("a workflow whose JSON file is missing", async () => {
    const workflow =
      '<Workflow WorkflowId="{11111111-2222-4333-8444-555555555555}" Name="Ghost"><JsonFileName>/Workflows/Ghost-11111111-2222-4333-8444-555555555555.json</JsonFileName></Workflow>';
    const broken = await rewriteZip(await builtZip(), (p, c) =>
      p === "customizations.xml"
        ? c.replace(/<Workflows\/>|<Workflows>/, (m) => (m === "<Workflows/>" ? `<Workflows>${workflow}</Workflows>` : `<Workflows>${workflow}`))
        : c,
    );
    expect(await verify(broken)).toContainEqual(expect.stringMatching(/workflow "Ghost" refers to \/Workflows\/Ghost-.*\.json, which is not in the zip/));
  });

  test("an entry nothing references", async () => {
    const broken = await rewriteZip(await builtZip(), (_p, c) => c, [{ path: "Workflows/stray.json", content: "{}" }]);
    expect(await verify(broken)).toContainEqual("zip entry Workflows/stray.json is not referenced by customizations.xml or solution.xml");
  });

  test("a column whose schema name lacks the publisher prefix or has bad characters", async () => {
    const broken = await rewriteZip(await builtZip(), (p, c) =>
      p === "customizations.xml"
        ? c
            .replace('PhysicalName="clvr_LastSyncError"', 'PhysicalName="LastSyncError"')
            .replace(/<(Name|LogicalName)>clvr_lastsyncerror</g, "<$1>lastsyncerror<")
        : c,
    );
    expect(await verify(broken)).toContainEqual(expect.stringMatching(/column on \w+: "LastSyncError" does not start with the publisher prefix "clvr_"/));
    const dashed = await rewriteZip(await builtZip(), (p, c) =>
      p === "customizations.xml"
        ? c.replace('PhysicalName="clvr_Email"', 'PhysicalName="clvr_E-mail"').replace("<LogicalName>clvr_email<", "<LogicalName>clvr_e-mail<")
        : c,
    );
    expect(await verify(dashed)).toContainEqual(expect.stringMatching(/"clvr_E-mail" may only contain letters, digits and underscores/));
  });

  test("two components sharing a GUID", async () => {
    let first: string | undefined;
    const broken = await rewriteZip(await builtZip(), (p, c) => {
      if (p !== "customizations.xml") return c;
      return c.replace(/<savedqueryid>(\{[0-9a-f-]+\})<\/savedqueryid>/g, (m, id: string) => {
        first ??= id;
        return `<savedqueryid>${first}</savedqueryid>`;
      });
    });
    expect(await verify(broken)).toContainEqual(expect.stringMatching(/^duplicate GUID [0-9a-f-]+: /));
  });

  test("entry order, directory entries and stored entries are reported", async () => {
    const reordered = await zipFiles([
      { path: "solution.xml", content: "<ImportExportXml/>" },
      { path: "customizations.xml", content: "<ImportExportXml/>" },
    ]);
    const problems = await verify(reordered);
    expect(problems).toContainEqual('zip entry 1 is "solution.xml", an export has "customizations.xml" there');
    const JSZip = (await import("jszip")).default;
    const withDir = new JSZip();
    withDir.file("customizations.xml", "<ImportExportXml/>", { compression: "STORE" });
    withDir.folder("Workflows");
    const p2 = await verify(await withDir.generateAsync({ type: "nodebuffer" }));
    expect(p2).toContainEqual('zip has a directory entry "Workflows/"; exports have none');
    expect(p2).toContainEqual('zip entry "customizations.xml" is not deflated (method 0)');
  });

  test("malformed XML, secrets and a bad env var default are reported with the file", async () => {
    const broken = await rewriteZip(
      await builtZip(),
      (p, c) => {
        if (p === "environmentvariabledefinitions/clvr_DeletionProtection/environmentvariabledefinition.xml") return c.replace(">yes<", ">true<");
        if (p === "environmentvariabledefinitions/clvr_NewsletterTypes/environmentvariabledefinition.xml")
          return c.replace("}]</defaultvalue>", "}</defaultvalue>");
        return c;
      },
      [{ path: "Workflows/leak.json", content: '{"client_secret":"abc123"}' }],
    );
    const problems = await verify(broken);
    expect(problems).toContainEqual(expect.stringMatching(/clvr_DeletionProtection.*Boolean default must be "yes" or "no", not "true"/));
    expect(problems).toContainEqual(expect.stringMatching(/clvr_NewsletterTypes.*JSON default is not valid JSON/));
    expect(problems).toContainEqual("Workflows/leak.json contains what looks like a client secret value");
    const notXml = await rewriteZip(await builtZip(), (p, c) => (p === "solution.xml" ? c.replace("</SolutionManifest>", "") : c));
    expect(await verify(notXml)).toContainEqual(expect.stringMatching(/^solution\.xml is not well-formed XML/));
  });

  test("the XSD structure check catches an element the schema does not know and a bad enumeration", async () => {
    const broken = await rewriteZip(await builtZip(), (p, c) =>
      p === "customizations.xml"
        ? c.replace("<Type>ntext</Type>", "<Type>memo</Type>").replace("<IsSecured>0</IsSecured>", "<IsSecured>0</IsSecured><Secret>1</Secret>")
        : c,
    );
    const problems = await verify(broken);
    expect(problems).toContainEqual(expect.stringMatching(/attribute\/Type has value "memo", the XSD allows/));
    expect(problems).toContainEqual(expect.stringMatching(/attribute\/Secret is not an element the XSD allows under attribute/));
  });

  test("the XSD structure check catches elements out of their sequence's order (crm-sdk-schema.json keeps the order)", async () => {
    const broken = await rewriteZip(await builtZip(), (p, c) =>
      p === "customizations.xml" ? c.replace(/(<OptionSetType>bit<\/OptionSetType>)(\s*)(<IntroducedVersion>1\.0\.0\.0<\/IntroducedVersion>)/, "$3$2$1") : c,
    );
    expect(await verify(broken)).toContainEqual(
      expect.stringMatching(/optionset\/OptionSetType comes after IntroducedVersion, the XSD sequence has it before/),
    );
  });

  test("top-level nodes out of export order and an unresolved root component", async () => {
    const broken = await rewriteZip(await builtZip(), (p, c) => {
      if (p === "customizations.xml") return c.replace("  <Templates/>\r\n", "").replace("<Languages>", "<Templates/><Languages>");
      if (p === "solution.xml") return c.replace("</RootComponents>", '<RootComponent type="1" schemaName="clvr_ghost" behavior="0"/></RootComponents>');
      return c;
    });
    const problems = await verify(broken);
    expect(problems).toContainEqual("customizations.xml: <Templates> is out of export order");
    expect(problems).toContainEqual("root component type 1 clvr_ghost: no <Entity> of that name in customizations.xml");
  });
});
