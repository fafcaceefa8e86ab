"""Browser pages for the work plan, by subject: `guide` (the five steps and intended outcomes),
`needs` (the register and the dot vote), `plan` (areas, objectives, approval), `actions` (one
action, its status, progress, indicators and updates) and `progress` (the pictures and the
exports). Thin: records come only from `workplans.selectors` (404 for hidden and missing
alike), writes go to `workplans.services`, which are the gate; the pages leave out the controls
the services would refuse. Pages read and show dates in the community's time zone."""
