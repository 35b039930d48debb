-- Full-text search over cases. A regular FTS5 table (rowid = cases.id) kept in
-- sync by triggers: simpler and more robust than external content, whose
-- columns would have to match the cases table one to one. "place" is
-- last_seen_place + community; "description" is features, clothing and
-- circumstances. remove_diacritics 2 lets "Siobhan" find "Siobhán" while the
-- exact spelling still matches. prefix indexes speed up live search.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    full_name, aliases, place, description,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, full_name, aliases, place, description)
    VALUES (new.id, new.full_name, new.aliases,
            new.last_seen_place || ' ' || new.community,
            new.features || ' ' || new.clothing || ' ' || new.circumstances);
END;

CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    DELETE FROM cases_fts WHERE rowid = old.id;
END;

-- Only when a searched column changes: status changes and the like do not
-- rewrite the index.
CREATE TRIGGER cases_fts_update AFTER UPDATE OF full_name, aliases, last_seen_place, community, features, clothing, circumstances ON cases BEGIN
    DELETE FROM cases_fts WHERE rowid = old.id;
    INSERT INTO cases_fts (rowid, full_name, aliases, place, description)
    VALUES (new.id, new.full_name, new.aliases,
            new.last_seen_place || ' ' || new.community,
            new.features || ' ' || new.clothing || ' ' || new.circumstances);
END;
