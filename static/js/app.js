// Marks the page as able to run GOV.UK Frontend and starts its components.
// Loaded as an ES module, so browsers without module support skip it (as GOV.UK advises).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
