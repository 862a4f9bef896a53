import { LIMITS } from "../lint/limits";

/**
 * Limits Power Automate enforces while a flow runs, which no static check can see because they
 * depend on the data. The simulator fails the run where the platform would, in the platform's words
 * where a real run's words are known, else in the words of the page that states the limit.
 *
 * Sources (all read in their stored versions):
 * - LIMITS_PAGE: MicrosoftDocs/power-automate-docs `articles/limits-and-config.md` (ms.date 02/11/2025).
 * - LIST_ROWS_PAGE: MicrosoftDocs/power-automate-docs `articles/dataverse/list-rows.md` (ms.date 04/01/2025).
 */
export const RUN_LIMITS = {
  /**
   * LIMITS_PAGE, "Character limits": "Expression evaluation limit | 131,072 characters | The
   * `@concat()`, `@base64()`, and `@string()` expressions can't be longer than this limit." The
   * same limit is on the Logic Apps limits page, and MicrosoftDocs/azure-docs#55575 asked which other
   * functions it covers without an answer; until a source says otherwise, `join()` and `@{…}`
   * interpolation (both build one string from many) are held to it too.
   */
  expressionResultCharacters: 131_072,
  /**
   * Functions whose result is held to `expressionResultCharacters`: the three the page names, and
   * join (see above). Interpolation is checked where templates are evaluated.
   */
  lengthLimitedFunctions: ["concat", "string", "base64", "join"] as readonly string[],
  /**
   * An array variable holds at most 100,000 items: real runs fail with "The number of array items
   * in variable 'ActualFlowActionDetails' reached the limit: maximum '100000' and actual '100000'."
   * (microsoft/coe-starter-kit#8761 and #10947, microsoft/powerapps-tools#1287).
   */
  variableItems: 100_000,
  /**
   * A variable holds at most 104,857,600 bytes: "The variable 'responseArray' has size of more than
   * '113213046' bytes. This exceeded the maximum size '104857600' allowed."
   * (pugliathomas/powerbiscannermetadata#19, the same text for a string variable in #7).
   */
  variableBytes: 104_857_600,
  /**
   * LIMITS_PAGE, "Concurrency, looping, and debatching limits": "Apply to each array item | 5,000
   * for Low, 100,000 for all others". Our flows run as child flows or under a premium owner
   * (custom connector), so the Medium/High figure applies; a Low owner would be stricter still.
   */
  foreachItems: 100_000,
  /**
   * LIMITS_PAGE: "Paginated items | 5,000 for Low, 100,000 for all others"; LIST_ROWS_PAGE: "The
   * maximum configurable threshold is 100,000", and "When pagination is set and the amount of rows
   * exceeds that number of the threshold configured, the response won't include the
   * @odata.nextLink parameter" (so the flow cannot tell that rows were cut off), and "this number
   * is rounded off in increments of the default page size".
   */
  paginatedItems: LIMITS.paginationItems,
  /**
   * LIMITS_PAGE, "Until iterations | Default: 60"; the timeout default of one hour is the Logic Apps
   * workflow definition language's (`limit.timeout`, "PT1H"), and a Microsoft Learn training module
   * on flow error handling says "The Do Until loop has a default of 60 loops or 1 hour of execution.
   * If it exceeds these, it exits the loop without error."
   */
  untilDefaultCount: 60,
  untilDefaultTimeout: "PT1H",
  /**
   * LIMITS_PAGE, "Character limits": "Request URL character limit | 16,384 characters". A List rows
   * with FetchXML carries the whole query in the URL (`?fetchXml=`, URL-encoded), so a long `in`
   * condition or paging cookie counts against it.
   */
  requestUrlCharacters: 16_384,
} as const;

/** A number of calls allowed per sliding window, and where the figure comes from. */
export interface CallRate {
  calls: number;
  windowMs: number;
  source: string;
}

/**
 * LIMITS_PAGE, "Custom connector limits": "Number of requests per minute for a custom connector |
 * 500 requests per minute per connection". A connection reference whose `api` carries a
 * `logicalName` is a custom connector's (real exports: microsoft/powercat-business-approvals-kit
 * `BACoreChildGetUserMailboxSettings-…json`; the Microsoft connectors carry only `name`).
 */
export const CUSTOM_CONNECTOR_RATE: CallRate = { calls: 500, windowMs: 60_000, source: "limits-and-config.md, Custom connector limits" };

/**
 * learn.microsoft.com/connectors/commondataserviceforapps, "Throttling limits", also quoted by the
 * Microsoft Learn module on flow error handling: "the Common Data Service (current environment)
 * permits only 6,000 API calls per connection every 300 seconds."
 */
export const DATAVERSE_CONNECTOR_RATE: CallRate = { calls: 6000, windowMs: 300_000, source: "Dataverse connector reference, Throttling limits" };

/**
 * What the gateway answers when a connection is over its rate: 429 with "Rate limit is exceeded.
 * Try again in N seconds." (run histories quoted in microsoft/coe-starter-kit#6037 and
 * microsoft/powerapps-tools#196), which the action's retry policy then waits out.
 */
export const rateLimitMessage = (seconds: number): string => `Rate limit is exceeded. Try again in ${seconds} seconds.`;

/** The error texts, in one place so that tests and the engine agree. */
export const LIMIT_MESSAGES = {
  expressionResult: (what: string, length: number): string =>
    `${what} has ${length} characters; the expression evaluation limit is ${RUN_LIMITS.expressionResultCharacters} characters ("The @concat(), @base64(), and @string() expressions can't be longer than this limit").`,
  variableItems: (name: string, actual: number): string =>
    `The number of array items in variable '${name}' reached the limit: maximum '${RUN_LIMITS.variableItems}' and actual '${actual}'.`,
  variableBytes: (name: string, bytes: number): string =>
    `The variable '${name}' has size of more than '${bytes}' bytes. This exceeded the maximum size '${RUN_LIMITS.variableBytes}' allowed.`,
  // No run history with this failure was found; the words are the limits page's.
  foreachItems: (name: string, items: number): string =>
    `The 'foreach' of '${name}' has ${items} items; an Apply to each processes at most ${RUN_LIMITS.foreachItems} array items ("Apply to each array item: 5,000 for Low, 100,000 for all others").`,
  requestUrl: (length: number): string =>
    `The request URL has ${length} characters; the request URL character limit is ${RUN_LIMITS.requestUrlCharacters} characters.`,
  paginationThreshold: (threshold: number): string =>
    `The pagination threshold ${threshold} is above the maximum configurable threshold of ${RUN_LIMITS.paginatedItems}.`,
} as const;
