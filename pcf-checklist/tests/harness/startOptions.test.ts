import { ManifestPropertyNames } from "../../NewsletterChecklist/ManifestConstants";
import { harnessOptions, telemetryOptOut, withDefaultValues, withOnlyLanguage } from "../../harness/start";

const MANIFEST = `<manifest>
  <control namespace="CleverReach" constructor="NewsletterChecklist">
    <property name="${ManifestPropertyNames.Value}" of-type="Multiple" usage="bound" required="true"/>
    <property name="${ManifestPropertyNames.NewsletterTypes}" default-value="old" of-type="Multiple" usage="input"/>
    <resources>
      <code path="bundle.js" order="1"/>
      <resx path="strings/NewsletterChecklist.1033.resx" version="1.0.0"/>
      <resx path="strings/NewsletterChecklist.1031.resx" version="1.0.0"/>
    </resources>
  </control>
</manifest>`;

describe("npm start options", () => {
  test("defaults: pcf-start's port, loopback, a browser, English", () => {
    expect(harnessOptions([], {})).toEqual({ port: 8181, host: "127.0.0.1", open: true, lcid: 1033 });
  });

  test("PORT sets the port; --port wins over it", () => {
    expect(harnessOptions([], { PORT: "9000" }).port).toBe(9000);
    expect(harnessOptions(["--port", "9001"], { PORT: "9000" }).port).toBe(9001);
  });

  test.each(["0", "65536", "80a", ""])("port %j is refused", (port) => {
    expect(() => harnessOptions(["--port", port], {})).toThrow(/TCP port/);
  });

  test("no browser in CI or with --no-open; --open forces one", () => {
    expect(harnessOptions([], { CI: "true" }).open).toBe(false);
    expect(harnessOptions([], { CI: "0" }).open).toBe(true);
    expect(harnessOptions(["--no-open"], {}).open).toBe(false);
    expect(harnessOptions(["--open"], { CI: "1" }).open).toBe(true);
  });

  test("unknown flags are an error, not silently ignored", () => {
    expect(() => harnessOptions(["--prot", "1"], {})).toThrow();
  });
});

describe("the harness's copy of the manifest", () => {
  test("gets the sample as default-value (escaped), replacing one that was there", () => {
    const json = '[{"id":0,"description":"A & <B>"}]';
    const xml = withDefaultValues(MANIFEST, { [ManifestPropertyNames.Value]: json, [ManifestPropertyNames.NewsletterTypes]: "[]" });
    expect(xml).toContain(
      `<property default-value="[{&quot;id&quot;:0,&quot;description&quot;:&quot;A &amp; &lt;B&gt;&quot;}]" name="${ManifestPropertyNames.Value}"`,
    );
    expect(xml).toContain(`<property default-value="[]" name="${ManifestPropertyNames.NewsletterTypes}" of-type`);
    expect(xml).not.toContain("old");
  });

  test("a property the manifest does not have is an error", () => {
    expect(() => withDefaultValues(MANIFEST, { nope: "1" })).toThrow('no <property name="nope">');
  });

  test("keeps the resx of one language only", () => {
    const xml = withOnlyLanguage(MANIFEST, 1031);
    expect(xml).toContain('<resx path="strings/NewsletterChecklist.1031.resx"');
    expect(xml).not.toContain("1033.resx");
    expect(xml).toContain('<code path="bundle.js" order="1"/>\n      <resx');
    expect(() => withOnlyLanguage(MANIFEST, 1036)).toThrow("no resx for language 1036");
  });
});

describe("telemetry", () => {
  test("opted out by default, statsbeat included", () => {
    const env: NodeJS.ProcessEnv = {};
    telemetryOptOut(env);
    expect(env).toEqual({ PP_TOOLS_TELEMETRY_OPTOUT: "1", APPLICATION_INSIGHTS_NO_STATSBEAT: "1" });
  });

  test("a developer's explicit choice stays", () => {
    const env: NodeJS.ProcessEnv = { PP_TOOLS_TELEMETRY_OPTOUT: "0" };
    telemetryOptOut(env);
    expect(env).toEqual({ PP_TOOLS_TELEMETRY_OPTOUT: "0" });
  });
});
