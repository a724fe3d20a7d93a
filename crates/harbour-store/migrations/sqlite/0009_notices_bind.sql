-- Notices bind (issue 11) (SQLite; keep in step with ../postgres/0009_notices_bind.sql).

-- What each organisation is, finely enough for a notice's recipients table to name exactly
-- which organisations it means ("Police" is a police force, not a court or the DBS). A new or
-- unknown organisation is 'unclassified' and receives nothing under any notice until someone
-- says what it is. The demo directory's organisations are classified here for databases made
-- before this version; any other organisation stays unclassified.
ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'unclassified';
UPDATE organisations SET kind = 'adoption_agency' WHERE slug IN ('aspire-adoption');
UPDATE organisations SET kind = 'advocacy_service' WHERE slug IN ('advocacy-services');
UPDATE organisations SET kind = 'alternative_provision' WHERE slug IN ('alternative-provision');
UPDATE organisations SET kind = 'barring_service' WHERE slug IN ('dbs');
UPDATE organisations SET kind = 'cafcass' WHERE slug IN ('cafcass');
UPDATE organisations SET kind = 'childrens_charity' WHERE slug IN ('nspcc', 'ymca');
UPDATE organisations SET kind = 'childrens_home' WHERE slug IN ('childrens-homes');
UPDATE organisations SET kind = 'childrens_social_care' WHERE slug IN ('bcp-childrens', 'dorset-county-council-social-care', 'borough-of-poole-social-care');
UPDATE organisations SET kind = 'commissioned_third_party' WHERE slug IN ('commissioned-third-parties');
UPDATE organisations SET kind = 'community_safety_partnership' WHERE slug IN ('dorset-csp');
UPDATE organisations SET kind = 'council_service' WHERE slug IN ('bcp-council-services');
UPDATE organisations SET kind = 'court_service' WHERE slug IN ('court-services', 'hmcts');
UPDATE organisations SET kind = 'cp_is' WHERE slug IN ('cp-is');
UPDATE organisations SET kind = 'early_years_provider' WHERE slug IN ('early-years-providers');
UPDATE organisations SET kind = 'education_welfare_service' WHERE slug IN ('welfare-call');
UPDATE organisations SET kind = 'financial_services' WHERE slug IN ('financial-services');
UPDATE organisations SET kind = 'fire_and_rescue' WHERE slug IN ('dorset-wiltshire-fire');
UPDATE organisations SET kind = 'foster_care_agency' WHERE slug IN ('independent-foster-care-agencies');
UPDATE organisations SET kind = 'government_department' WHERE slug IN ('dwp', 'dfe', 'mhclg', 'moj', 'home-office', 'hmrc');
UPDATE organisations SET kind = 'health_provider' WHERE slug IN ('health-visitors', 'midwives', 'nhs', 'gp', 'school-nurses', 'other-health-workers');
UPDATE organisations SET kind = 'health_record_service' WHERE slug IN ('child-health-information-service', 'dorset-care-record');
UPDATE organisations SET kind = 'health_regulator' WHERE slug IN ('hcpc');
UPDATE organisations SET kind = 'housing_association' WHERE slug IN ('housing-associations');
UPDATE organisations SET kind = 'in_house_care_provider' WHERE slug IN ('in-house-care-providers');
UPDATE organisations SET kind = 'inspectorate' WHERE slug IN ('ofsted');
UPDATE organisations SET kind = 'intelligence_service' WHERE slug IN ('diis');
UPDATE organisations SET kind = 'la_education' WHERE slug IN ('la-education-services');
UPDATE organisations SET kind = 'la_housing' WHERE slug IN ('la-housing-services');
UPDATE organisations SET kind = 'lado' WHERE slug IN ('lado');
UPDATE organisations SET kind = 'legal_services' WHERE slug IN ('legal-services');
UPDATE organisations SET kind = 'mental_health_service' WHERE slug IN ('camhs', 'community-mental-health-team');
UPDATE organisations SET kind = 'other_local_authority' WHERE slug IN ('other-local-authorities');
UPDATE organisations SET kind = 'pledge_partner' WHERE slug IN ('dorset-pledge-partners');
UPDATE organisations SET kind = 'police_force' WHERE slug IN ('dorset-police', 'british-transport-police');
UPDATE organisations SET kind = 'probation' WHERE slug IN ('probation');
UPDATE organisations SET kind = 'residential_special_school' WHERE slug IN ('residential-special-schools');
UPDATE organisations SET kind = 'safeguarding_partnership' WHERE slug IN ('pan-dorset-safeguarding');
UPDATE organisations SET kind = 'school' WHERE slug IN ('academies-and-schools', 'harbourside-academy');
UPDATE organisations SET kind = 'secure_accommodation' WHERE slug IN ('secure-accommodation');
UPDATE organisations SET kind = 'semi_independent_accommodation' WHERE slug IN ('semi-independent-accommodation');
UPDATE organisations SET kind = 'send_transport' WHERE slug IN ('send-transport');
UPDATE organisations SET kind = 'supported_lodgings' WHERE slug IN ('supported-lodgings');
UPDATE organisations SET kind = 'virtual_school' WHERE slug IN ('virtual-school');
UPDATE organisations SET kind = 'voluntary_organisation' WHERE slug IN ('share-foundation', 'other-voluntary-services');
UPDATE organisations SET kind = 'youth_offending_service' WHERE slug IN ('dorset-youth-offending-service');

-- The organisations a consent lets the council share with for its service (comma-separated
-- organisation ids). Consents recorded earlier named none, so they carry no sharing.
ALTER TABLE consents ADD COLUMN share_with TEXT NOT NULL DEFAULT '';

-- For each recipient of a decision: the notice's recipients-table entry it was shared under
-- (its id and clause) and why it matched (its kind, or being named). Empty for decisions made
-- before this version.
ALTER TABLE decision_recipients ADD COLUMN entry TEXT;
ALTER TABLE decision_recipients ADD COLUMN clause TEXT;
ALTER TABLE decision_recipients ADD COLUMN reason TEXT;
