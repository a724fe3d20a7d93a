-- Dates the law counts from, and NHS numbers checked for CP-IS (PostgreSQL; keep in step with
-- ../sqlite/0010_deaths_and_nhs_verification.sql).

-- A person's date of death, in clear like their date of birth (a date alone names no one): a
-- looked-after child who dies before 18 has their record kept 15 years from the death rather
-- than to their 75th birthday (Care Planning, Placement and Case Review (England) Regulations
-- 2010, reg 50; rules.md rule 31).
ALTER TABLE persons ADD COLUMN date_of_death TEXT;

-- Who checked the NHS number against the NHS's records, and when: CP-IS cannot flag a child
-- without a verified number (rules.md rule 29). The number itself stays sealed; both columns
-- are emptied whenever it changes.
ALTER TABLE persons ADD COLUMN nhs_verified_on TEXT;
ALTER TABLE persons ADD COLUMN nhs_verified_by TEXT REFERENCES users(id);

-- The NHS numbers to correct are read from open (or recently closed) child protection and
-- looked-after episodes.
CREATE INDEX episodes_class ON episodes (record_class, closed_on);
