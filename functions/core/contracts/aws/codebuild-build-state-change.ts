import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** One phase of a CodeBuild build as reported in its state-change event. */
export const codeBuildPhase = z.object({
  "phase-type": z.string(),
  "phase-status": z.string().optional(),
  "phase-context": z.array(z.string()).optional(),
  "start-time": z.string().optional(),
  "end-time": z.string().optional(),
  "duration-in-seconds": z.number().optional(),
});

/** Detail of CodeBuild's `CodeBuild Build State Change` event. */
export const codeBuildBuildStateChangeDetail = z.object({
  "build-status": z.enum(["IN_PROGRESS", "SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT"]),
  "project-name": z.string().min(1),
  "build-id": z.string().min(1),
  "current-phase": z.string().optional(),
  "current-phase-context": z.string().optional(),
  version: z.string().optional(),
  "additional-information": z
    .object({
      "build-number": z.number().optional(),
      "build-start-time": z.string().optional(),
      initiator: z.string().optional(),
      "source-version": z.string().optional(),
      environment: z
        .object({
          "environment-variables": z
            .array(z.object({ name: z.string(), type: z.string().optional(), value: z.string() }))
            .default([]),
        })
        .loose()
        .optional(),
      logs: z
        .object({
          "group-name": z.string().optional(),
          "stream-name": z.string().optional(),
          "deep-link": z.string().optional(),
        })
        .optional(),
      phases: z.array(codeBuildPhase).default([]),
      /** The variables the buildspec's `exported-variables` name, with their values at the build's end. */
      "exported-environment-variables": z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    })
    .loose(),
});

/** `aws.codebuild` / `CodeBuild Build State Change`. */
export const codeBuildBuildStateChangeEvent = envelopeOf(codeBuildBuildStateChangeDetail).extend({
  source: z.literal("aws.codebuild"),
  "detail-type": z.literal("CodeBuild Build State Change"),
});

/** A `CodeBuild Build State Change` event. */
export type CodeBuildBuildStateChangeEvent = z.infer<typeof codeBuildBuildStateChangeEvent>;
