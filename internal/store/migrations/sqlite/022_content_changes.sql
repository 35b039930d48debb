-- Which cases each content revision changed (issue 15): every bump of
-- content_revision writes one row per case it touched, or one row with
-- case_id 0 when it touched no case (a resource). A read model that is
-- at revision R and sees R+k re-reads only the cases of revisions R+1..R+k,
-- and only when every one of those revisions has its rows here: a
-- revision without rows (an operator's manual bump, a pruned range) means
-- "anything may have changed", and the model reads everything again.
-- Names match mysql/022 (TestSchemaParity).
CREATE TABLE content_changes (
    rev BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    PRIMARY KEY (rev, case_id)
);
