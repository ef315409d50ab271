/** The warning the AWS SDK emits on Node.js releases it will stop supporting (`NodeVersionSupportWarning`). */
const SDK_NODE_VERSION_WARNING = /^NodeVersionSupportWarning\b/;

/**
 * Keeps the AWS SDK's Node.js version warning out of the CLI's output (a notice about the SDK's
 * future releases, which says nothing about the command run), and lets every other process warning
 * through to Node's own printing.
 *
 * @example
 * ```ts
 * quietSdkNodeVersionWarning(process);
 * ```
 */
export function quietSdkNodeVersionWarning(
  target: Pick<NodeJS.EventEmitter, "listeners" | "removeAllListeners" | "on">,
): void {
  const listeners = target.listeners("warning");
  target.removeAllListeners("warning");
  target.on("warning", (warning: Error) => {
    if (SDK_NODE_VERSION_WARNING.test(warning.message) || SDK_NODE_VERSION_WARNING.test(warning.name)) return;
    for (const listener of listeners) listener(warning);
  });
}
