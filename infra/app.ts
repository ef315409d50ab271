import { createAppFromContext } from "./create-app.js";

// Entry point of `cdk synth` / `cdk deploy` (cdk.json): deploys the configuration named by the
// `shipline:configFile` context. Findings of cdk-nag fail the synthesis.
const { app } = await createAppFromContext();
app.synth();
