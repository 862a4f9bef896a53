import { label } from "../labels";
import { prefixed as n, PREFIX } from "./prefix";
import { CAMPAIGN, CAMPAIGN_ACTIVITY, CONTACT, LEAD, MARKETING_LIST } from "./tables";
import type { Column, LookupColumn, SystemTable, TableExtension } from "./types";

/**
 * Schema names of every column the product creates, one entry per name: tables that share a
 * column name (Name, Email, GroupId, …) share the entry. The definitions below take their names
 * from here, and the flows reach them through the handles (handles.ts), never as text.
 */
export const COLUMN_NAMES = {
  // Group owners (marketing list, campaign, campaign activity)
  syncWithCleverReach: n("SyncWithCleverReach"),
  newsletterChecklist: n("NewsletterChecklist"),
  cleverReachGroupId: n("CleverReachGroupId"),
  receiverStatus: n("ReceiverStatus"),
  lastSyncOn: n("LastSyncOn"),
  lastSyncError: n("LastSyncError"),
  confirmLargeRemoval: n("ConfirmLargeRemoval"),
  syncRequestedOn: n("SyncRequestedOn"),
  importGroup: n("ImportGroup"),
  // People (contact, lead)
  acceptedTypes: n("AcceptedTypes"),
  cleverReachDeclines: n("CleverReachDeclines"),
  cleverReachSyncError: n("CleverReachSyncError"),
  // The product's own tables
  name: n("Name"),
  email: n("Email"),
  contact: n("Contact"),
  lead: n("Lead"),
  marketingList: n("MarketingList"),
  campaign: n("Campaign"),
  campaignActivity: n("CampaignActivity"),
  groupId: n("GroupId"),
  receiverId: n("ReceiverId"),
  state: n("State"),
  lastEvent: n("LastEvent"),
  lastEventOn: n("LastEventOn"),
  events: n("Events"),
  mailingId: n("MailingId"),
  sentOn: n("SentOn"),
  opened: n("Opened"),
  clicked: n("Clicked"),
  recordTable: n("RecordTable"),
  recordId: n("RecordId"),
  changesReadOn: n("ChangesReadOn"),
  // Sync log
  flow: n("Flow"),
  outcome: n("Outcome"),
  startedOn: n("StartedOn"),
  endedOn: n("EndedOn"),
  added: n("Added"),
  updated: n("Updated"),
  removed: n("Removed"),
  skipped: n("Skipped"),
  skippedWhy: n("SkippedWhy"),
  error: n("Error"),
  runUrl: n("RunUrl"),
  unmatched: n("Unmatched"),
  person: n("Person"),
  // Sync Lock (flows/product/patterns/recordLock.ts)
  lockToken: n("LockToken"),
  lockHolder: n("LockHolder"),
  lockKind: n("LockKind"),
  leaseUntil: n("LeaseUntil"),
} as const;

export type ColumnKey = keyof typeof COLUMN_NAMES;

/** The lookup columns, with the system table each points at. */
export const LOOKUP_TARGETS = {
  contact: CONTACT,
  lead: LEAD,
  marketingList: MARKETING_LIST,
  campaign: CAMPAIGN,
  campaignActivity: CAMPAIGN_ACTIVITY,
} as const satisfies Partial<Record<ColumnKey, SystemTable>>;

export type LookupKey = keyof typeof LOOKUP_TARGETS;

const checklist = (who: string, wer: string): Column => ({
  kind: "memo",
  schemaName: COLUMN_NAMES.newsletterChecklist,
  displayName: label("Newsletter checklist", "Newsletter-Checkliste"),
  description: label(
    `Newsletter types ${who} (JSON, edited with the newsletter checklist control)`,
    `Newsletter-Typen, ${wer} (JSON, bearbeitet mit dem Steuerelement Newsletter-Checkliste)`,
  ),
  maxLength: 100000,
});

export const yesNoColumn = (key: ColumnKey, en: string, de: string, descEn: string, descDe: string): Column => ({
  kind: "yesno",
  schemaName: COLUMN_NAMES[key],
  displayName: label(en, de),
  description: label(descEn, descDe),
  defaultValue: false,
  yes: label("Yes", "Ja"),
  no: label("No", "Nein"),
});

export const textColumn = (key: ColumnKey, en: string, de: string, descEn: string, descDe: string, maxLength: number): Column => ({
  kind: "text",
  schemaName: COLUMN_NAMES[key],
  displayName: label(en, de),
  description: label(descEn, descDe),
  maxLength,
  format: "text",
});

/**
 * A column only the flows write (issue 15): secured, so that a user who may write the record still
 * cannot write it; the field security profiles (security.ts) let users read it and administrators
 * correct it.
 */
export const flowsOnly = <C extends Column>(c: C): C => ({ ...c, secured: true });

/** `flowsOnly` for every column of a list (typed as columns, so that literals keep their kinds). */
export const allFlowsOnly = (columns: Column[]): Column[] => columns.map(flowsOnly);

/** Columns of a record that owns a CleverReach group: marketing list, campaign, campaign activity. */
function groupOwnerColumns(): Column[] {
  return [
    yesNoColumn(
      "syncWithCleverReach",
      "Sync with CleverReach",
      "Mit CleverReach synchronisieren",
      "Keep a CleverReach receiver group in step with this record",
      "Eine CleverReach-Empfängergruppe mit diesem Datensatz abgleichen",
    ),
    checklist("this record sends (1) or excludes (2)", "die dieser Datensatz sendet (1) oder ausschließt (2)"),
    // Written by a user to confirm one large removal the sync stopped before (flows/product/README.md,
    // "Safety valve"); the flow sets it back to No once the removal ran.
    yesNoColumn(
      "confirmLargeRemoval",
      "Confirm large removal",
      "Große Entfernung bestätigen",
      "Yes: the next sync may remove most of this record's CleverReach group (set back to No after it ran)",
      "Ja: Die nächste Synchronisation darf den Großteil der CleverReach-Gruppe entfernen (danach wieder Nein)",
    ),
    flowsOnly(
      textColumn(
        "cleverReachGroupId",
        "CleverReach group id",
        "CleverReach-Gruppen-ID",
        "Id of the CleverReach receiver group (set by the flows)",
        "ID der CleverReach-Empfängergruppe (von den Flows gesetzt)",
        20,
      ),
    ),
    flowsOnly({
      kind: "memo",
      schemaName: COLUMN_NAMES.receiverStatus,
      displayName: label("Receiver status from CleverReach", "Empfänger Status aus CleverReach"),
      description: label("Summary written every hour by CleverReachToCrm", "Zusammenfassung, stündlich von CleverReachToCrm geschrieben"),
      maxLength: 100000,
    }),
    flowsOnly({
      kind: "datetime",
      schemaName: COLUMN_NAMES.lastSyncOn,
      displayName: label("Last sync with CleverReach", "Letzte Synchronisation mit CleverReach"),
      description: label("When the group was last brought in step", "Wann die Gruppe zuletzt abgeglichen wurde"),
    }),
    // Written by Update Synchronisation with the connection of the user who runs it, so that only
    // a user who may change the record can sync it; open to users like the checklist.
    {
      kind: "datetime",
      schemaName: COLUMN_NAMES.syncRequestedOn,
      displayName: label("Sync requested on", "Synchronisation angefordert am"),
      description: label(
        "When a user last ran Update Synchronisation on this record (Modified By shows who)",
        "Wann zuletzt jemand „Synchronisation mit CleverReach aktualisieren“ für diesen Datensatz gestartet hat (Geändert von zeigt, wer)",
      ),
    },
    flowsOnly({
      kind: "memo",
      schemaName: COLUMN_NAMES.lastSyncError,
      displayName: label("Last sync error", "Letzter Synchronisationsfehler"),
      description: label("Empty when the last sync succeeded", "Leer, wenn die letzte Synchronisation erfolgreich war"),
      maxLength: 4000,
    }),
  ];
}

const personColumns = (): Column[] => [
  checklist("this person accepted (1) or declined (2)", "die diese Person angenommen (1) oder abgelehnt (2) hat"),
  // Derived from the checklist so that a sync can select eligible people in the Dataverse query
  // itself (a JSON column cannot be filtered); the flows keep it in step with the checklist.
  flowsOnly(
    textColumn(
      "acceptedTypes",
      "Accepted newsletter types",
      "Angenommene Newsletter-Typen",
      "Ids of the accepted newsletter types as ,id,id, (kept in step with the checklist by the flows)",
      "IDs der angenommenen Newsletter-Typen als ,id,id, (von den Flows mit der Checkliste abgeglichen)",
      400,
    ),
  ),
  // CleverReach's declines (unsubscribes, bounces, blacklist) for this person, kept apart from the
  // checklist so that neither a user's save nor a flow's write can overwrite the other (issue 15,
  // items 7-10): only the Receiver State flows write it, the checklist control shows it beside the
  // user's choices, and eligibility reads both (flows/product/rules/receiverStates.ts, readDeclines).
  flowsOnly({
    kind: "memo",
    schemaName: COLUMN_NAMES.cleverReachDeclines,
    displayName: label("Declines from CleverReach", "Abmeldungen aus CleverReach"),
    description: label(
      'Newsletter types this person unsubscribed from, bounced or was blacklisted for in CleverReach, as JSON [{"id":type,"group":"group id","on":"time","state":"unsubscribed|bounced|blacklisted"}] (written by the flows)',
      'Newsletter-Typen, von denen sich diese Person in CleverReach abgemeldet hat, für die sie gebounct ist oder auf der Blacklist steht, als JSON [{"id":Typ,"group":"Gruppen-ID","on":"Zeit","state":"unsubscribed|bounced|blacklisted"}] (von den Flows geschrieben)',
    ),
    maxLength: 100000,
  }),
  // A person run that failed says so on the person (flows/product/events/personEventFlows/personSyncLog.ts),
  // as Last sync error does on a list: only the flows write it, the next good run clears it.
  flowsOnly({
    kind: "memo",
    schemaName: COLUMN_NAMES.cleverReachSyncError,
    displayName: label("CleverReach sync error", "CleverReach-Synchronisationsfehler"),
    description: label(
      "Why the last update of this person's CleverReach receivers failed, in words (empty when it succeeded; written by the flows)",
      "Warum die letzte Aktualisierung der CleverReach-Empfänger dieser Person fehlschlug (leer bei Erfolg; von den Flows geschrieben)",
    ),
    maxLength: 4000,
  }),
];

/**
 * Which CleverReach group "Import from CleverReach" fills the list from (flows/product/README.md,
 * "Import a CleverReach group"). Importing links the list to a group the product did not create and
 * claims it, a take-over (README.md, "Security model"): secured, so that only a user with the
 * CleverReach Administrator profile can write it, and the import flow proves that its user may by
 * writing it with that user's own connection.
 */
const importGroupColumn = (): Column => ({
  ...textColumn(
    "importGroup",
    "Import from CleverReach group",
    "Aus CleverReach-Gruppe importieren",
    "Id or exact name of the CleverReach group that Import from CleverReach makes this list's members and group (CleverReach administrators only)",
    "ID oder genauer Name der CleverReach-Gruppe, deren Empfänger Aus CleverReach importieren zu Mitgliedern dieser Liste macht (nur CleverReach-Administratoren)",
    100,
  ),
  secured: true,
});

/** The columns the product adds to system tables (shipped as table shells). */
export const extensions: TableExtension[] = [
  { table: CONTACT, columns: personColumns() },
  { table: LEAD, columns: personColumns() },
  { table: MARKETING_LIST, columns: [...groupOwnerColumns(), importGroupColumn()] },
  { table: CAMPAIGN, columns: groupOwnerColumns() },
  { table: CAMPAIGN_ACTIVITY, columns: groupOwnerColumns() },
];

/** A count of a sync log row (never negative; a group holds far fewer than 2,147,483,647 receivers). */
export const countColumn = (key: ColumnKey, en: string, de: string, descEn: string, descDe: string): Column => ({
  kind: "wholenumber",
  schemaName: COLUMN_NAMES[key],
  displayName: label(en, de),
  description: label(descEn, descDe),
  min: 0,
  max: 2147483647,
});

/** The CleverReach receiver id, kept on every row that stands for a receiver. */
export const receiverIdColumn = (): Column =>
  textColumn("receiverId", "CleverReach receiver id", "CleverReach-Empfänger-ID", "Id of the receiver in the group", "ID des Empfängers in der Gruppe", 20);

/** A lookup column of the custom table `table` (schema name) to the system table its key names. */
export function lookupColumn(key: LookupKey, en: string, de: string, table: string, what: string): LookupColumn {
  const target = LOOKUP_TARGETS[key];
  const schemaName = COLUMN_NAMES[key];
  const suffix = schemaName.slice(PREFIX.length + 1);
  return {
    kind: "lookup",
    schemaName,
    displayName: label(en, de),
    description: label(`The ${en.toLowerCase()} this ${what} belongs to`, `Zugehörige(r) ${de}`),
    target,
    // The name the maker portal gives such a relationship: prefix, referencing table, lookup, target.
    relationshipName: `${PREFIX}_${table.toLowerCase()}_${suffix}_${target.logicalName}`,
  };
}
