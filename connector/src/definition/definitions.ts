import { arr, bool, dictionary, int, num, obj, ref, str, unixTime, type SchemaObject } from "./dsl";

/** CleverReach allows at most this many receivers in one upsert call (Apteco CleverReach plugin). */
export const UPSERT_BATCH_LIMIT = 1000;
/** Largest page CleverReach serves when reading a group's receivers (CleverReach PHP SDK). */
export const MAX_PAGE_SIZE = 5000;
/** Page size a published client reads report receivers with (Apteco, defaultsettings.ps1); nothing larger is known to work. */
export const REPORT_RECEIVERS_PAGE_SIZE = 500;

const ATTRIBUTE_TYPES = ["text", "number", "gender", "date"];

// Ids in real answers are text: `"mailing_id": "0"`, `"groups_id": "240803"` (integration core
// fixture recipientInfo.json); the event types are those of Apteco's samples (get-response.ps1).
const event = obj("Event", "Something that happened to the receiver (a mailing sent, opened or clicked, a bounce, an unsubscribe, an API change).", {
  stamp: unixTime("Time", "When it happened."),
  type: str("Type", "Kind of event: mail_send, mail_open, mail_click, mail_bounce, user_unsubscribe, api, …"),
  type_id: str(
    "Type ID",
    "What the event refers to: the mailing, the clicked link's id, the bounce kind (e.g. hardbounce) or the API call (e.g. REST insert).",
    { visibility: "advanced" },
  ),
  value: str("Value", "Extra information, e.g. the IP address or the bounce message.", { visibility: "advanced" }),
  mailing_id: str("Mailing ID", 'The mailing the event belongs to (text; "0" when none).', { visibility: "advanced" }),
  groups_id: str("Group ID", 'The receiver group the event belongs to (text; "0" when none).', { visibility: "advanced" }),
});

// The order line as CleverReach's integration core writes it (Proxy::getOrderFormattedForRequest).
const orderFields = {
  order_id: str("Order ID", "The shop's order number."),
  product_id: str("Product ID", "The product's id or SKU."),
  product: str("Product", "The product's name."),
  price: num("Price", "Price of one item."),
  currency: str("Currency", "Currency code, e.g. EUR.", { visibility: "advanced" }),
  quantity: int("Quantity", "How many items were bought."),
  product_source: str("Product Source", "Where the product comes from, e.g. the shop's name.", { visibility: "advanced" }),
  brand: str("Brand", "The product's brand.", { visibility: "advanced" }),
  product_category: str("Product Category", "The product's categories, separated by commas.", { visibility: "advanced" }),
  mailing_id: str("Mailing ID", "The mailing that led to the order, when known.", { visibility: "advanced" }),
  stamp: unixTime("Order Time", "When the order was placed.", { visibility: "advanced" }),
};

const order = obj("Order", "A purchase recorded for the receiver.", orderFields);
const orderInput = obj("Order", "A purchase to record for the receiver.", orderFields, { required: ["order_id"], closed: true });

const receiverWritable = {
  registered: unixTime("Registered", "When the person signed up. Give it for new receivers."),
  // The activation rules are CleverReach's own (integration core, Proxy::prepareRecipientsForApiCall
  // and RecipientSyncTask::makeRecipients): activated 0 deactivates, activated > 0 re-activates only
  // a receiver not deactivated within CleverReach, and a deactivated time is final for integrations.
  activated: unixTime(
    "Activated",
    "When the person confirmed (double opt-in). A time activates the receiver without a confirmation mail, but never one that carries a deactivated time (unsubscribed in CleverReach). Leave it out to keep the current state.",
    { visibility: "advanced", zero: "0 makes the receiver inactive." },
  ),
  deactivated: unixTime(
    "Deactivated",
    "When the person unsubscribed. A time deactivates the receiver for good: once it carries a deactivated time, no integration can activate it again. Leave it out to keep the current state.",
    { visibility: "advanced", zero: "0 does not re-activate." },
  ),
  source: str("Source", 'Where the receiver came from, e.g. "Dynamics 365".', { visibility: "advanced" }),
  attributes: dictionary("Group Attributes", "Values of this group's own attributes, keyed by attribute name."),
  global_attributes: dictionary("Global Attributes", "Values of the account-wide attributes (e.g. firstname, lastname), keyed by attribute name."),
  tags: arr("Tags", "Tags to put on the receiver.", str("Tag", "One tag."), {}),
  orders: arr("Orders", "Purchases to record for the receiver.", orderInput),
};
receiverWritable.tags["x-ms-visibility"] = "advanced";
receiverWritable.orders["x-ms-visibility"] = "advanced";

export const definitions: Record<string, SchemaObject> = {
  Error: obj("Error", "Why CleverReach refused the request.", {
    error: obj("Error", "The error.", {
      code: int("Code", "HTTP status code."),
      message: str("Message", "What went wrong."),
    }),
  }),
  // Integration core fixture getUserInfo.json: `"id": "129148"` (text) and no `lang`.
  Identity: obj("Account", "The CleverReach account the connection signs in to.", {
    id: str("Client ID", "CleverReach customer (client) number, as text."),
    name: str("Last Name", "Account holder's last name."),
    firstname: str("First Name", "Account holder's first name."),
    salutation: str("Salutation", "Account holder's salutation.", { visibility: "advanced" }),
    company: str("Company", "Company of the account."),
    street: str("Street", "Street address.", { visibility: "advanced" }),
    zip: str("Postcode", "Postcode.", { visibility: "advanced" }),
    city: str("City", "City.", { visibility: "advanced" }),
    country: str("Country", "Country.", { visibility: "advanced" }),
    phone: str("Phone", "Phone number.", { visibility: "advanced" }),
    fax: str("Fax", "Fax number.", { visibility: "advanced" }),
    email: str("Email", "Account e-mail address."),
    login_domain: str("Login Domain", "Domain the account logs in at.", { visibility: "advanced" }),
    whitelabel_id: str("White Label ID", "White-label partner id, if any (not in every answer).", { visibility: "advanced" }),
    lang: str("Language", "Account language (not in every answer).", { visibility: "advanced" }),
  }),
  TokenTtl: obj("Token Lifetime", "How long the connection's access token stays valid.", {
    ttl: int("Seconds Left", "Seconds until the access token expires."),
  }),
  // Fixtures getAllGroups.json and createGroup.json: `"id": "1363537"` (text), stamps as numbers.
  Group: obj("Group", "A CleverReach receiver group (list).", {
    id: str("Group ID", 'The group\'s id, as text (e.g. "1363537").'),
    name: str("Group Name", "The group's name."),
    receiver_info: str("Description", "The group's description (receiver info)."),
    locked: bool("Locked", "Whether the group is locked (protected against deletion and changes)."),
    backup: bool("Backup", "Whether CleverReach keeps a backup of the group.", { visibility: "advanced" }),
    stamp: unixTime("Created", "When the group was created.", { visibility: "advanced" }),
    last_mailing: unixTime("Last Mailing", "When the group last received a mailing.", { visibility: "advanced" }),
    last_changed: unixTime("Last Changed", "When the group last changed.", { visibility: "advanced" }),
  }),
  GroupInput: obj(
    "Group",
    "Name and settings of a group.",
    {
      name: str("Group Name", "Name of the group.", { minLength: 1 }),
      receiver_info: str("Description", "Description of the group (receiver info)."),
      locked: bool("Locked", "Protect the group against deletion and changes.", { visibility: "advanced" }),
      backup: bool("Backup", "Keep a backup of the group.", { visibility: "advanced" }),
    },
    { required: ["name"], closed: true },
  ),
  // Only the path of PUT groups/{id} has a source (clever_reach api_coverage.md); none shows that a
  // partial body is accepted, so the whole group is required: what Get group answered, changed.
  GroupUpdate: obj(
    "Group",
    "The whole group as it should be: read it first (Get group or List groups) and change what you need.",
    {
      name: str("Group Name", "Name of the group.", { minLength: 1 }),
      receiver_info: str("Description", "Description of the group (receiver info)."),
      locked: bool("Locked", "Protect the group against deletion and changes."),
      backup: bool("Backup", "Keep a backup of the group."),
    },
    { required: ["name", "receiver_info", "locked", "backup"], closed: true },
  ),
  GroupStats: obj("Group Statistics", "Receiver counts of a group (CleverReach caches these for a while).", {
    total_count: int("Total Receivers", "All receivers in the group."),
    active_count: int("Active Receivers", "Receivers who get mailings."),
    inactive_count: int("Inactive Receivers", "Receivers who are not (or no longer) active."),
    bounce_count: int("Bounced Receivers", "Receivers whose address bounced."),
    order_count: int("Orders", "Orders recorded for the group's receivers.", { visibility: "advanced" }),
    avg_points: num("Average Points", "Average engagement points.", { visibility: "advanced" }),
    quality: num("Quality", "Average receiver quality (stars).", { visibility: "advanced" }),
    time: unixTime("Calculated", "When the statistics were calculated.", { visibility: "advanced" }),
  }),
  // Fixtures recipientInfo.json and recipientsMassUpdate.json: `"id": "4285"`, `"group_id": "240803"` (text).
  Receiver: obj("Receiver", "A person in a CleverReach group.", {
    id: str("Receiver ID", "The receiver's id, as text."),
    email: str("Email", "The receiver's e-mail address."),
    group_id: str("Group ID", "The group the receiver belongs to, as text."),
    active: bool("Active", "True when the receiver gets mailings (activated and not deactivated)."),
    registered: unixTime("Registered", "When the person signed up."),
    activated: unixTime("Activated", "When the person was activated."),
    deactivated: unixTime("Deactivated", "When the person unsubscribed or was deactivated."),
    bounced: unixTime("Bounced", "When the address last bounced.", { visibility: "advanced" }),
    imported: unixTime("Imported", "When the receiver was imported.", { visibility: "advanced" }),
    source: str("Source", "Where the receiver came from.", { visibility: "advanced" }),
    points: int("Points", "Engagement points.", { visibility: "advanced" }),
    stars: int("Stars", "Receiver quality (0–5 stars).", { visibility: "advanced" }),
    last_ip: str("Last IP", "IP address of the last interaction.", { visibility: "advanced" }),
    last_location: str("Last Location", "Location of the last interaction.", { visibility: "advanced" }),
    last_client: str("Last Client", "Mail client of the last interaction.", { visibility: "advanced" }),
    conversion_rate: num("Conversion Rate", "Share of mailings that led to an order.", { visibility: "advanced" }),
    open_rate: num("Open Rate", "Share of mailings opened.", { visibility: "advanced" }),
    click_rate: num("Click Rate", "Share of mailings clicked.", { visibility: "advanced" }),
    attributes: dictionary("Group Attributes", "Values of the group's own attributes, keyed by attribute name."),
    global_attributes: dictionary("Global Attributes", "Values of the account-wide attributes, keyed by attribute name."),
    tags: arr("Tags", "The receiver's tags (in lists with detail 4; always for a single receiver).", str("Tag", "One tag.")),
    events: arr("Events", "What happened to the receiver, the last 250 events (in lists with detail 1; always for a single receiver).", event),
    orders: arr("Orders", "The receiver's purchases (in lists with detail 2; always for a single receiver).", order),
  }),
  ReceiverInput: obj(
    "Receiver",
    "A receiver to insert or update, matched by e-mail address. Fields left out keep their current value.",
    { email: str("Email", "The receiver's e-mail address (the match key).", { minLength: 3 }), ...receiverWritable },
    { required: ["email"], closed: true },
  ),
  // The fields rdoepner/cleverreach sends with PUT groups.json/{g}/receivers/{email}; an e-mail change
  // has its own call upstream (PUT receivers/{id}/email), and no source shows activation fields here.
  ReceiverUpdate: obj(
    "Receiver Changes",
    "The receiver fields to change; anything left out stays as it is.",
    {
      source: receiverWritable.source,
      attributes: receiverWritable.attributes,
      global_attributes: receiverWritable.global_attributes,
      tags: receiverWritable.tags,
    },
    { closed: true },
  ),
  Event: event,
  Order: order,
  // Fixture getAllGlobalAttributes.json: `{"id": 1111700, "groups_id": 0, "name", "description", "preview_value", "value", "type", "tag"}` (numbers here).
  Attribute: obj("Attribute", "A receiver attribute (a field such as first name).", {
    id: int("Attribute ID", "The attribute's id."),
    name: str("Name", "Technical name, used as the key in receiver attributes."),
    description: str("Label", "The label shown in CleverReach."),
    type: str("Type", "Data type.", { enum: ATTRIBUTE_TYPES }),
    groups_id: int("Group ID", "0 for a global attribute, else the group it belongs to."),
    tag: str("Placeholder", "The placeholder that puts the value into a mailing, e.g. {FIRSTNAME}.", { visibility: "advanced" }),
    preview_value: str("Preview Value", "Value shown in mailing previews.", { visibility: "advanced" }),
    default_value: str("Default Value", "Value used when a receiver has none.", { visibility: "advanced" }),
  }),
  AttributeInput: obj(
    "Attribute",
    "The attribute to create.",
    {
      name: str("Name", "Technical name (letters, digits, underscore).", { minLength: 1 }),
      type: str("Type", "Data type.", { enum: ATTRIBUTE_TYPES, default: "text" }),
      description: str("Label", "The label shown in CleverReach."),
      preview_value: str("Preview Value", "Value shown in mailing previews.", { visibility: "advanced" }),
      default_value: str("Default Value", "Value used when a receiver has none.", { visibility: "advanced" }),
    },
    { required: ["name", "type"], closed: true },
  ),
  // go-cleverreach entities.go, the "mailings.json/<id> call": `ID string`, times as numbers, no state.
  Mailing: obj("Mailing", "A newsletter mailing.", {
    id: str("Mailing ID", "The mailing's id, as text."),
    name: str("Name", "Internal name of the mailing."),
    subject: str("Subject", "Subject line."),
    sender_name: str("Sender Name", "Name the mailing is sent from."),
    sender_email: str("Sender Email", "Address the mailing is sent from."),
    stamp: unixTime("Created", "When the mailing was created.", { visibility: "advanced" }),
    last_changed: unixTime("Last Changed", "When the mailing last changed.", { visibility: "advanced" }),
    started: unixTime("Sent", "When sending started.", { visibility: "advanced" }),
    finished: unixTime("Finished", "When sending finished.", { visibility: "advanced" }),
  }),
  MailingList: obj("Mailings", "Mailings grouped by state.", {
    draft: arr("Drafts", "Mailings not yet sent.", ref("Mailing")),
    waiting: arr("Scheduled", "Mailings waiting to be sent.", ref("Mailing")),
    running: arr("Sending", "Mailings being sent now.", ref("Mailing")),
    finished: arr("Sent", "Mailings that were sent.", ref("Mailing")),
  }),
  // A report is the sent mailing under its id; fields as the mailing's (go-cleverreach), Apteco reads
  // id, name and finished. Unverified beyond that: no group field is known (filter with group_id).
  Report: obj("Report", "The report of a sent mailing.", {
    id: str("Report ID", "The report's id (the sent mailing's id), as text."),
    name: str("Name", "Name of the mailing."),
    subject: str("Subject", "Subject line."),
    started: unixTime("Sent", "When sending started."),
    finished: unixTime("Finished", "When sending finished.", { visibility: "advanced" }),
  }),
  // Fields of the integration core's Form DTO; their types are not shown anywhere, so text like the other ids.
  Form: obj("Form", "A CleverReach sign-up form; its double opt-in mails are sent through it.", {
    id: str("Form ID", "The form's id, as text."),
    name: str("Name", "The form's name."),
    customer_tables_id: str("Group ID", "The group the form belongs to, as text."),
  }),
  // The integration core sends exactly {name, title} (CreateDefaultFormTask) and reads only `id` back (Form/Http/Proxy::createForm).
  FormInput: obj(
    "New Form",
    "The name and title of a form created from a template.",
    {
      name: str("Name", "The form's name, as CleverReach lists it.", { minLength: 1 }),
      title: str("Title", "The form's title.", { minLength: 1 }),
    },
    { required: ["name", "title"], closed: true },
  ),
  FormCreated: obj("Created Form", "The form CleverReach created.", { id: str("Form ID", "The new form's id, as text; empty when nothing was created.") }),
  DoubleOptIn: obj(
    "Double Opt-In Request",
    "The person to send the form's confirmation (or sign-off) mail to.",
    {
      email: str("Email", "The receiver's e-mail address.", { minLength: 3 }),
      groups_id: int("Group ID", "The group of the receiver; by default the form's group.", { visibility: "advanced" }),
      doidata: obj(
        "Consent Data",
        "Where and how the person asked; CleverReach keeps this as proof of consent.",
        {
          user_ip: str("IP Address", "IP address the request came from."),
          referer: str("Page", "Page the person signed up on."),
          user_agent: str("Browser", "Browser (user agent) of the person."),
        },
        { closed: true, visibility: "advanced" },
      ),
    },
    { required: ["email"], closed: true },
  ),
  // baorv/cleverreach's live test: an entry has email, comment, stamp, isLocked.
  BlacklistEntry: obj("Blacklist Entry", "An address CleverReach never sends to.", {
    email: str("Email", "The blocked address or pattern."),
    comment: str("Comment", "Why it is blocked."),
    stamp: unixTime("Added", "When it was added."),
    isLocked: bool("Locked", "Whether the entry is locked against removal.", { visibility: "advanced" }),
  }),
  BlacklistInput: obj(
    "Blacklist Entry",
    "The address to block.",
    {
      email: str("Email", "The address to block.", { minLength: 3 }),
      comment: str("Comment", "Why it is blocked."),
    },
    { required: ["email"], closed: true },
  ),
  Success: obj("Result", "Whether CleverReach accepted the request.", {
    success: bool("Success", "True when CleverReach accepted the request."),
  }),
};

export const upsertBatch = arr("Receivers", `Receivers to insert or update, at most ${UPSERT_BATCH_LIMIT} per call.`, ref("ReceiverInput"), {
  minItems: 1,
  maxItems: UPSERT_BATCH_LIMIT,
});
