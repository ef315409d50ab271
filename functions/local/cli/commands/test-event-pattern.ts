import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { INVALID_EVENT_PATTERN } from "../../../core/event-pattern/invalid-pattern.js";
import { testEventPattern } from "../../../core/event-pattern/test-event-pattern.js";
import { parseFlags, readJsonArgument, requireFlag } from "../../bus/cli-arguments.js";
import type { Command } from "../command.js";

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
  usage: "shipline test-event-pattern --event-pattern <json|file://path> --event <json|file://path>",
  async run(args, io) {
    const { values } = parseFlags(args, {
      "event-pattern": { type: "string" },
      event: { type: "string" },
    });
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
    io.stdout.write(`${JSON.stringify({ Result: result }, null, 4)}\n`);
    return 0;
  },
};
