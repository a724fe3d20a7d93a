//! The synthetic demonstration data set: the council, every partner organisation its privacy
//! notices name (seeds 000 and 002), teams, one login per role, and about fifty children in
//! twenty-odd families with their episodes and entries.
//!
//! Everything here is made up. Names are drawn from lists of common UK names, addresses are
//! invented streets with well-formed BH/DT postcodes, NHS numbers come only from the
//! never-issued 999 range and unique pupil numbers are built for a fictional school. The
//! random generator is seeded, so the same `today` always gives the same data set, and every
//! date is relative to `today`.
//!
//! The data set is first built in memory (no IO, so it can be tested without a database) and
//! then written through the store, each row with its audit event.

use std::collections::{HashMap, HashSet};

use harbour_domain::{
    Address, Consent, Eligibility, Entry, EntryId, Episode, EpisodeId, Gender, NhsNumber, NhsVerification, OrgId,
    Organisation, Person, PersonId, Postcode, RecordClass, Relationship, RelationshipKind, Role, Source, Team, TeamId,
    Upn, User, UserId,
};
use harbour_store::{AuditEvent, Store, StoreError};
use jiff::civil::{Date, Weekday};
use jiff::Span;

use data::{Abuse, FamilyPlan, Src, Tpl, AI1, CIC};

/// A demo account, for the login page and the command line to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: &'static str,
    pub role: Role,
    /// The organisation's name.
    pub organisation: String,
}

/// What [`load`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    /// Children under 18 (care-experienced young adults are counted in `people` only).
    pub children: usize,
    pub people: usize,
    pub episodes: usize,
    pub entries: usize,
    pub logins: Vec<DemoLogin>,
}

/// The demo accounts (username and role), in the order they are created.
pub fn logins() -> impl Iterator<Item = (&'static str, Role)> {
    data::LOGINS.iter().map(|row| (row.0, row.2))
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

const SEED: u64 = 2026;
const ACTION: &str = "demo.load";
const PURPOSE: &str = "synthetic demonstration data";
/// Episodes open between one and 36 months before `today`.
const NEWEST_OPENING_DAYS: i64 = 31;
const OLDEST_OPENING_DAYS: i64 = 1080;

/// Loads the synthetic demo data set into an empty store. Deterministic (seeded RNG), dates relative to `today`.
pub async fn load(store: &Store, today: Date) -> Result<DemoSummary, StoreError> {
    if !store.is_empty().await? {
        return Err(StoreError::Conflict("demo data can only be loaded into an empty store".into()));
    }
    let plan = Plan::build(today);
    // Argon2 is slow on purpose: hash once and share the string between the demo accounts.
    let password_hash = crate::actor::hash_password(DEMO_PASSWORD);
    plan.write_accounts(store, &password_hash).await?;
    plan.write_people(store).await?;
    plan.write_cases(store).await?;
    for (name, starts, ends) in data::SCHOOL_HOLIDAYS {
        let holiday = harbour_domain::Holiday {
            name: (*name).to_string(),
            starts_on: starts.parse().expect("demo dates are valid"),
            ends_on: ends.parse().expect("demo dates are valid"),
        };
        store.insert_holiday(&holiday, &AuditEvent::new("calendar.add", "system").purpose(PURPOSE)).await?;
    }
    Ok(plan.summary())
}

/// The whole data set, built in memory before anything is written.
struct Plan {
    organisations: Vec<Organisation>,
    teams: Vec<Team>,
    users: Vec<User>,
    people: Vec<Person>,
    children: usize,
    relationships: Vec<Relationship>,
    episodes: Vec<Episode>,
    /// Each entry with the person whose key seals it (the episode's person).
    entries: Vec<(Entry, PersonId)>,
    /// Consent to optional services, with who recorded it.
    consents: Vec<(Consent, UserId)>,
}

impl Plan {
    fn build(today: Date) -> Self {
        let organisations = organisations();
        let dir = Directory::new(&organisations);
        let teams = dir.teams.clone();
        let users = dir.users.clone();
        let mut cases = Cases::new(today, dir);
        for family in data::FAMILIES {
            cases.family(family);
        }
        cases.verify_nhs_numbers();
        let consents = cases.consents();
        Plan {
            organisations,
            teams,
            users,
            people: cases.people,
            children: cases.children,
            relationships: cases.relationships,
            episodes: cases.episodes,
            entries: cases.entries,
            consents,
        }
    }

    fn summary(&self) -> DemoSummary {
        let org_name =
            |id: OrgId| self.organisations.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default();
        let logins = data::LOGINS
            .iter()
            .zip(&self.users)
            .map(|(row, user)| DemoLogin { username: row.0, role: row.2, organisation: org_name(user.org_id) })
            .collect();
        DemoSummary {
            organisations: self.organisations.len(),
            children: self.children,
            people: self.people.len(),
            episodes: self.episodes.len(),
            entries: self.entries.len(),
            logins,
        }
    }

    async fn write_accounts(&self, store: &Store, password_hash: &str) -> Result<(), StoreError> {
        for org in &self.organisations {
            store.insert_organisation(org, &event("organisation").target(org.id)).await?;
        }
        for team in &self.teams {
            store.insert_team(team).await?;
        }
        for user in &self.users {
            store.insert_user(user, Some(password_hash), &event("user").target(user.id)).await?;
        }
        Ok(())
    }

    async fn write_people(&self, store: &Store) -> Result<(), StoreError> {
        for p in &self.people {
            store.insert_person(p, None, &event("person").target(p.id).about(p.id)).await?;
        }
        for rel in &self.relationships {
            store.insert_relationship(rel, &event("relationship").target(rel.id).about(rel.to)).await?;
        }
        Ok(())
    }

    async fn write_cases(&self, store: &Store) -> Result<(), StoreError> {
        for ep in &self.episodes {
            store.insert_episode(ep, &event("episode").target(ep.id).about(ep.person_id)).await?;
        }
        for (entry, subject) in &self.entries {
            store.insert_entry(entry, *subject, &event("entry").target(entry.id).about(*subject)).await?;
        }
        for (c, by) in &self.consents {
            store.insert_consent(c, *by, &event("consent").target(c.id).about(c.person_id)).await?;
        }
        Ok(())
    }
}

fn event(kind: &'static str) -> AuditEvent {
    AuditEvent::new(ACTION, kind).purpose(PURPOSE)
}

/// The demo directory: the council and every partner organisation its notices name.
pub fn organisations() -> Vec<Organisation> {
    data::ORGANISATIONS
        .iter()
        .map(|&(slug, name, kind, controller_role, charter_signatory)| Organisation {
            id: OrgId::new(),
            slug: slug.into(),
            name: name.into(),
            kind,
            category: kind.category(),
            controller_role,
            charter_signatory,
            // The council's children's services run Harbour (`data::BCP`).
            operator: slug == data::BCP,
        })
        .collect()
}

/// Organisations, teams and demo staff, looked up by the names the static tables use.
struct Directory {
    orgs: HashMap<&'static str, OrgId>,
    teams: Vec<Team>,
    team_ids: HashMap<&'static str, TeamId>,
    users: Vec<User>,
    user_ids: HashMap<&'static str, UserId>,
}

impl Directory {
    fn new(organisations: &[Organisation]) -> Self {
        let orgs: HashMap<&'static str, OrgId> =
            data::ORGANISATIONS.iter().zip(organisations).map(|(row, org)| (row.0, org.id)).collect();
        let mut dir = Directory {
            orgs,
            teams: Vec::new(),
            team_ids: HashMap::new(),
            users: Vec::new(),
            user_ids: HashMap::new(),
        };
        for &(org, name) in data::TEAMS {
            let team = Team { id: TeamId::new(), org_id: dir.org(org), name: name.into() };
            dir.team_ids.insert(name, team.id);
            dir.teams.push(team);
        }
        for &(username, display_name, role, org, team) in data::LOGINS {
            let org =
                organisations.iter().find(|o| o.id == dir.org(org)).expect("the tests check the logins' organisations");
            let user = crate::accounts::new_user(username, display_name, org, team.map(|t| dir.team(t)), role, false)
                .expect("the demo accounts follow the account rule");
            dir.user_ids.insert(username, user.id);
            dir.users.push(user);
        }
        dir
    }

    // The lookups below take names from this file's static tables, which the tests check.
    fn org(&self, slug: &str) -> OrgId {
        *self.orgs.get(slug).expect("organisation slug is in the static table")
    }

    fn team(&self, name: &str) -> TeamId {
        *self.team_ids.get(name).expect("team name is in the static table")
    }

    fn user(&self, username: &str) -> UserId {
        *self.user_ids.get(username).expect("username is in the static table")
    }
}

/// The people, relationships, episodes and entries, generated family by family.
struct Cases {
    rng: fastrand::Rng,
    today: Date,
    dir: Directory,
    surnames: Vec<&'static str>,
    nhs_used: HashSet<String>,
    serial: u32,
    people: Vec<Person>,
    children: usize,
    relationships: Vec<Relationship>,
    episodes: Vec<Episode>,
    entries: Vec<(Entry, PersonId)>,
    /// Each record class's default retention class (NOTICE/ROW) under the built-in notices.
    retention: HashMap<RecordClass, String>,
}

fn default_retention_classes() -> HashMap<RecordClass, String> {
    let packs = harbour_policy::built_in_packs().expect("the built-in notices are checked by their tests");
    let schedule = harbour_retention::Schedule::from_packs(&packs);
    RecordClass::ALL.into_iter().filter_map(|c| Some((c, schedule.for_record_class(c)?.key()))).collect()
}

/// One episode to open: its class, the team it is allocated to and the story its entries tell.
type Work = (RecordClass, &'static str, Story);

impl Cases {
    fn new(today: Date, dir: Directory) -> Self {
        let mut rng = fastrand::Rng::with_seed(SEED);
        let mut surnames = data::SURNAMES.to_vec();
        rng.shuffle(&mut surnames);
        Cases {
            rng,
            today,
            dir,
            surnames,
            nhs_used: HashSet::new(),
            serial: 0,
            people: Vec::new(),
            children: 0,
            relationships: Vec::new(),
            episodes: Vec::new(),
            entries: Vec::new(),
            retention: default_retention_classes(),
        }
    }

    fn family(&mut self, plan: &FamilyPlan) {
        let surname = self.surnames.pop().unwrap_or("Smith");
        let address = self.address(false);
        let kids = self.children_of(plan, surname, &address);
        let kid_ids: Vec<PersonId> = kids.iter().map(|k| k.id).collect();
        let eldest_age = kids.first().and_then(|k| k.date_of_birth).map_or(10, |d| age_on(d, self.today));
        let mother = self.household(plan, surname, &address, &kid_ids, eldest_age);
        if let Some((age, with_episode)) = plan.care_leaver {
            self.care_leaver(surname, age, with_episode, mother, &kid_ids);
        }
        for (i, kid) in kids.iter().enumerate() {
            let work: Vec<Work> = plan
                .work
                .iter()
                .filter(|w| i == 0 || !w.eldest_only)
                .map(|w| (w.class, w.team, Story::Class(w.class)))
                .collect();
            self.open_episodes(kid, mother, &work);
        }
    }

    /// The family's children, eldest first, all siblings of one another.
    fn children_of(&mut self, plan: &FamilyPlan, surname: &'static str, address: &Address) -> Vec<Person> {
        let (youngest, eldest) = plan.ages;
        let mut ages: Vec<i16> = (0..plan.children).map(|_| self.rng.i16(youngest..=eldest)).collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        let in_care = plan.work.iter().any(|w| matches!(w.class, RecordClass::LookedAfter | RecordClass::Adoption));
        let mut kids: Vec<Person> = Vec::new();
        for (i, age) in ages.into_iter().enumerate() {
            let gender = if self.rng.bool() { Gender::Female } else { Gender::Male };
            let names = if gender == Gender::Female { data::GIRLS } else { data::BOYS };
            let given = self.fresh_name(names, &kids);
            let dob = self.birth_date(age);
            let mut p = new_person(given, surname, Some(dob), gender, Some(address.clone()));
            p.nhs_number = Some(self.nhs_number());
            p.upn = (5..=16).contains(&age).then(|| self.upn(dob, age));
            self.serial += 1;
            p.local_id = Some(format!("HB{:05}", 10_000 + self.serial));
            p.care_experienced = in_care;
            p.disability = plan.disabled_eldest && i == 0;
            self.people.push(p.clone());
            self.children += 1;
            kids.push(p);
        }
        for (i, a) in kids.iter().enumerate() {
            for b in &kids[i + 1..] {
                self.relate(a.id, b.id, RelationshipKind::Sibling);
            }
        }
        kids
    }

    /// The adults around the children. Returns the mother, who is present in every family.
    fn household(
        &mut self,
        plan: &FamilyPlan,
        surname: &'static str,
        address: &Address,
        kids: &[PersonId],
        eldest_age: i16,
    ) -> PersonId {
        let mother_age = eldest_age + self.rng.i16(19..=34);
        let home = Some(address.clone());
        let mother = self.adult(Gender::Female, surname, Some(mother_age), home.clone());
        let with_pr = RelationshipKind::ParentCarer { parental_responsibility: true };
        self.relate_all(mother, kids, with_pr);
        if plan.abuse == Abuse::ByFather || self.rng.u8(0..3) != 0 {
            let father = self.father(plan.abuse == Abuse::ByFather, surname, address, mother_age, kids);
            if plan.abuse == Abuse::ByFather {
                self.relate(father, mother, RelationshipKind::PerpetratorOf);
            }
        }
        if plan.abuse == Abuse::ByPartner || self.rng.u8(0..4) == 0 {
            // The mother's partner, living in the household.
            let age = (self.rng.u8(0..3) != 0).then(|| self.rng.i16(22..=45));
            let family_name = self.other_surname();
            let partner = self.adult(Gender::Male, family_name, age, home.clone());
            self.relate_all(partner, kids, RelationshipKind::HouseholdMember);
            if plan.abuse == Abuse::ByPartner {
                self.relate(partner, mother, RelationshipKind::PerpetratorOf);
            }
        }
        if self.rng.u8(0..4) == 0 {
            let age = self.rng.bool().then(|| mother_age + self.rng.i16(20..=28));
            let grandmother = self.person_from(data::OLDER_WOMEN, Gender::Female, surname, age, home);
            self.relate_all(grandmother, kids, RelationshipKind::HouseholdMember);
        }
        mother
    }

    /// The children's father: living with them or elsewhere, usually with parental responsibility.
    fn father(
        &mut self,
        resident: bool,
        surname: &'static str,
        address: &Address,
        mother_age: i16,
        kids: &[PersonId],
    ) -> PersonId {
        let resident = resident || self.rng.bool();
        let home = if resident { Some(address.clone()) } else { self.rng.bool().then(|| self.address(true)) };
        let family_name = if self.rng.bool() { surname } else { self.other_surname() };
        let age = self.rng.bool().then(|| mother_age + self.rng.i16(-3..=8));
        let father = self.adult(Gender::Male, family_name, age, home);
        let parental_responsibility = resident || self.rng.u8(0..4) != 0;
        self.relate_all(father, kids, RelationshipKind::ParentCarer { parental_responsibility });
        father
    }

    /// An older sibling aged 19–24 who grew up in care and now lives independently.
    fn care_leaver(
        &mut self,
        surname: &'static str,
        age: i16,
        with_episode: bool,
        mother: PersonId,
        kids: &[PersonId],
    ) {
        let gender = if self.rng.bool() { Gender::Female } else { Gender::Male };
        let names = if gender == Gender::Female { data::GIRLS } else { data::BOYS };
        let given = names[self.rng.usize(..names.len())];
        let dob = self.birth_date(age);
        let mut p = new_person(given, surname, Some(dob), gender, Some(self.address(true)));
        p.nhs_number = Some(self.nhs_number());
        p.care_experienced = true;
        self.people.push(p.clone());
        // Parental responsibility ends at 18.
        self.relate(mother, p.id, RelationshipKind::ParentCarer { parental_responsibility: false });
        self.relate_all(p.id, kids, RelationshipKind::Sibling);
        if with_episode {
            self.open_episodes(&p, p.id, &[(RecordClass::LookedAfter, CIC, Story::CareLeaver)]);
        }
    }

    fn adult(&mut self, gender: Gender, surname: &'static str, age: Option<i16>, address: Option<Address>) -> PersonId {
        let names = if gender == Gender::Female { data::WOMEN } else { data::MEN };
        self.person_from(names, gender, surname, age, address)
    }

    fn person_from(
        &mut self,
        names: &[&'static str],
        gender: Gender,
        surname: &'static str,
        age: Option<i16>,
        address: Option<Address>,
    ) -> PersonId {
        let given = names[self.rng.usize(..names.len())];
        let dob = age.map(|a| self.birth_date(a));
        let mut p = new_person(given, surname, dob, gender, address);
        p.nhs_number = self.rng.bool().then(|| self.nhs_number());
        let id = p.id;
        self.people.push(p);
        id
    }

    fn fresh_name(&mut self, names: &[&'static str], family: &[Person]) -> &'static str {
        let mut name = names[self.rng.usize(..names.len())];
        for _ in 0..5 {
            if !family.iter().any(|p| p.given_name == name) {
                break;
            }
            name = names[self.rng.usize(..names.len())];
        }
        name
    }

    fn other_surname(&mut self) -> &'static str {
        data::SURNAMES[self.rng.usize(..data::SURNAMES.len())]
    }

    fn relate(&mut self, from: PersonId, to: PersonId, kind: RelationshipKind) {
        if let Ok(rel) = Relationship::new(from, to, kind) {
            self.relationships.push(rel);
        }
    }

    fn relate_all(&mut self, from: PersonId, to: &[PersonId], kind: RelationshipKind) {
        for &t in to {
            self.relate(from, t, kind);
        }
    }

    /// A date of birth that makes the person exactly `age` years old today (at least 90 days old).
    fn birth_date(&mut self, age: i16) -> Date {
        let extra = if age == 0 { self.rng.i64(90..365) } else { self.rng.i64(0..365) };
        // Today less `age` years (on 29 February jiff gives 28 February, the latest birth date on
        // which someone is already `age`; a birthday's own leap-day rule is not wanted here).
        let anniversary = self.today.checked_sub(Span::new().years(age)).expect("demo ages stay within the calendar");
        add_days(anniversary, -extra)
    }

    /// A made-up street with a well-formed postcode: Bournemouth, Christchurch or Poole for
    /// family homes; anywhere in the BH and DT areas for people living elsewhere.
    fn address(&mut self, elsewhere: bool) -> Address {
        let towns = if elsewhere { data::TOWNS } else { &data::TOWNS[..data::BCP_TOWNS] };
        let (outward, town) = towns[self.rng.usize(..towns.len())];
        let letters = data::INWARD_LETTERS.as_bytes();
        let digit = self.rng.u8(0..10);
        let mut letter = || char::from(letters[self.rng.usize(..letters.len())]);
        let inward = format!("{digit}{}{}", letter(), letter());
        let postcode = Postcode::parse(&format!("{outward} {inward}")).expect("built from the BS7666 alphabets");
        let street = data::STREETS[self.rng.usize(..data::STREETS.len())];
        let mut line = format!("{} {street}", self.rng.u16(1..=120));
        if elsewhere && self.rng.bool() {
            line = format!("Flat {}, {line}", self.rng.u8(1..=12));
        }
        Address { lines: vec![line, town.to_string()], postcode: Some(postcode) }
    }

    /// A fresh NHS number in the never-issued test range 999 000 0000–999 999 9999.
    fn nhs_number(&mut self) -> NhsNumber {
        loop {
            let digits = test_nhs_digits(&mut self.rng);
            if self.nhs_used.insert(digits.clone()) {
                return NhsNumber::parse(&digits).expect("check digit computed by test_nhs_digits");
            }
        }
    }

    /// A unique pupil number for a pupil at a fictional school in LA 835: establishment 2xxx
    /// (primary) or 4xxx (secondary), the year the child started school and a serial.
    fn upn(&mut self, dob: Date, age: i16) -> Upn {
        let establishment = if age < 11 { 2000 + self.rng.u16(0..500) } else { 4000 + self.rng.u16(0..200) };
        let year = (dob.year() + 4) % 100;
        let serial = self.serial % 1000;
        Upn::with_check_letter(&format!("835{establishment:04}{year:02}{serial:03}"))
            .expect("every 12-digit tail has exactly one check letter")
    }

    /// Consent to the optional services seed 002 describes ("We may seek your consent if we are
    /// able to offer additional services"): a family in early help agreed to a children's
    /// charity's support, and a disabled child's family to short breaks with the in-house
    /// carers. Each names the organisations it lets the council share with.
    fn consents(&self) -> Vec<(Consent, UserId)> {
        let offers: [(RecordClass, &str, &[&str]); 2] = [
            (RecordClass::EarlyHelp, "Family support from a children's charity", &["nspcc", "ymca"]),
            (RecordClass::Send, "Short breaks", &["in-house-care-providers"]),
        ];
        let mut out = Vec::new();
        for (class, service, orgs) in offers {
            let Some(ep) = self.episodes.iter().find(|e| e.record_class == class && e.closed_on.is_none()) else {
                continue;
            };
            let consent = harbour_domain::NewConsent {
                service: service.into(),
                given_by: "mother".into(),
                given_on: ep.opened_on,
                share_with: orgs.iter().map(|o| self.dir.org(o)).collect(),
            }
            .validate(ep.person_id, self.today)
            .expect("demo consents are valid");
            out.push((consent, self.dir.user("sw.demo")));
        }
        out
    }

    /// Opens the episodes in `work` one after another for `subject`, each within the last
    /// 36 months, none before the subject's birth, all but the last closed before the next.
    fn open_episodes(&mut self, subject: &Person, contact: PersonId, work: &[Work]) {
        let Some(dob) = subject.date_of_birth else {
            return;
        };
        let newest = add_days(self.today, -NEWEST_OPENING_DAYS);
        let oldest = add_days(self.today, -OLDEST_OPENING_DAYS).max(dob);
        let segment = days_between(oldest, newest) / work.len().max(1) as i64;
        for (i, &(class, team, story)) in work.iter().enumerate() {
            let start = add_days(oldest, segment * i as i64);
            let opened_on = add_days(start, self.rng.i64(0..=segment / 2));
            let closed_on = if i + 1 < work.len() {
                let room = days_between(opened_on, add_days(start, segment));
                Some(self.closing_date(class, opened_on, room, true))
            } else {
                let room = days_between(opened_on, add_days(self.today, -1));
                let close = class == RecordClass::DomesticAbuseNotification || self.rng.u8(0..4) == 0;
                close.then(|| self.closing_date(class, opened_on, room, false))
            };
            if !Eligibility::of(subject, opened_on).eligible {
                continue;
            }
            let worker = (team == AI1 && self.rng.u8(0..3) != 0).then(|| self.dir.user("sw.demo"));
            let episode = Episode {
                id: EpisodeId::new(),
                person_id: subject.id,
                record_class: class,
                opened_on,
                closed_on,
                team_id: self.dir.team(team),
                worker_id: worker,
                eligibility_override: None,
                retention_class: self.retention.get(&class).cloned(),
                left_school_on: None,
                published_on: None,
            };
            self.write_entries(&episode, subject, contact, story);
            self.episodes.push(episode);
        }
    }

    /// Marks the NHS numbers of children on a plan or in care as checked against the NHS's
    /// records when their plan or care began (rules.md rule 29: CP-IS needs a verified number
    /// by the conference or the start of care), except a few with an open episode, so the list
    /// to correct has something on it: the second with no number, one in five left unchecked.
    fn verify_nhs_numbers(&mut self) {
        let cp_is =
            |e: &&Episode| matches!(e.record_class, RecordClass::ChildProtectionPlan | RecordClass::LookedAfter);
        let mut started: HashMap<PersonId, (Date, bool)> = HashMap::new();
        let mut order: Vec<PersonId> = Vec::new();
        for ep in self.episodes.iter().filter(cp_is) {
            let seen = started.entry(ep.person_id).or_insert_with(|| {
                order.push(ep.person_id);
                (ep.opened_on, false)
            });
            seen.0 = seen.0.min(ep.opened_on);
            seen.1 |= ep.closed_on.is_none();
        }
        let by = self.dir.user("sw.demo");
        let mut open_seen = 0;
        for id in order {
            let Some(&(opened_on, open)) = started.get(&id) else { continue };
            let Some(p) = self.people.iter_mut().find(|p| p.id == id) else { continue };
            let nth = if open {
                open_seen += 1;
                open_seen
            } else {
                0
            };
            match nth {
                2 => p.nhs_number = None,
                n if n % 5 == 4 => {}
                _ if p.nhs_number.is_some() => {
                    p.nhs_number_verified = Some(NhsVerification { verified_on: opened_on, verified_by: by });
                }
                _ => {}
            }
        }
    }

    /// A closing date `room` days or fewer after opening: a domestic abuse notification is
    /// screened within a month; other work lasts at least a fortnight when there is room.
    fn closing_date(&mut self, class: RecordClass, opened_on: Date, room: i64, use_all_room: bool) -> Date {
        let room = room.max(0);
        let days = if class == RecordClass::DomesticAbuseNotification {
            self.rng.i64(7..=30).min(room)
        } else if use_all_room {
            self.rng.i64(room / 2..=room)
        } else {
            self.rng.i64(14.min(room)..=room)
        };
        add_days(opened_on, days)
    }

    /// Two to five entries from the story's templates, the first on the opening day; a closed
    /// episode ends with a closing note on the day it closed.
    fn write_entries(&mut self, ep: &Episode, subject: &Person, contact: PersonId, story: Story) {
        let templates = story.templates();
        let mut count = self.rng.usize(2..=5);
        if ep.closed_on.is_some() {
            count = count.max(3) - 1;
        }
        let last_day = ep.closed_on.unwrap_or(self.today).min(add_days(self.today, -1));
        let days = self.entry_days(ep.opened_on, last_day, count);
        let recorder = self.dir.user(if story == Story::Class(RecordClass::DomesticAbuseNotification) {
            "mash.demo"
        } else {
            "sw.demo"
        });
        for (tpl, day) in templates.iter().take(count).zip(days) {
            let entry = self.entry(ep, tpl, day, subject, contact, recorder);
            self.entries.push((entry, subject.id));
        }
        if let Some(closed) = ep.closed_on {
            let entry = self.entry(ep, &data::CLOSING_NOTE, closed, subject, contact, recorder);
            self.entries.push((entry, subject.id));
        }
    }

    fn entry(
        &mut self,
        ep: &Episode,
        tpl: &Tpl,
        day: Date,
        subject: &Person,
        contact: PersonId,
        recorder: UserId,
    ) -> Entry {
        let fill = |text: &str| text.replace("{child}", &subject.given_name);
        let source = match tpl.source {
            Src::Staff => Source::Staff { user_id: recorder },
            Src::Family => Source::Person { person_id: contact },
            Src::Org(slug) => Source::Organisation { organisation_id: self.dir.org(slug) },
        };
        let mut categories = tpl.categories.to_vec();
        categories.sort();
        categories.dedup();
        let minute = [0, 15, 30, 45][self.rng.usize(..4)];
        Entry {
            id: EntryId::new(),
            episode_id: ep.id,
            kind: tpl.kind,
            occurred_at: day.at(self.rng.i8(9..=16), minute, 0, 0),
            location: tpl.location.map(fill),
            subject: fill(tpl.subject),
            detail: fill(tpl.detail),
            source,
            categories,
            recorded_by: recorder,
            // Recorded when the data set was loaded: the start of `today` (every entry
            // happened before it), so the same `today` gives the same data.
            recorded_at: self
                .today
                .to_zoned(harbour_domain::uk_time_zone())
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        }
    }

    /// `count` working days between `first` and `last`, in order, the first of them `first`
    /// (or the next working day).
    fn entry_days(&mut self, first: Date, last: Date, count: usize) -> Vec<Date> {
        let room = days_between(first, last).max(0);
        let mut days: Vec<Date> = (1..count).map(|_| add_days(first, self.rng.i64(0..=room))).collect();
        days.push(first);
        let mut days: Vec<Date> = days.into_iter().map(|d| working_day(d, first, last)).collect();
        days.sort();
        days
    }
}

/// Whose templates an episode's entries are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    Class(RecordClass),
    /// A care-experienced young adult's pathway plan (recorded as a looked-after episode).
    CareLeaver,
}

impl Story {
    fn templates(self) -> &'static [Tpl] {
        match self {
            Story::CareLeaver => data::CARE_LEAVER,
            Story::Class(class) => match class {
                RecordClass::EarlyHelp => data::EARLY_HELP,
                RecordClass::ChildInNeed => data::CHILD_IN_NEED,
                RecordClass::ChildProtectionPlan => data::CHILD_PROTECTION,
                RecordClass::LookedAfter => data::LOOKED_AFTER,
                RecordClass::ChildSexualExploitation => data::EXPLOITATION,
                RecordClass::DomesticAbuseNotification => data::DOMESTIC_ABUSE,
                RecordClass::Lado => data::LADO,
                RecordClass::Send => data::SEND,
                RecordClass::Fostering => data::FOSTERING,
                RecordClass::Adoption => data::ADOPTION,
                RecordClass::Complaint => data::COMPLAINT,
            },
        }
    }
}

fn new_person(given: &str, family: &str, dob: Option<Date>, gender: Gender, address: Option<Address>) -> Person {
    Person {
        id: PersonId::new(),
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob,
        gender,
        address,
        nhs_number: None,
        upn: None,
        local_id: None,
        care_experienced: false,
        disability: false,
        date_of_death: None,
        nhs_number_verified: None,
    }
}

/// Ten digits in the 999 test range with a valid modulus-11 check digit.
fn test_nhs_digits(rng: &mut fastrand::Rng) -> String {
    loop {
        let stem = format!("999{:06}", rng.u32(0..1_000_000));
        if let Some(check) = nhs_check_digit(&stem) {
            return format!("{stem}{check}");
        }
    }
}

/// The NHS modulus-11 check digit of nine digits; `None` when it would be 10 (never issued).
fn nhs_check_digit(stem: &str) -> Option<u32> {
    let sum: u32 = stem.bytes().zip((2..=10).rev()).map(|(b, w)| u32::from(b - b'0') * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        c => Some(c),
    }
}

// Demo dates stay decades away from the ends of jiff's calendar, so these cannot fail.
fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days)).expect("demo dates stay within the calendar")
}

fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// Age in whole years on `on`.
fn age_on(dob: Date, on: Date) -> i16 {
    let mut age = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// Moves a weekend day to the Friday before or the Monday after, whichever stays in range.
fn working_day(d: Date, first: Date, last: Date) -> Date {
    let (back, forward) = match d.weekday() {
        Weekday::Saturday => (1, 2),
        Weekday::Sunday => (2, 1),
        _ => return d,
    };
    let friday = add_days(d, -back);
    let monday = add_days(d, forward);
    if friday >= first {
        friday
    } else if monday <= last {
        monday
    } else {
        d
    }
}

/// The static tables: organisations, teams, logins, families, names and entry templates.
#[rustfmt::skip]
mod data;

#[cfg(test)]
mod tests;
