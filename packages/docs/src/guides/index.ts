// The generated guides, one module per guide (see README.md in this folder).
export { clientWorkflow } from "./client-workflow.js";
export { errorCatalogue, errorRows, NO_FAULT_KEY } from "./errors.js";
export { gettingStarted, mockServerUrl, scenarioAnswers } from "./getting-started.js";
export { microversionGuide, segments, VERSION_FORMAT_EXAMPLE } from "./microversions.js";
