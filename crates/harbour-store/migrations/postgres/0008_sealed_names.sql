-- Names are sealed with the person's data key, like their identifiers and address (PostgreSQL;
-- keep in step with ../sqlite/0008_sealed_names.sql). Once a file is destroyed and its key
-- shredded, no earlier backup or log can name the person. Search matches keyed hashes of the
-- first characters of each name word. From this version persons.given_name, family_name and
-- search_name are written empty; names in rows written earlier are sealed and those columns
-- emptied when the database is next opened (Store::seal_names), which needs the keys.
CREATE TABLE person_name_tokens (
    person_id TEXT NOT NULL REFERENCES persons(id),
    token TEXT NOT NULL,
    PRIMARY KEY (token, person_id)
);
CREATE INDEX person_name_tokens_person ON person_name_tokens (person_id);
DROP INDEX persons_search_name;

-- The rows written before this migration, whose names Store::seal_names seals when the database
-- next opens; each leaves the list as it is sealed, so later starts read an empty table rather
-- than scanning every person.
CREATE TABLE names_to_seal (
    person_id TEXT PRIMARY KEY REFERENCES persons(id)
);
INSERT INTO names_to_seal (person_id) SELECT id FROM persons;
