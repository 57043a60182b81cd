// The generated guides, one module per guide (see README.md in this folder).
export { errorCatalogue, errorRows } from "./errors.js";
export { gettingStarted, mockServerUrl, scenarioAnswers } from "./getting-started.js";
export { microversionGuide, segments, VERSION_FORMAT_EXAMPLE } from "./microversions.js";
export { rangeText } from "./spec.js";
