import type * as z from "zod";
import { type DetailTypeName, SHIPLINE_SOURCE } from "../../core/contracts/detail-type.js";
import type { DetailOf } from "../../core/contracts/event-catalog.js";
import { type EventEnvelope, eventEnvelope } from "../../core/contracts/event-envelope.js";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { parseDetail } from "../../core/contracts/parse-detail.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/**
 * A delivered Shipline event whose detail passed its contract. With several detail types it is a
 * union that narrows on `event["detail-type"]`.
 */
export type ShiplineEvent<T extends DetailTypeName> = {
  [K in T]: Omit<EventEnvelope, "detail-type" | "detail"> & {
    readonly "detail-type": K;
    readonly detail: DetailOf<K>;
  };
}[T];

/** What a step is triggered by, and how its raw event is checked. */
export interface StepInput<E> {
  /** `shipline` for Shipline's own events, `aws` for an AWS service's event or request. */
  readonly kind: "shipline" | "aws";
  /** The accepted events, for messages: e.g. `'Commit Pushed'`. */
  readonly accepts: string;
  /** Parses the raw event; throws a permanent `EVENT_INVALID` naming every bad field. */
  parse(raw: unknown): E;
  /**
   * Why a raw event, though it reached the step, does not concern Shipline (see
   * `unconcernedAwsEventReason`): the step then leaves it alone and logs the reason.
   */
  unconcerned?(raw: unknown): string | undefined;
}

/**
 * The input of a step triggered by Shipline events of the given detail types: the envelope is
 * checked, the source must be `shipline` and the detail must follow its contract.
 *
 * @example
 * ```ts
 * const input = shiplineInput(DetailType.ImageApproved, DetailType.DeploymentVerified);
 * ```
 */
export function shiplineInput<const T extends DetailTypeName>(
  ...detailTypes: T[]
): StepInput<ShiplineEvent<T>> {
  const accepts = detailTypes.map((detailType) => `'${detailType}'`).join(" or ");
  const isAccepted = (value: string): value is T => detailTypes.some((detailType) => detailType === value);
  return {
    kind: "shipline",
    accepts,
    parse(raw) {
      const envelope = parseEnvelope(raw);
      const detailType = envelope["detail-type"];
      if (envelope.source !== SHIPLINE_SOURCE || !isAccepted(detailType)) {
        throw new ShiplineError({
          code: "EVENT_INVALID",
          message: `expected a ${accepts} event from source '${SHIPLINE_SOURCE}', got '${detailType}' from '${envelope.source}'; check the event pattern of the rule that targets this step`,
          data: { detailType, source: envelope.source, accepts: detailTypes },
          retryable: false,
        });
      }
      const detail = parseDetail(detailType, envelope.detail);
      // The detail was parsed by the contract of this very detail type; TypeScript cannot
      // correlate the two members of a union on its own.
      return { ...envelope, "detail-type": detailType, detail } as ShiplineEvent<T>;
    },
  };
}

/** Options of {@link awsInput} beyond the schema. */
export interface AwsInputOptions {
  /** Tells an event that does not concern Shipline, with the reason (see {@link StepInput.unconcerned}). */
  readonly unconcerned?: (raw: unknown) => string | undefined;
}

/**
 * The input of a step triggered by an AWS event (or a Function URL request): the given schema,
 * e.g. `ecrImageActionEvent` or a union of event schemas, checks the whole event. With `unconcerned`,
 * an event it names is left alone before the schema is applied.
 *
 * @example
 * ```ts
 * const input = awsInput(z.union([ecrImageScanEvent, inspector2ScanEvent]), "a scan", { unconcerned: unconcernedAwsEventReason });
 * ```
 */
export function awsInput<S extends z.ZodType>(
  schema: S,
  accepts = "AWS",
  options: AwsInputOptions = {},
): StepInput<z.output<S>> {
  return {
    kind: "aws",
    accepts,
    ...(options.unconcerned === undefined ? {} : { unconcerned: options.unconcerned }),
    parse(raw) {
      const result = schema.safeParse(raw);
      if (!result.success) {
        const problems = formatIssues(result.error.issues);
        throw new ShiplineError({
          code: "EVENT_INVALID",
          message: `${accepts} event does not match its schema: ${problems.join("; ")}`,
          data: { accepts, problems },
          retryable: false,
        });
      }
      return result.data;
    },
  };
}

function parseEnvelope(raw: unknown): EventEnvelope {
  const result = eventEnvelope.safeParse(raw);
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `not an EventBridge event: ${problems.join("; ")}`,
      data: { problems },
      retryable: false,
    });
  }
  return result.data;
}
