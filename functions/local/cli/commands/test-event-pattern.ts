import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { INVALID_EVENT_PATTERN } from "../../../core/event-pattern/invalid-pattern.js";
import { testEventPattern } from "../../../core/event-pattern/test-event-pattern.js";
import { parseFlags, readJsonArgument, requireFlag } from "../../bus/cli-arguments.js";
import type { Command } from "../command.js";
import { OUTPUT_FLAGS, outputFormatOf, outputOptions, renderDocuments } from "../output-format.js";

/**
 * `shipline test-event-pattern`: the local mirror of `aws events test-event-pattern`. Prints
 * `{"Result": true|false}` and exits 0, or prints EventBridge's InvalidEventPatternException reason
 * and exits 2.
 *
 * @example
 * ```sh
 * shipline test-event-pattern --event-pattern '{"source":["aws.ecr"]}' --event file://event.json
 * ```
 */
export const testEventPatternCommand: Command = {
  name: "test-event-pattern",
  summary: "Tell whether an event matches an EventBridge event pattern",
  usage:
    "shipline test-event-pattern --event-pattern <json|file://path> --event <json|file://path> [-o json|yaml]",
  options: [
    { flag: "--event-pattern JSON", text: "the pattern, as JSON text or file://path" },
    { flag: "--event JSON", text: "the event, as JSON text or file://path" },
    ...outputOptions(["json", "yaml"]),
  ],
  details: "Exit codes: 0 tested (whatever the result), 2 bad usage or an invalid pattern.",
  async run(args, io) {
    const { values } = parseFlags(args, {
      ...OUTPUT_FLAGS,
      "event-pattern": { type: "string" },
      event: { type: "string" },
    });
    const format = outputFormatOf(values, ["json", "yaml"]);
    const pattern = await readJsonArgument(
      "--event-pattern",
      requireFlag(values["event-pattern"], "--event-pattern"),
      io.cwd,
    );
    const event = await readJsonArgument("--event", requireFlag(values.event, "--event"), io.cwd);
    let result: boolean;
    try {
      result = testEventPattern(pattern, event);
    } catch (error) {
      if (error instanceof ShiplineError && error.code === INVALID_EVENT_PATTERN) {
        io.stderr.write(
          `An error occurred (InvalidEventPatternException) when calling the TestEventPattern operation: ${error.message}\n`,
        );
        return 2;
      }
      throw error;
    }
    io.stdout.write(
      await renderDocuments(format === "yaml" ? "yaml" : "json", [{ Result: result }], { indent: 4 }),
    );
    return 0;
  },
};
