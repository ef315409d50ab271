import { createApp } from "./create-app.js";

// Entry point of `cdk synth` / `cdk deploy` (cdk.json). Findings of cdk-nag fail the synthesis.
createApp().app.synth();
