import { stableId } from "../ids";
import { label } from "../labels";
import { connectorApiName } from "../naming";
import { CAMPAIGN, CAMPAIGN_ACTIVITY, CONTACT, LEAD, MARKETING_LIST } from "./tables";
import type {
  Column,
  ConnectionReference,
  CustomTable,
  EnvironmentVariable,
  LookupColumn,
  SolutionModel,
  SystemTable,
  TableExtension,
} from "./types";

/**
 * The product's solution, as data: everything the packer writes and `verify` expects comes from
 * here. Schema names are built from PREFIX so that a fork with its own publisher changes one line.
 */
export const PREFIX = "clvr";
const n = (suffix: string): string => `${PREFIX}_${suffix}`;

/** The seed manual's example (section 6), the default newsletter types. */
export const SEED_NEWSLETTER_TYPES =
  '[{"id":0,"state":0,"description":"Information","modifiedby":"","modifiedon":"","position":1},' +
  '{"id":1,"state":0,"description":"Werbung und Spiele","modifiedby":"","modifiedon":"","position":0}]';

const checklist = (who: string, wer: string): Column => ({
  kind: "memo",
  schemaName: n("NewsletterChecklist"),
  displayName: label("Newsletter checklist", "Newsletter-Checkliste"),
  description: label(
    `Newsletter types ${who} (JSON, edited with the newsletter checklist control)`,
    `Newsletter-Typen, ${wer} (JSON, bearbeitet mit dem Steuerelement Newsletter-Checkliste)`,
  ),
  maxLength: 100000,
});

/** Columns of a record that owns a CleverReach group: marketing list, campaign, campaign activity. */
function groupOwnerColumns(): Column[] {
  return [
    {
      kind: "yesno",
      schemaName: n("SyncWithCleverReach"),
      displayName: label("Sync with CleverReach", "Mit CleverReach synchronisieren"),
      description: label(
        "Keep a CleverReach receiver group in step with this record",
        "Eine CleverReach-Empfängergruppe mit diesem Datensatz abgleichen",
      ),
      defaultValue: false,
      yes: label("Yes", "Ja"),
      no: label("No", "Nein"),
    },
    checklist("this record sends (1) or excludes (2)", "die dieser Datensatz sendet (1) oder ausschließt (2)"),
    {
      kind: "text",
      schemaName: n("CleverReachGroupId"),
      displayName: label("CleverReach group id", "CleverReach-Gruppen-ID"),
      description: label("Id of the CleverReach receiver group (set by the flows)", "ID der CleverReach-Empfängergruppe (von den Flows gesetzt)"),
      maxLength: 20,
      format: "text",
    },
    {
      kind: "memo",
      schemaName: n("ReceiverStatus"),
      displayName: label("Receiver status from CleverReach", "Empfänger Status aus CleverReach"),
      description: label("Summary written every hour by CleverReachToCrm", "Zusammenfassung, stündlich von CleverReachToCrm geschrieben"),
      maxLength: 100000,
    },
    {
      kind: "datetime",
      schemaName: n("LastSyncOn"),
      displayName: label("Last sync with CleverReach", "Letzte Synchronisation mit CleverReach"),
      description: label("When the group was last brought in step", "Wann die Gruppe zuletzt abgeglichen wurde"),
    },
    {
      kind: "memo",
      schemaName: n("LastSyncError"),
      displayName: label("Last sync error", "Letzter Synchronisationsfehler"),
      description: label("Empty when the last sync succeeded", "Leer, wenn die letzte Synchronisation erfolgreich war"),
      maxLength: 4000,
    },
  ];
}

const personColumns = (): Column[] => [
  checklist("this person accepted (1) or declined (2)", "die diese Person angenommen (1) oder abgelehnt (2) hat"),
  {
    // Derived from the checklist so that a sync can select eligible people in the Dataverse query
    // itself (a JSON column cannot be filtered); the flows keep it in step with the checklist.
    kind: "text",
    schemaName: n("AcceptedTypes"),
    displayName: label("Accepted newsletter types", "Angenommene Newsletter-Typen"),
    description: label(
      "Ids of the accepted newsletter types as ,id,id, (kept in step with the checklist by the flows)",
      "IDs der angenommenen Newsletter-Typen als ,id,id, (von den Flows mit der Checkliste abgeglichen)",
    ),
    maxLength: 400,
    format: "text",
  },
];

const extensions: TableExtension[] = [
  { table: CONTACT, columns: personColumns() },
  { table: LEAD, columns: personColumns() },
  { table: MARKETING_LIST, columns: groupOwnerColumns() },
  { table: CAMPAIGN, columns: groupOwnerColumns() },
  { table: CAMPAIGN_ACTIVITY, columns: groupOwnerColumns() },
];

/** The CleverReach receiver id, kept on every row that stands for a receiver. */
const receiverIdColumn = (): Column => ({
  kind: "text",
  schemaName: n("ReceiverId"),
  displayName: label("CleverReach receiver id", "CleverReach-Empfänger-ID"),
  description: label("Id of the receiver in the group", "ID des Empfängers in der Gruppe"),
  maxLength: 20,
  format: "text",
});

const RECEIVER_STATE = n("ReceiverState");

function lookup(suffix: string, target: SystemTable, en: string, de: string, table = RECEIVER_STATE, what = "receiver state"): LookupColumn {
  return {
    kind: "lookup",
    schemaName: n(suffix),
    displayName: label(en, de),
    description: label(`The ${en.toLowerCase()} this ${what} belongs to`, `Zugehörige(r) ${de}`),
    target,
    // The name the maker portal gives such a relationship: prefix, referencing table, lookup, target.
    relationshipName: `${PREFIX}_${table.toLowerCase()}_${suffix}_${target.logicalName}`,
  };
}

const receiverState: CustomTable = {
  schemaName: RECEIVER_STATE,
  displayName: label("Receiver State", "Empfängerstatus"),
  collectionName: label("Receiver States", "Empfängerstatus"),
  description: label(
    "One row per CleverReach receiver and group, written by CleverReachToCrm",
    "Eine Zeile je CleverReach-Empfänger und Gruppe, geschrieben von CleverReachToCrm",
  ),
  primaryName: {
    kind: "text",
    schemaName: n("Name"),
    displayName: label("Name", "Name"),
    description: label("E-mail address and group", "E-Mail-Adresse und Gruppe"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: [
    {
      kind: "text",
      schemaName: n("Email"),
      displayName: label("E-mail", "E-Mail"),
      description: label("The receiver's e-mail address in CleverReach", "E-Mail-Adresse des Empfängers in CleverReach"),
      maxLength: 100,
      format: "email",
    },
    lookup("Contact", CONTACT, "Contact", "Kontakt"),
    lookup("Lead", LEAD, "Lead", "Lead"),
    lookup("MarketingList", MARKETING_LIST, "Marketing List", "Marketingliste"),
    lookup("Campaign", CAMPAIGN, "Campaign", "Kampagne"),
    lookup("CampaignActivity", CAMPAIGN_ACTIVITY, "Campaign Activity", "Kampagnenaktivität"),
    {
      kind: "text",
      schemaName: n("GroupId"),
      displayName: label("CleverReach group id", "CleverReach-Gruppen-ID"),
      description: label("Id of the receiver group", "ID der Empfängergruppe"),
      maxLength: 20,
      format: "text",
    },
    receiverIdColumn(),
    {
      kind: "choice",
      schemaName: n("State"),
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
    {
      kind: "text",
      schemaName: n("LastEvent"),
      displayName: label("Last event", "Letztes Ereignis"),
      description: label("The latest CleverReach event of this receiver", "Das letzte CleverReach-Ereignis dieses Empfängers"),
      maxLength: 100,
      format: "text",
    },
    {
      kind: "datetime",
      schemaName: n("LastEventOn"),
      displayName: label("Last event on", "Letztes Ereignis am"),
      description: label("When the last event happened", "Wann das letzte Ereignis stattfand"),
    },
    {
      kind: "memo",
      schemaName: n("Events"),
      displayName: label("Events", "Ereignisse"),
      description: label("The receiver's CleverReach events (JSON)", "Die CleverReach-Ereignisse des Empfängers (JSON)"),
      maxLength: 100000,
    },
  ],
  formColumns: [
    n("Email"), n("State"), n("LastEvent"), n("LastEventOn"), n("Contact"), n("Lead"),
    n("MarketingList"), n("Campaign"), n("CampaignActivity"), n("GroupId"), n("ReceiverId"), n("Events"),
  ],
  viewColumns: [n("Email"), n("State"), n("LastEvent"), n("LastEventOn"), n("GroupId")],
};

const MAILING_RESULTS = n("MailingResult");

const yesNoColumn = (suffix: string, en: string, de: string, descEn: string, descDe: string): Column => ({
  kind: "yesno",
  schemaName: n(suffix),
  displayName: label(en, de),
  description: label(descEn, descDe),
  defaultValue: false,
  yes: label("Yes", "Ja"),
  no: label("No", "Nein"),
});

/**
 * A CleverReach mailing in the history of the person who received it (see
 * flows/product/cleverreachToCrm/cleverreach-to-crm.md, "Mailing history"): one row per
 * mailing and receiver, written by CleverReachToCrm, shown on the contact's or lead's form.
 */
const mailingHistory: CustomTable = {
  schemaName: MAILING_RESULTS,
  displayName: label("CleverReach Mailing", "CleverReach-Mailing"),
  collectionName: label("CleverReach Mailings", "CleverReach-Mailings"),
  description: label(
    "One row per CleverReach mailing and receiver: sent, opened, clicked; written by CleverReachToCrm",
    "Eine Zeile je CleverReach-Mailing und Empfänger: gesendet, geöffnet, geklickt; geschrieben von CleverReachToCrm",
  ),
  primaryName: {
    kind: "text",
    schemaName: n("Name"),
    displayName: label("Mailing", "Mailing"),
    description: label("Subject of the mailing", "Betreff des Mailings"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: [
    {
      kind: "text",
      schemaName: n("Email"),
      displayName: label("E-mail", "E-Mail"),
      description: label("The address the mailing went to", "Die Adresse, an die das Mailing ging"),
      maxLength: 100,
      format: "email",
    },
    lookup("Contact", CONTACT, "Contact", "Kontakt", MAILING_RESULTS, "mailing"),
    lookup("Lead", LEAD, "Lead", "Lead", MAILING_RESULTS, "mailing"),
    {
      kind: "text",
      schemaName: n("GroupId"),
      displayName: label("CleverReach group id", "CleverReach-Gruppen-ID"),
      description: label("Id of the receiver group the mailing went to", "ID der Empfängergruppe des Mailings"),
      maxLength: 20,
      format: "text",
    },
    {
      kind: "text",
      schemaName: n("MailingId"),
      displayName: label("CleverReach mailing id", "CleverReach-Mailing-ID"),
      description: label("Id of the mailing (and its report)", "ID des Mailings (und seines Berichts)"),
      maxLength: 20,
      format: "text",
    },
    receiverIdColumn(),
    {
      kind: "datetime",
      schemaName: n("SentOn"),
      displayName: label("Sent on", "Gesendet am"),
      description: label("When CleverReach started sending the mailing", "Wann CleverReach mit dem Versand begann"),
    },
    yesNoColumn("Opened", "Opened", "Geöffnet", "The receiver opened the mailing", "Der Empfänger hat das Mailing geöffnet"),
    yesNoColumn("Clicked", "Clicked", "Geklickt", "The receiver clicked a link in the mailing", "Der Empfänger hat einen Link im Mailing geklickt"),
  ],
  formColumns: [n("Email"), n("SentOn"), n("Opened"), n("Clicked"), n("Contact"), n("Lead"), n("GroupId"), n("MailingId"), n("ReceiverId")],
  viewColumns: [n("SentOn"), n("Email"), n("Opened"), n("Clicked")],
};

const text = (suffix: string, en: string, de: string, descEn: string, descDe: string, maxLength: number): Column => ({
  kind: "text",
  schemaName: n(suffix),
  displayName: label(en, de),
  description: label(descEn, descDe),
  maxLength,
  format: "text",
});

/**
 * Which CRM record a CleverReach group was created for, one row per group owner with the owner's
 * own row id. It outlives the record: the Dataverse "deleted" trigger gives a flow only the deleted
 * row's id, so the group id must be kept where a deleted record cannot take it along (see
 * flows/product/events/README.md, "Deletion rules").
 */
const groupLink: CustomTable = {
  schemaName: n("GroupLink"),
  displayName: label("CleverReach Group Link", "CleverReach-Gruppenverknüpfung"),
  collectionName: label("CleverReach Group Links", "CleverReach-Gruppenverknüpfungen"),
  description: label(
    "The CleverReach group of a list, campaign or campaign activity, kept so that the group can be found after the record is deleted",
    "Die CleverReach-Gruppe einer Liste, Kampagne oder Kampagnenaktivität; bleibt erhalten, damit die Gruppe nach dem Löschen des Datensatzes gefunden wird",
  ),
  primaryName: {
    kind: "text",
    schemaName: n("Name"),
    displayName: label("Name", "Name"),
    description: label("The group's name when it was created", "Name der Gruppe bei der Erstellung"),
    maxLength: 200,
    format: "text",
    requiredLevel: "applicationrequired",
  },
  columns: [
    text("GroupId", "CleverReach group id", "CleverReach-Gruppen-ID", "Id of the receiver group", "ID der Empfängergruppe", 20),
    text("RecordTable", "Record table", "Tabelle des Datensatzes", "list, campaign or campaignactivity", "list, campaign oder campaignactivity", 50),
    text("RecordId", "Record id", "ID des Datensatzes", "Row id of the record the group belongs to (text, so it survives the record)", "Zeilen-ID des Datensatzes, zu dem die Gruppe gehört (Text, damit sie den Datensatz überdauert)", 40),
    {
      kind: "datetime",
      schemaName: n("ChangesReadOn"),
      displayName: label("CleverReach changes read from", "CleverReach-Änderungen gelesen ab"),
      description: label(
        "CleverReachToCrm reads the group's changes from this time on; advanced when a run wrote what it read",
        "CleverReachToCrm liest die Änderungen der Gruppe ab diesem Zeitpunkt; wird weitergesetzt, wenn ein Lauf das Gelesene geschrieben hat",
      ),
    },
  ],
  formColumns: [n("GroupId"), n("RecordTable"), n("RecordId")],
  viewColumns: [n("GroupId"), n("RecordTable"), n("RecordId")],
};

const yesNo = (v: boolean): string => (v ? "yes" : "no");

const environmentVariables: EnvironmentVariable[] = [
  {
    schemaName: n("DeleteGroupOnRecordDelete"),
    type: "boolean",
    defaultValue: yesNo(false),
    original: "deletionsettings/deletecampaign",
    displayName: label("CleverReach: delete group when its record is deleted", "CleverReach: Gruppe löschen, wenn der Datensatz gelöscht wird"),
    description: label(
      "Yes: deleting a synced list, campaign or campaign activity deletes its CleverReach group (subject to deletion protection and priority).",
      "Ja: Wird eine synchronisierte Liste, Kampagne oder Kampagnenaktivität gelöscht, wird ihre CleverReach-Gruppe gelöscht (abhängig von Lösch-Schutz und Priorität).",
    ),
  },
  {
    schemaName: n("DeleteGroupOnSyncOff"),
    type: "boolean",
    defaultValue: yesNo(false),
    original: "deletionsettings/deletedisablestynchronization",
    displayName: label("CleverReach: delete group when sync is turned off", "CleverReach: Gruppe löschen, wenn die Synchronisation ausgeschaltet wird"),
    description: label(
      "Yes: setting \"Sync with CleverReach\" to No deletes the group (subject to deletion protection and priority).",
      "Ja: Wird \"Mit CleverReach synchronisieren\" auf Nein gesetzt, wird die Gruppe gelöscht (abhängig von Lösch-Schutz und Priorität).",
    ),
  },
  {
    schemaName: n("DeletionProtection"),
    type: "boolean",
    defaultValue: yesNo(true),
    original: "deletionsettings/deleteprotection",
    displayName: label("CleverReach: deletion protection for groups", "CleverReach: Lösch-Schutz für Gruppen"),
    description: label(
      "Yes: groups created from the CRM are deletion-protected.",
      "Ja: Aus dem CRM erstellte Gruppen sind vor dem Löschen geschützt.",
    ),
  },
  {
    schemaName: n("DeletionPriority"),
    type: "number",
    defaultValue: "1",
    original: "deletionsettings/priority",
    displayName: label("CleverReach: deletion priority (0, 1 or 2)", "CleverReach: Priorität des Lösch-Schutzes (0, 1 oder 2)"),
    description: label(
      "0: may delete despite protection. 1: never deletes while protection is on. 2: deletes only when the record is deleted and delete-on-record-delete is on.",
      "0: darf trotz Lösch-Schutz löschen. 1: löscht nie bei aktivem Lösch-Schutz. 2: löscht nur, wenn der Datensatz gelöscht wird und das Löschen dafür eingeschaltet ist.",
    ),
  },
  {
    schemaName: n("GroupPrefix"),
    type: "string",
    defaultValue: "CRM - ",
    original: "groupsetting/groupprefix",
    displayName: label("CleverReach: group name prefix", "CleverReach: Präfix für Gruppennamen"),
    description: label(
      "Put before the record's name to form the CleverReach group name.",
      "Wird dem Namen des Datensatzes im CleverReach-Gruppennamen vorangestellt.",
    ),
  },
  {
    schemaName: n("NewsletterTypes"),
    type: "json",
    defaultValue: SEED_NEWSLETTER_TYPES,
    original: "newslettertypsettings/typjson",
    displayName: label("CleverReach: newsletter types", "CleverReach: Newsletter-Typen"),
    description: label(
      "JSON array of newsletter types: id (unique integer), description (label), position (row order from 0).",
      "JSON-Array der Newsletter-Typen: id (eindeutige Ganzzahl), description (Beschriftung), position (Reihenfolge ab 0).",
    ),
  },
  {
    schemaName: n("TransferTables"),
    type: "json",
    defaultValue: '["contact","account","lead"]',
    original: "transfersettings/entity",
    displayName: label("CleverReach: tables transferred", "CleverReach: übertragene Tabellen"),
    description: label(
      "JSON array of the tables whose people become receivers: contact, account (its primary contact), lead.",
      "JSON-Array der Tabellen, deren Personen Empfänger werden: contact, account (deren primärer Kontakt), lead.",
    ),
  },
];

const connectorDisplayName = "CleverReach Connector";

const connectionReferences: ConnectionReference[] = [
  {
    logicalName: n("Dataverse"),
    displayName: label("CleverReach Connector - Dataverse", "CleverReach Connector - Dataverse"),
    description: label("Dataverse connection the sync flows use", "Dataverse-Verbindung der Synchronisations-Flows"),
    connectorId: "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps",
  },
];

/** The connection reference to our own custom connector; shipped together with the connector. */
export function cleverReachConnectionReference(model: SolutionModel): ConnectionReference {
  return {
    logicalName: n("CleverReach"),
    displayName: label("CleverReach Connector - CleverReach", "CleverReach Connector - CleverReach"),
    description: label("CleverReach connection (OAuth 2.0) the sync flows use", "CleverReach-Verbindung (OAuth 2.0) der Synchronisations-Flows"),
    connectorId: `/providers/Microsoft.PowerApps/apis/${connectorApiName(model.publisher.prefix, model.connector.displayName)}`,
    customConnectorId: model.connector.id,
  };
}

export const product: SolutionModel = {
  solution: {
    uniqueName: "CleverReachConnector",
    displayName: label("CleverReach Connector for Dataverse", "CleverReach Connector für Dataverse"),
    description: label(
      "Newsletter checklists on contacts, leads, campaigns, campaign activities and marketing lists, kept in step with CleverReach receiver groups.",
      "Newsletter-Checklisten an Kontakten, Leads, Kampagnen, Kampagnenaktivitäten und Marketinglisten, abgeglichen mit CleverReach-Empfängergruppen.",
    ),
    version: "1.0.0.0",
  },
  publisher: {
    uniqueName: "cleverreachconnector",
    displayName: label("CleverReach Connector for Dataverse", "CleverReach Connector für Dataverse"),
    description: label("Publisher of the open CleverReach Connector for Dataverse", "Herausgeber des offenen CleverReach Connector für Dataverse"),
    prefix: PREFIX,
    optionValuePrefix: 48271,
  },
  extensions,
  tables: [receiverState, groupLink, mailingHistory],
  environmentVariables,
  connectionReferences,
  connector: {
    id: stableId("connector:cleverreach"),
    displayName: connectorDisplayName,
    description: "CleverReach REST API v3: receiver groups, receivers, attributes, mailings, reports and blacklist.",
    iconBrandColor: "#1c5fa8",
  },
};
