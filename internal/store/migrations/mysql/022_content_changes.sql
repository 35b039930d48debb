-- Which cases each content revision changed: see sqlite/022.
CREATE TABLE IF NOT EXISTS content_changes (
    rev BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    PRIMARY KEY (rev, case_id)
) ENGINE=InnoDB;
