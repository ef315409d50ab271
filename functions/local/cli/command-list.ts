import type { Command } from "./command.js";

/** Every `shipline` sub-command; each lives in its own file under `commands/`. */
export const COMMANDS: readonly Command[] = [];
