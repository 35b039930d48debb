-- First-name-only publishing (issue 19 point 4). first_name_only is the
-- case option: every public surface shows the first name and the initial
-- of the last name, and no aliases (Case.PublicName). first_name_requested
-- records that the reporter ticked the request on the public form, so the
-- review page can say so; it changes nothing by itself.
-- Names match mysql/018 (TestSchemaParity).
ALTER TABLE cases ADD COLUMN first_name_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN first_name_requested INTEGER NOT NULL DEFAULT 0;
