/**
 * @jest-environment jsdom
 */
// jsdom for its DOMParser: the manifest is read as XML without another dependency.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ManifestControl, ManifestDisplayKeys, ManifestPropertyNames, REGISTERED_CONTROL_NAME } from "../../NewsletterChecklist/ManifestConstants";
import { resxStrings } from "../../harness/resx";

const manifest = new DOMParser().parseFromString(
  readFileSync(resolve(__dirname, "../../NewsletterChecklist/ControlManifest.Input.xml"), "utf8"),
  "application/xml",
);
const control = manifest.querySelector("manifest > control") as Element;
const properties = Array.from(manifest.querySelectorAll("manifest > control > property"));
const property = (name: string): Element | undefined => properties.find((p) => p.getAttribute("name") === name);

describe("ManifestConstants match ControlManifest.Input.xml", () => {
  test("the manifest parses", () => {
    expect(manifest.querySelector("parsererror")).toBeNull();
    expect(control).not.toBeNull();
  });

  test("namespace and constructor, and the name the bundle registers", () => {
    expect(control.getAttribute("namespace")).toBe(ManifestControl.Namespace);
    expect(control.getAttribute("constructor")).toBe(ManifestControl.Constructor);
    expect(REGISTERED_CONTROL_NAME).toBe(`${control.getAttribute("namespace")}.${control.getAttribute("constructor")}`);
  });

  test("every manifest property has a constant, with the usage the code relies on", () => {
    // A const enum has no runtime object to enumerate, so the list is spelt out; a property added to
    // the manifest without a constant makes this fail.
    expect(properties.map((p) => p.getAttribute("name"))).toEqual([
      ManifestPropertyNames.Value,
      ManifestPropertyNames.CleverReachDeclines,
      ManifestPropertyNames.NewsletterTypes,
    ]);
    expect(property(ManifestPropertyNames.Value)?.getAttribute("usage")).toBe("bound");
    // A second bound column: CleverReach's declines, bound on contact and lead forms only.
    expect(property(ManifestPropertyNames.CleverReachDeclines)?.getAttribute("usage")).toBe("bound");
    expect(property(ManifestPropertyNames.CleverReachDeclines)?.getAttribute("required")).toBe("false");
    expect(property(ManifestPropertyNames.NewsletterTypes)?.getAttribute("usage")).toBe("input");
    expect(property(ManifestPropertyNames.NewsletterTypes)?.getAttribute("required")).toBe("false");
  });

  test.each([1033, 1031])("the display key the control shows for the override exists (resx %i)", (lcid) => {
    expect(property(ManifestPropertyNames.NewsletterTypes)?.getAttribute("display-name-key")).toBe(ManifestDisplayKeys.NewsletterTypes);
    expect(resxStrings(lcid).get(ManifestDisplayKeys.NewsletterTypes)).toBeTruthy();
  });
});
