import { label } from "../labels";
import { allFlowsOnly, COLUMN_NAMES, countColumn, lookupColumn, receiverIdColumn, textColumn, yesNoColumn } from "./columns";
import { prefixed } from "./prefix";
import type { CustomTable } from "./types";

/** Schema names of the tables the product creates. */
export const TABLE_NAMES = {
  receiverState: prefixed("ReceiverState"),
  groupLink: prefixed("GroupLink"),
  mailingResult: prefixed("MailingResult"),
  syncLog: prefixed("SyncLog"),
  syncLock: prefixed("SyncLock"),
} as const;

const c = COLUMN_NAMES;

/** One row per CleverReach receiver and group: why CleverReach no longer sends to someone (flows/product/cleverreachToCrm/cleverreach-to-crm.md). */
export const receiverState: CustomTable = {
  schemaName: TABLE_NAMES.receiverState,
  displayName: label("Receiver State", "Empfängerstatus"),
  collectionName: label("Receiver States", "Empfängerstatus"),
  description: label(
    "One row per CleverReach receiver and group, written by CleverReachToCrm",
    "Eine Zeile je CleverReach-Empfänger und Gruppe, geschrieben von CleverReachToCrm",
  ),
  primaryName: {
    kind: "text",
    schemaName: c.name,
    displayName: label("Name", "Name"),
    description: label("E-mail address and group", "E-Mail-Adresse und Gruppe"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: allFlowsOnly([
    {
      kind: "text",
      schemaName: c.email,
      displayName: label("E-mail", "E-Mail"),
      description: label("The receiver's e-mail address in CleverReach", "E-Mail-Adresse des Empfängers in CleverReach"),
      maxLength: 100,
      format: "email",
    },
    lookupColumn("contact", "Contact", "Kontakt", TABLE_NAMES.receiverState, "receiver state"),
    lookupColumn("lead", "Lead", "Lead", TABLE_NAMES.receiverState, "receiver state"),
    lookupColumn("marketingList", "Marketing List", "Marketingliste", TABLE_NAMES.receiverState, "receiver state"),
    lookupColumn("campaign", "Campaign", "Kampagne", TABLE_NAMES.receiverState, "receiver state"),
    lookupColumn("campaignActivity", "Campaign Activity", "Kampagnenaktivität", TABLE_NAMES.receiverState, "receiver state"),
    textColumn("groupId", "CleverReach group id", "CleverReach-Gruppen-ID", "Id of the receiver group", "ID der Empfängergruppe", 20),
    receiverIdColumn(),
    {
      kind: "choice",
      schemaName: c.state,
      displayName: label("State in CleverReach", "Status in CleverReach"),
      description: label("Whether CleverReach still sends to this receiver", "Ob CleverReach diesem Empfänger noch sendet"),
      options: [
        { offset: 0, label: label("Active", "Aktiv") },
        { offset: 1, label: label("Inactive (unsubscribed)", "Inaktiv (abgemeldet)") },
        { offset: 2, label: label("Bounced", "Unzustellbar") },
        { offset: 3, label: label("Blacklisted", "Auf der Sperrliste") },
        { offset: 4, label: label("Deleted", "Gelöscht") },
      ],
    },
    textColumn(
      "lastEvent",
      "Last event",
      "Letztes Ereignis",
      "The latest CleverReach event of this receiver",
      "Das letzte CleverReach-Ereignis dieses Empfängers",
      100,
    ),
    {
      kind: "datetime",
      schemaName: c.lastEventOn,
      displayName: label("Last event on", "Letztes Ereignis am"),
      description: label("When the last event happened", "Wann das letzte Ereignis stattfand"),
    },
    {
      kind: "memo",
      schemaName: c.events,
      displayName: label("Events", "Ereignisse"),
      description: label("The receiver's CleverReach events (JSON)", "Die CleverReach-Ereignisse des Empfängers (JSON)"),
      maxLength: 100000,
    },
  ]),
  formColumns: [
    c.email,
    c.state,
    c.lastEvent,
    c.lastEventOn,
    c.contact,
    c.lead,
    c.marketingList,
    c.campaign,
    c.campaignActivity,
    c.groupId,
    c.receiverId,
    c.events,
  ],
  viewColumns: [c.email, c.state, c.lastEvent, c.lastEventOn, c.groupId],
};

/**
 * A mailing result: one CleverReach mailing as the person who received it got it (cleverreach-to-crm.md, "Mailing history"), one
 * row per mailing and receiver, written by CleverReachToCrm, shown on the contact's or lead's form.
 */
export const mailingResult: CustomTable = {
  schemaName: TABLE_NAMES.mailingResult,
  displayName: label("CleverReach Mailing", "CleverReach-Mailing"),
  collectionName: label("CleverReach Mailings", "CleverReach-Mailings"),
  description: label(
    "One row per CleverReach mailing and receiver: sent, opened, clicked; written by CleverReachToCrm",
    "Eine Zeile je CleverReach-Mailing und Empfänger: gesendet, geöffnet, geklickt; geschrieben von CleverReachToCrm",
  ),
  primaryName: {
    kind: "text",
    schemaName: c.name,
    displayName: label("Mailing", "Mailing"),
    description: label("Subject of the mailing", "Betreff des Mailings"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: allFlowsOnly([
    {
      kind: "text",
      schemaName: c.email,
      displayName: label("E-mail", "E-Mail"),
      description: label("The address the mailing went to", "Die Adresse, an die das Mailing ging"),
      maxLength: 100,
      format: "email",
    },
    lookupColumn("contact", "Contact", "Kontakt", TABLE_NAMES.mailingResult, "mailing"),
    lookupColumn("lead", "Lead", "Lead", TABLE_NAMES.mailingResult, "mailing"),
    textColumn(
      "groupId",
      "CleverReach group id",
      "CleverReach-Gruppen-ID",
      "Id of the receiver group the mailing went to",
      "ID der Empfängergruppe des Mailings",
      20,
    ),
    textColumn(
      "mailingId",
      "CleverReach mailing id",
      "CleverReach-Mailing-ID",
      "Id of the mailing (and its report)",
      "ID des Mailings (und seines Berichts)",
      20,
    ),
    receiverIdColumn(),
    {
      kind: "datetime",
      schemaName: c.sentOn,
      displayName: label("Sent on", "Gesendet am"),
      description: label("When CleverReach started sending the mailing", "Wann CleverReach mit dem Versand begann"),
    },
    yesNoColumn("opened", "Opened", "Geöffnet", "The receiver opened the mailing", "Der Empfänger hat das Mailing geöffnet"),
    yesNoColumn("clicked", "Clicked", "Geklickt", "The receiver clicked a link in the mailing", "Der Empfänger hat einen Link im Mailing geklickt"),
  ]),
  formColumns: [c.email, c.sentOn, c.opened, c.clicked, c.contact, c.lead, c.groupId, c.mailingId, c.receiverId],
  viewColumns: [c.sentOn, c.email, c.opened, c.clicked],
};

/**
 * Which CRM record a CleverReach group was created for, one row per group owner with the owner's
 * own row id. It outlives the record: the Dataverse "deleted" trigger gives a flow only the deleted
 * row's id, so the group id must be kept where a deleted record cannot take it along (flows/product/events/README.md, "Deletion rules").
 */
export const groupLink: CustomTable = {
  schemaName: TABLE_NAMES.groupLink,
  displayName: label("CleverReach Group Link", "CleverReach-Gruppenverknüpfung"),
  collectionName: label("CleverReach Group Links", "CleverReach-Gruppenverknüpfungen"),
  description: label(
    "The CleverReach group of a list, campaign or campaign activity, kept so that the group can be found after the record is deleted",
    "Die CleverReach-Gruppe einer Liste, Kampagne oder Kampagnenaktivität; bleibt erhalten, damit die Gruppe nach dem Löschen des Datensatzes gefunden wird",
  ),
  primaryName: {
    kind: "text",
    schemaName: c.name,
    displayName: label("Name", "Name"),
    description: label("The group's name when it was created", "Name der Gruppe bei der Erstellung"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: allFlowsOnly([
    textColumn("groupId", "CleverReach group id", "CleverReach-Gruppen-ID", "Id of the receiver group", "ID der Empfängergruppe", 20),
    textColumn("recordTable", "Record table", "Tabelle des Datensatzes", "list, campaign or campaignactivity", "list, campaign oder campaignactivity", 50),
    textColumn(
      "recordId",
      "Record id",
      "ID des Datensatzes",
      "Row id of the record the group belongs to (text, so it survives the record)",
      "Zeilen-ID des Datensatzes, zu dem die Gruppe gehört (Text, damit sie den Datensatz überdauert)",
      40,
    ),
    {
      kind: "datetime",
      schemaName: c.changesReadOn,
      displayName: label("CleverReach changes read from", "CleverReach-Änderungen gelesen ab"),
      description: label(
        "CleverReachToCrm reads the group's changes from this time on; advanced when a run wrote what it read",
        "CleverReachToCrm liest die Änderungen der Gruppe ab diesem Zeitpunkt; wird weitergesetzt, wenn ein Lauf das Gelesene geschrieben hat",
      ),
    },
  ]),
  formColumns: [c.groupId, c.recordTable, c.recordId],
  viewColumns: [c.groupId, c.recordTable, c.recordId],
};

/** The outcome of a run in the sync log (choice values: publisher prefix + offset). */
export const SYNC_LOG_OUTCOME = { succeeded: 0, failed: 1 } as const;

/**
 * The sync log (flows/product/patterns/syncLog.ts): one row per flow run that touched a group, with
 * what it did and why it failed, so that a marketing user sees on the list, campaign or campaign
 * activity what happened without opening a run history. Kept for the days of clvr_SyncLogRetentionDays.
 */
export const syncLog: CustomTable = {
  schemaName: TABLE_NAMES.syncLog,
  displayName: label("CleverReach Sync Log", "CleverReach-Synchronisationsprotokoll"),
  collectionName: label("CleverReach Sync Logs", "CleverReach-Synchronisationsprotokolle"),
  description: label(
    "One row per flow run that touched a CleverReach group: counts, skipped receivers and why, the error, a link to the run",
    "Eine Zeile je Flow-Lauf, der eine CleverReach-Gruppe berührt hat: Anzahlen, übersprungene Empfänger und warum, der Fehler, ein Link zum Lauf",
  ),
  primaryName: {
    kind: "text",
    schemaName: c.name,
    displayName: label("Run", "Lauf"),
    description: label("The flow and its outcome", "Der Flow und sein Ergebnis"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: allFlowsOnly([
    lookupColumn("marketingList", "Marketing List", "Marketingliste", TABLE_NAMES.syncLog, "sync log entry"),
    lookupColumn("campaign", "Campaign", "Kampagne", TABLE_NAMES.syncLog, "sync log entry"),
    lookupColumn("campaignActivity", "Campaign Activity", "Kampagnenaktivität", TABLE_NAMES.syncLog, "sync log entry"),
    textColumn("recordTable", "Record table", "Tabelle des Datensatzes", "list, campaign or campaignactivity", "list, campaign oder campaignactivity", 50),
    textColumn(
      "recordId",
      "Record id",
      "ID des Datensatzes",
      "Row id of the record (text, so that the entry outlives the record)",
      "Zeilen-ID des Datensatzes (Text, damit der Eintrag den Datensatz überdauert)",
      40,
    ),
    textColumn("groupId", "CleverReach group id", "CleverReach-Gruppen-ID", "Id of the receiver group", "ID der Empfängergruppe", 20),
    textColumn("flow", "Flow", "Flow", "The flow that ran", "Der Flow, der lief", 100),
    textColumn(
      "person",
      "Person",
      "Person",
      "A contact's or lead's run: the person it was about (name, address, table and row id, as text so that the entry outlives the person)",
      "Lauf eines Kontakts oder Leads: die Person (Name, Adresse, Tabelle und Zeilen-ID, als Text, damit der Eintrag die Person überdauert)",
      400,
    ),
    {
      kind: "choice",
      schemaName: c.outcome,
      displayName: label("Outcome", "Ergebnis"),
      description: label("Whether the run did all it had to", "Ob der Lauf alles getan hat, was er sollte"),
      options: [
        { offset: SYNC_LOG_OUTCOME.succeeded, label: label("Succeeded", "Erfolgreich") },
        { offset: SYNC_LOG_OUTCOME.failed, label: label("Failed", "Fehlgeschlagen") },
      ],
    },
    {
      kind: "datetime",
      schemaName: c.startedOn,
      displayName: label("Started on", "Begonnen am"),
      description: label("When the run began", "Wann der Lauf begann"),
    },
    {
      kind: "datetime",
      schemaName: c.endedOn,
      displayName: label("Ended on", "Beendet am"),
      description: label("When the run ended", "Wann der Lauf endete"),
    },
    countColumn(
      "added",
      "Added",
      "Hinzugefügt",
      "Receivers new in the group (or members new in the list)",
      "Neue Empfänger der Gruppe (oder neue Mitglieder der Liste)",
    ),
    countColumn("updated", "Updated", "Aktualisiert", "Receivers sent again with their current data", "Empfänger, erneut mit ihren aktuellen Daten gesendet"),
    countColumn("removed", "Removed", "Entfernt", "Receivers removed from the group", "Aus der Gruppe entfernte Empfänger"),
    countColumn("skipped", "Skipped", "Übersprungen", "People or receivers left out", "Ausgelassene Personen oder Empfänger"),
    {
      kind: "memo",
      schemaName: c.skippedWhy,
      displayName: label("Why skipped", "Warum übersprungen"),
      description: label("Why they were left out, and which (the first ones)", "Warum sie ausgelassen wurden, und welche (die ersten)"),
      maxLength: 100000,
    },
    {
      kind: "memo",
      schemaName: c.unmatched,
      displayName: label("Not in the CRM", "Nicht im CRM"),
      description: label(
        "An import of a CleverReach group: the addresses of receivers no contact or lead has and none was created for, one a line",
        "Ein Import einer CleverReach-Gruppe: die Adressen der Empfänger, die kein Kontakt und kein Lead hat und für die keiner angelegt wurde, eine je Zeile",
      ),
      // Dataverse's largest multiple-line text (MemoAttributeMetadata.MaxLength 1,048,576).
      maxLength: 1048576,
    },
    {
      kind: "memo",
      schemaName: c.error,
      displayName: label("Error", "Fehler"),
      description: label(
        "Empty when the run succeeded; otherwise the failed step and the answer",
        "Leer bei Erfolg; sonst der fehlgeschlagene Schritt und die Antwort",
      ),
      maxLength: 4000,
    },
    {
      kind: "text",
      schemaName: c.runUrl,
      displayName: label("Flow run", "Flow-Lauf"),
      description: label("Link to the run in Power Automate", "Link zum Lauf in Power Automate"),
      maxLength: 500,
      format: "url",
    },
  ]),
  formColumns: [
    c.flow,
    c.person,
    c.outcome,
    c.startedOn,
    c.endedOn,
    c.added,
    c.updated,
    c.removed,
    c.skipped,
    c.skippedWhy,
    c.unmatched,
    c.error,
    c.runUrl,
    c.marketingList,
    c.campaign,
    c.campaignActivity,
    c.recordTable,
    c.recordId,
    c.groupId,
  ],
  viewColumns: [c.startedOn, c.flow, c.outcome, c.added, c.updated, c.removed, c.skipped, c.error],
  // Newest first, in the Related tab and in the "Sync log" tab setup puts on the forms (solution/FORMAT-NOTES.md).
  viewOrder: { column: c.startedOn, descending: true },
};

/**
 * Which run may work on a record's CleverReach group right now (flows/product/README.md,
 * "Overlapping runs"): a row whose id is the record's own row id, created by the run that takes the
 * lock (a second create of the same id fails) and deleted when it is done; beside it, short-lived
 * claims (a waiting sync's promise of one more pass, a takeover of a dead holder's lock) keyed by
 * the holder's token. Only the flows read or write it.
 */
export const syncLock: CustomTable = {
  schemaName: TABLE_NAMES.syncLock,
  displayName: label("CleverReach Sync Lock", "CleverReach-Synchronisationssperre"),
  collectionName: label("CleverReach Sync Locks", "CleverReach-Synchronisationssperren"),
  description: label(
    "Held while a flow works on the CleverReach group of a list, campaign or campaign activity, so that runs for one record do not overlap; written by the flows only",
    "Gehalten, solange ein Flow an der CleverReach-Gruppe einer Liste, Kampagne oder Kampagnenaktivität arbeitet, damit sich Läufe für einen Datensatz nicht überschneiden; nur von den Flows geschrieben",
  ),
  primaryName: {
    kind: "text",
    schemaName: c.name,
    displayName: label("Name", "Name"),
    description: label("What holds the lock, for which record", "Was die Sperre hält, für welchen Datensatz"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: allFlowsOnly([
    textColumn("lockToken", "Token", "Token", "A new GUID per run that takes the lock", "Eine neue GUID je Lauf, der die Sperre nimmt", 40),
    textColumn("lockHolder", "Holder", "Inhaber", "The flow run that holds the lock", "Der Flow-Lauf, der die Sperre hält", 100),
    textColumn(
      "lockKind",
      "Kind",
      "Art",
      "sync, delete, import, declines, successor or takeover",
      "sync, delete, import, declines, successor oder takeover",
      20,
    ),
    {
      kind: "datetime",
      schemaName: c.leaseUntil,
      displayName: label("Lease until", "Gültig bis"),
      description: label(
        "After this time another run may take the lock over (its holder stopped without releasing it)",
        "Nach dieser Zeit darf ein anderer Lauf die Sperre übernehmen (ihr Inhaber endete, ohne sie freizugeben)",
      ),
    },
  ]),
  formColumns: [c.lockKind, c.lockHolder, c.leaseUntil, c.lockToken],
  viewColumns: [c.lockKind, c.lockHolder, c.leaseUntil],
};

/**
 * The product's tables in the order the solution lists them. Every column but the primary name is
 * written by the flows alone (`allFlowsOnly`), so a forged row (a Receiver State that names someone
 * else's contact, a Group Link that names another group) cannot be created even by a user whose
 * role grants create on the table.
 */
export const customTables: CustomTable[] = [receiverState, groupLink, mailingResult, syncLog, syncLock];
