import type { SolutionModel } from "../model/types";
import type { RootComponent } from "../parts";
import { el, tx, type XNode } from "../xml";
import { labels, XSI } from "./common";

/** The platform version the export attributes name (a 2025 CrmLive export; see solution-format.md §2). */
export const EXPORT_VERSION = "9.2.25014.220";

const ADDRESS_FIELDS = [
  "AddressTypeCode",
  "City",
  "County",
  "Country",
  "Fax",
  "FreightTermsCode",
  "ImportSequenceNumber",
  "Latitude",
  "Line1",
  "Line2",
  "Line3",
  "Longitude",
  "Name",
  "PostalCode",
  "PostOfficeBox",
  "PrimaryContactName",
  "ShippingMethodCode",
  "StateOrProvince",
  "Telephone1",
  "Telephone2",
  "Telephone3",
  "TimeZoneRuleVersionNumber",
  "UPSZone",
  "UTCOffset",
  "UTCConversionTimeZoneCode",
] as const;

const nil = (name: string): XNode => el(name, { "xsi:nil": "true" });

function address(number: 1 | 2): XNode {
  return el("Address", undefined, tx("AddressNumber", number), ADDRESS_FIELDS.map(nil));
}

function rootComponent(c: RootComponent): XNode {
  return el("RootComponent", { type: c.type, id: c.id, schemaName: c.schemaName, behavior: c.behavior });
}

/**
 * solution.xml. `managed` is the one difference between a managed and an unmanaged export of this
 * solution (FORMAT-NOTES.md, "Managed zip"): `<Managed>1</Managed>` instead of 0.
 */
export function solutionXml(model: SolutionModel, roots: RootComponent[], managed = false): XNode {
  const { solution, publisher } = model;
  return el(
    "ImportExportXml",
    {
      version: EXPORT_VERSION,
      SolutionPackageVersion: "9.2",
      languagecode: 1033,
      generatedBy: "CrmLive",
      "xmlns:xsi": XSI,
    },
    el(
      "SolutionManifest",
      undefined,
      tx("UniqueName", solution.uniqueName),
      labels("LocalizedNames", "LocalizedName", solution.displayName),
      labels("Descriptions", "Description", solution.description),
      tx("Version", solution.version),
      tx("Managed", managed),
      el(
        "Publisher",
        undefined,
        tx("UniqueName", publisher.uniqueName),
        labels("LocalizedNames", "LocalizedName", publisher.displayName),
        labels("Descriptions", "Description", publisher.description),
        nil("EMailAddress"),
        publisher.supportingWebsiteUrl ? tx("SupportingWebsiteUrl", publisher.supportingWebsiteUrl) : nil("SupportingWebsiteUrl"),
        tx("CustomizationPrefix", publisher.prefix),
        tx("CustomizationOptionValuePrefix", publisher.optionValuePrefix),
        el("Addresses", undefined, address(1), address(2)),
      ),
      el("RootComponents", undefined, roots.map(rootComponent)),
      el("MissingDependencies"),
    ),
  );
}
