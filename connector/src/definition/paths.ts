import { MAX_PAGE_SIZE, REPORT_RECEIVERS_PAGE_SIZE, upsertBatch } from "./definitions";
import { arr, bodyParam, ok, pathParam, queryParam, ref, type OperationObject, type ParameterObject, type PathItem } from "./dsl";

const groupPicker = { operationId: "ListGroups", "value-path": "id", "value-title": "name" } as const;

const groupId = (where: "path" | "query" = "path", required = true): ParameterObject => ({
  name: where === "path" ? "group_id" : "group_id",
  in: where,
  required: where === "path" ? true : required,
  type: "integer",
  format: "int64",
  description: "The CleverReach receiver group. Pick it from the list or enter its id.",
  "x-ms-summary": "Group",
  "x-ms-dynamic-values": { ...groupPicker },
});

const receiverRef = pathParam("pool_id", "Receiver", "The receiver's id or e-mail address.");
const emailPath = pathParam("email", "Email", "The e-mail address.");

const page = queryParam("page", "Page", "Which page to return, counted from 0.", {
  type: "integer",
  format: "int32",
  minimum: 0,
  default: 0,
  "x-ms-visibility": "advanced",
});
const pageSize = (max: number, dflt: number): ParameterObject =>
  queryParam("pagesize", "Page Size", `How many entries a page holds (at most ${max}).`, {
    type: "integer",
    format: "int32",
    minimum: 1,
    maximum: max,
    default: dflt,
    "x-ms-visibility": "advanced",
  });
const detail = queryParam("detail", "Details", "What to include with each receiver, added up: 1 events, 2 orders, 4 tags (e.g. 7 for all).", {
  type: "integer",
  format: "int32",
  minimum: 0,
  maximum: 7,
  default: 0,
  "x-ms-visibility": "advanced",
});

function op(
  operationId: string,
  tag: string,
  summary: string,
  description: string,
  parameters: ParameterObject[],
  responses: OperationObject["responses"],
  visibility?: OperationObject["x-ms-visibility"],
): OperationObject {
  const o: OperationObject = { operationId, summary, description, tags: [tag], parameters, responses };
  if (visibility) o["x-ms-visibility"] = visibility;
  return o;
}

const done = ok("Done.", { type: "boolean", "x-ms-summary": "Done", description: "True when CleverReach carried out the request." });

export const paths: Record<string, PathItem> = {
  "/debug/whoami.json": {
    get: op(
      "GetAccount",
      "Account",
      "Get account details",
      "Returns the CleverReach account the connection signs in to. Use it to check that the connection works.",
      [],
      ok("The account.", ref("Identity")),
      "important",
    ),
  },
  "/debug/ttl.json": {
    get: op(
      "GetTokenLifetime",
      "Account",
      "Get token lifetime",
      "Returns how many seconds the connection's access token stays valid; a 401 error means it is no longer valid.",
      [],
      ok("The lifetime.", ref("TokenTtl")),
      "advanced",
    ),
  },
  "/groups": {
    get: op(
      "ListGroups",
      "Groups",
      "List groups",
      "Lists all receiver groups (lists) of the account.",
      // SDK GroupSortField: created or changed; MindCloud list-groups.md: "created ASC or DESC, changed ASC or DESC".
      [queryParam("order", "Sort By", 'created or changed, optionally followed by ASC or DESC, e.g. "changed DESC".', { "x-ms-visibility": "advanced" })],
      ok("The groups.", arr("Groups", "The groups.", ref("Group"))),
      "important",
    ),
    post: op(
      "CreateGroup",
      "Groups",
      "Create group",
      "Creates a new receiver group and returns it with its id.",
      [bodyParam("Group", "Name and settings of the new group.", ref("GroupInput"))],
      ok("The new group.", ref("Group")),
      "important",
    ),
  },
  "/groups/{group_id}": {
    get: op("GetGroup", "Groups", "Get group", "Returns one receiver group.", [groupId()], ok("The group.", ref("Group"))),
    put: op(
      "UpdateGroup",
      "Groups",
      "Update group",
      "Renames a group or changes its description or settings. Send the whole group (name, description, locked, backup) as Get group gives it, with your changes.",
      [groupId(), bodyParam("Group", "The whole group with the changes.", ref("GroupUpdate"))],
      ok("The changed group.", ref("Group")),
    ),
    delete: op("DeleteGroup", "Groups", "Delete group", "Deletes a group together with all its receivers. This cannot be undone.", [groupId()], done),
  },
  "/groups/{group_id}/stats": {
    get: op(
      "GetGroupStats",
      "Groups",
      "Get group statistics",
      "Returns receiver counts of a group (total, active, inactive, bounced). CleverReach caches these for a while.",
      [groupId()],
      ok("The statistics.", ref("GroupStats")),
    ),
  },
  "/groups/{group_id}/forms": {
    // CleverReach's integration core reads a group's forms here (Form/Http/Proxy::getForms,
    // "groups.json/$groupId/forms"; its CreateDefaultFormTask picks the one whose customer_tables_id is the group).
    get: op(
      "ListGroupForms",
      "Forms",
      "List forms of a group",
      "Lists the sign-up forms of one group; a double opt-in mail is sent through a form of the receiver's group.",
      [groupId()],
      ok("The forms.", arr("Forms", "The forms.", ref("Form"))),
    ),
  },
  "/groups/{group_id}/receivers": {
    get: op(
      "ListGroupReceivers",
      "Receivers",
      "List receivers of a group",
      `Lists a group's receivers one page at a time (page from 0, up to ${MAX_PAGE_SIZE} per page). Read pages until one comes back shorter than the page size.`,
      [
        groupId(),
        page,
        pageSize(MAX_PAGE_SIZE, 50),
        queryParam("type", "Which Receivers", "all, active, inactive or bounce.", { enum: ["all", "active", "inactive", "bounce"], default: "all" }),
        detail,
        queryParam("email_list", "Only These Emails", "Comma-separated e-mail addresses to return.", { "x-ms-visibility": "advanced" }),
        queryParam("id_list", "Only These IDs", "Comma-separated receiver ids to return.", { "x-ms-visibility": "advanced" }),
        queryParam("order_by", "Sort By", "Column to sort by, optionally followed by ASC or DESC.", { "x-ms-visibility": "advanced" }),
      ],
      ok("One page of receivers.", arr("Receivers", "The receivers on this page.", ref("Receiver"))),
      "important",
    ),
  },
  "/groups/{group_id}/receivers/upsertplus": {
    post: op(
      "UpsertReceivers",
      "Receivers",
      "Add or update receivers",
      "Inserts new receivers and updates existing ones (matched by e-mail) in one call, at most 1000 per call. Fields left out keep their value. Activated 0 makes a receiver inactive; a receiver with a deactivated time (unsubscribed) stays inactive whatever is sent.",
      [groupId(), bodyParam("Receivers", "The receivers (at most 1000).", upsertBatch)],
      ok("The receivers as stored.", arr("Receivers", "The receivers as stored.", ref("Receiver"))),
      "important",
    ),
  },
  "/groups/{group_id}/receivers/{pool_id}": {
    // No detail parameter: the explorer lists only group_id and pool_id (MindCloud get-group-receiver.md),
    // and the answer carries tags, events and orders anyway (integration core fixture recipientInfo.json).
    get: op(
      "GetGroupReceiver",
      "Receivers",
      "Get receiver of a group",
      "Returns one receiver of a group with its tags, events and orders, found by id or e-mail address.",
      [groupId(), receiverRef],
      ok("The receiver.", ref("Receiver")),
    ),
    put: op(
      "UpdateGroupReceiver",
      "Receivers",
      "Update receiver",
      "Changes one receiver of a group. Fields left out keep their value.",
      [groupId(), receiverRef, bodyParam("Changes", "What to change.", ref("ReceiverUpdate"))],
      ok("The changed receiver.", ref("Receiver")),
    ),
    delete: op(
      "DeleteGroupReceiver",
      "Receivers",
      "Remove receiver from group",
      "Deletes one receiver from a group (found by id or e-mail address).",
      [groupId(), receiverRef],
      done,
    ),
  },
  "/groups/{group_id}/receivers/{pool_id}/activate": {
    put: op(
      "ActivateGroupReceiver",
      "Receivers",
      "Activate receiver",
      "Sets a receiver of a group active, without a confirmation mail. Only for people who gave consent.",
      [groupId(), receiverRef],
      done,
    ),
  },
  "/groups/{group_id}/receivers/{pool_id}/deactivate": {
    put: op(
      "DeactivateGroupReceiver",
      "Receivers",
      "Deactivate receiver",
      "Sets a receiver of a group inactive (no more mailings); the receiver stays in the group.",
      [groupId(), receiverRef],
      done,
    ),
  },
  "/receivers/{pool_id}": {
    get: op(
      "GetReceiver",
      "Receivers",
      "Find receiver",
      "Returns a receiver with its tags, events and orders, found by id or e-mail address, optionally within one group.",
      // The explorer lists only id and group_id (MindCloud get-receiver.md): no detail parameter.
      [receiverRef, { ...groupId("query", false), "x-ms-visibility": "advanced" }],
      ok("The receiver.", ref("Receiver")),
    ),
  },
  "/receivers/{pool_id}/events": {
    get: op(
      "ListReceiverEvents",
      "Receivers",
      "List receiver events",
      "Lists what happened to a receiver (opens, clicks, unsubscribes, …).",
      [receiverRef, { ...groupId("query", false), "x-ms-visibility": "advanced" }],
      ok("The events.", arr("Events", "The events.", ref("Event"))),
    ),
  },
  "/receivers/{pool_id}/orders": {
    get: op(
      "ListReceiverOrders",
      "Receivers",
      "List receiver orders",
      "Lists the purchases recorded for a receiver.",
      [receiverRef, { ...groupId("query", false), "x-ms-visibility": "advanced" }],
      ok("The orders.", arr("Orders", "The orders.", ref("Order"))),
    ),
  },
  "/attributes": {
    get: op(
      "ListAttributes",
      "Attributes",
      "List attributes",
      "Lists the account-wide (global) attributes, or a group's own attributes when a group is given.",
      [{ ...groupId("query", false), description: "Leave empty for global attributes; pick a group for its own attributes." }],
      ok("The attributes.", arr("Attributes", "The attributes.", ref("Attribute"))),
    ),
    post: op(
      "CreateGlobalAttribute",
      "Attributes",
      "Create global attribute",
      "Creates an account-wide attribute that every group's receivers share.",
      [bodyParam("Attribute", "The attribute.", ref("AttributeInput"))],
      ok("The new attribute.", ref("Attribute")),
    ),
  },
  "/groups/{group_id}/attributes": {
    post: op(
      "CreateGroupAttribute",
      "Attributes",
      "Create group attribute",
      "Creates an attribute that only this group's receivers have.",
      [groupId(), bodyParam("Attribute", "The attribute.", ref("AttributeInput"))],
      ok("The new attribute.", ref("Attribute")),
    ),
  },
  "/mailings": {
    get: op(
      "ListMailings",
      "Mailings",
      "List mailings",
      "Lists mailings grouped by state (drafts, scheduled, sending, sent).",
      [
        queryParam("state", "State", "Only mailings in this state.", { enum: ["draft", "waiting", "running", "finished"] }),
        queryParam("limit", "Limit", "At most this many mailings per state.", {
          type: "integer",
          format: "int32",
          minimum: 1,
          default: 25,
          "x-ms-visibility": "advanced",
        }),
      ],
      ok("The mailings.", ref("MailingList")),
    ),
  },
  "/mailings/{mailing_id}": {
    get: op(
      "GetMailing",
      "Mailings",
      "Get mailing",
      "Returns one mailing.",
      [pathParam("mailing_id", "Mailing", "The mailing's id.", { type: "integer", format: "int64" })],
      ok("The mailing.", ref("Mailing")),
    ),
  },
  "/reports": {
    get: op(
      "ListReports",
      "Reports",
      "List mailing reports",
      "Lists the reports of sent mailings, optionally only those sent between two times.",
      [
        // The explorer's texts: start "requires end date", end "requires start date" (MindCloud list-reports.md).
        queryParam(
          "start",
          "Sent From",
          "Only reports of mailings sent at or after this Unix time (seconds). Give Sent until with it: CleverReach takes the two only together.",
          { type: "integer", format: "int64" },
        ),
        queryParam(
          "end",
          "Sent Until",
          "Only reports of mailings sent at or before this Unix time (seconds). Give Sent from with it: CleverReach takes the two only together.",
          { type: "integer", format: "int64" },
        ),
        { ...groupId("query", false), description: "Only reports of mailings sent to this group.", "x-ms-visibility": "advanced" },
        page,
        pageSize(100, 25),
      ],
      ok("The reports.", arr("Reports", "The reports.", ref("Report"))),
    ),
  },
  "/reports/{report_id}/receivers/{reaction}": {
    get: op(
      "ListReportReceivers",
      "Reports",
      "List receivers of a mailing report",
      "Lists the receivers of a sent mailing who reacted in a given way: opened, clicked, bounced or unsubscribed (or were sent it).",
      [
        pathParam("report_id", "Report", "The report's id (the sent mailing's id).", {
          type: "integer",
          format: "int64",
          "x-ms-dynamic-values": { operationId: "ListReports", "value-path": "id", "value-title": "name" },
        }),
        pathParam("reaction", "Reaction", "Which receivers: sent, opened, notopened, clicked, notclicked, bounced or unsubscribed.", {
          enum: ["sent", "opened", "notopened", "clicked", "notclicked", "bounced", "unsubscribed"],
        }),
        queryParam("from", "From", "Only reactions at or after this Unix time (seconds).", { type: "integer", format: "int64", "x-ms-visibility": "advanced" }),
        queryParam("to", "To", "Only reactions at or before this Unix time (seconds).", { type: "integer", format: "int64", "x-ms-visibility": "advanced" }),
        detail,
        page,
        // No source gives this list's largest page; Apteco reads it in pages of 500 (defaultsettings.ps1 pageSize).
        pageSize(REPORT_RECEIVERS_PAGE_SIZE, 50),
      ],
      ok("The receivers.", arr("Receivers", "The receivers.", ref("Receiver"))),
    ),
  },
  "/forms": {
    // No parameters (MindCloud list-forms.md); a group's forms are GET groups/{id}/forms upstream. Forms are marked deprecated there.
    get: op(
      "ListForms",
      "Forms",
      "List forms",
      "Lists the sign-up forms; double opt-in mails are sent through a form. CleverReach marks forms as deprecated.",
      [],
      ok("The forms.", arr("Forms", "The forms.", ref("Form"))),
    ),
  },
  "/forms/{form_id}": {
    // CleverReach's integration core reads one form here (Form/Http/Proxy::getForm, "forms.json/$formId").
    get: op("GetForm", "Forms", "Get form", "Returns one sign-up form: its id, name and group.", [formId()], ok("The form.", ref("Form"))),
  },
  "/forms/{group_id}/createfromtemplate/{template}": {
    // Integration core Form/Http/Proxy::createForm: POST "forms.json/$groupId/createfromtemplate/$type" with
    // {name, title}; it reads only `id` from the answer and takes an empty one as failure. Its
    // CreateDefaultFormTask creates each group's form from the "default" template.
    post: op(
      "CreateFormFromTemplate",
      "Forms",
      "Create form from template",
      "Creates a sign-up form in a group from one of CleverReach's templates (default: CleverReach's standard form with its double opt-in mail) and returns its id.",
      [
        groupId(),
        pathParam("template", "Template", "The template to start from.", { enum: ["default"], default: "default" }),
        bodyParam("Form", "The new form's name and title.", ref("FormInput")),
      ],
      ok("The new form's id.", ref("FormCreated")),
    ),
  },
  "/forms/{form_id}/send/activate": {
    post: op(
      "SendDoubleOptInMail",
      "Forms",
      "Send double opt-in mail",
      "Sends the form's confirmation mail to a receiver; the receiver becomes active once they click the link.",
      [formId(), bodyParam("Request", "The receiver and consent data.", ref("DoubleOptIn"))],
      ok("Sent.", ref("Success")),
    ),
  },
  "/forms/{form_id}/send/deactivate": {
    post: op(
      "SendDoubleOptOutMail",
      "Forms",
      "Send unsubscribe confirmation mail",
      "Sends the form's sign-off mail to a receiver; the receiver becomes inactive once they click the link.",
      [formId(), bodyParam("Request", "The receiver and consent data.", ref("DoubleOptIn"))],
      ok("Sent.", ref("Success")),
    ),
  },
  "/blacklist": {
    get: op(
      "ListBlacklist",
      "Blacklist",
      "List blacklist",
      "Lists the addresses CleverReach never sends to.",
      [],
      ok("The entries.", arr("Entries", "The entries.", ref("BlacklistEntry"))),
    ),
    post: op(
      "AddToBlacklist",
      "Blacklist",
      "Add to blacklist",
      "Blocks an address account-wide: CleverReach will never send to it.",
      [bodyParam("Entry", "The address to block.", ref("BlacklistInput"))],
      ok("The entry.", ref("BlacklistEntry")),
    ),
  },
  "/blacklist/{email}": {
    delete: op("RemoveFromBlacklist", "Blacklist", "Remove from blacklist", "Unblocks an address. It does not re-activate receivers.", [emailPath], done),
  },
};

function formId(): ParameterObject {
  return pathParam("form_id", "Form", "The sign-up form whose mail is sent.", {
    type: "integer",
    format: "int64",
    "x-ms-dynamic-values": { operationId: "ListForms", "value-path": "id", "value-title": "name" },
  });
}
