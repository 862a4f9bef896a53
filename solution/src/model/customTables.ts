import { label } from "../labels";
import { allFlowsOnly, COLUMN_NAMES, lookupColumn, receiverIdColumn, textColumn, yesNoColumn } from "./columns";
import { prefixed } from "./prefix";
import type { CustomTable } from "./types";

/** Schema names of the tables the product creates. */
export const TABLE_NAMES = {
  receiverState: prefixed("ReceiverState"),
  groupLink: prefixed("GroupLink"),
  mailingResult: prefixed("MailingResult"),
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

/**
 * The product's tables in the order the solution lists them. Every column but the primary name is
 * written by the flows alone (`allFlowsOnly`), so a forged row (a Receiver State that names someone
 * else's contact, a Group Link that names another group) cannot be created even by a user whose
 * role grants create on the table.
 */
export const customTables: CustomTable[] = [receiverState, groupLink, mailingResult];
