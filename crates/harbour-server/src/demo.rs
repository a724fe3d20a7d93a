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
    Address, Eligibility, Entry, EntryId, Episode, EpisodeId, Gender, NhsNumber, OrgId, Organisation, Person, PersonId,
    Postcode, RecordClass, Relationship, RelationshipKind, Role, Source, Team, TeamId, Upn, User, UserId,
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
    let password_hash = crate::auth::hash_password(DEMO_PASSWORD);
    plan.write_accounts(store, &password_hash).await?;
    plan.write_people(store).await?;
    plan.write_cases(store).await?;
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
        Plan {
            organisations,
            teams,
            users,
            people: cases.people,
            children: cases.children,
            relationships: cases.relationships,
            episodes: cases.episodes,
            entries: cases.entries,
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
        Ok(())
    }
}

fn event(kind: &'static str) -> AuditEvent {
    AuditEvent::new(ACTION, kind).purpose(PURPOSE)
}

fn organisations() -> Vec<Organisation> {
    data::ORGANISATIONS
        .iter()
        .map(|&(slug, name, category, controller_role, charter_signatory)| Organisation {
            id: OrgId::new(),
            slug: slug.into(),
            name: name.into(),
            category,
            controller_role,
            charter_signatory,
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
            let user = User {
                id: UserId::new(),
                username: username.into(),
                display_name: display_name.into(),
                org_id: dir.org(org),
                team_id: team.map(|t| dir.team(t)),
                role,
                active: true,
            };
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
            };
            self.write_entries(&episode, subject, contact, story);
            self.episodes.push(episode);
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
            recorded_at: jiff::Timestamp::now(),
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
/// Laid out one row per line, which rustfmt would otherwise spread over many.
#[rustfmt::skip]
mod data {
    use harbour_domain::ControllerRole::{self, Controller, ControllerAndProcessor, Processor};
    use harbour_domain::DataCategory as C;
    use harbour_domain::EntryKind as K;
    use harbour_domain::OrgCategory::{self, *};
    use harbour_domain::RecordClass::{self as R};
    use harbour_domain::Role;

    /// (slug, name, category, controller role, signed up to the Dorset Information Sharing Charter)
    pub type OrgRow = (&'static str, &'static str, OrgCategory, ControllerRole, bool);

    /// The council, then seed 002's "Who we may share your information with" table row by
    /// row (commissioned providers, marked * there, are processors and controllers in their
    /// own right), with seed 000's partner list merged in where it names the same body.
    pub const ORGANISATIONS: &[OrgRow] = &[
        ("bcp-childrens", "BCP Council Children's Services", LocalAuthority, Controller, true),
        // Local Authority
        ("lado", "Local Authority Designated Officer (LADO)", LocalAuthority, Controller, true),
        ("bcp-council-services", "BCP Council (other service areas)", LocalAuthority, Controller, true),
        ("independent-foster-care-agencies", "Independent Foster Care Agencies", LocalAuthority, ControllerAndProcessor, false),
        ("childrens-homes", "Children's Homes", LocalAuthority, ControllerAndProcessor, false),
        ("semi-independent-accommodation", "Semi-Independent Accommodation Providers", LocalAuthority, ControllerAndProcessor, false),
        ("supported-lodgings", "Supported Lodgings Providers", LocalAuthority, ControllerAndProcessor, false),
        ("residential-special-schools", "Residential Special Schools", LocalAuthority, ControllerAndProcessor, false),
        ("secure-accommodation", "Secure Accommodation", LocalAuthority, ControllerAndProcessor, false),
        ("dorset-county-council-social-care", "Dorset County Council Social Care", LocalAuthority, Controller, true),
        ("borough-of-poole-social-care", "Borough of Poole Social Care", LocalAuthority, Controller, true),
        // Legal ("Police" in both seeds is Dorset Police)
        ("dorset-police", "Dorset Police", Legal, Controller, true),
        ("probation", "Probation Service", Legal, Controller, true),
        ("court-services", "Court Services", Legal, Controller, false),
        ("legal-services", "Legal Services", Legal, Controller, false),
        ("hmcts", "HM Courts and Tribunals Service", Legal, Controller, false),
        ("british-transport-police", "British Transport Police", Legal, Controller, false),
        ("dorset-youth-offending-service", "Dorset Youth Offending Service", Legal, Controller, true),
        ("dbs", "Disclosure and Barring Service (DBS)", Legal, Controller, false),
        // Children's
        ("cafcass", "CAFCASS", Childrens, Controller, false),
        ("nspcc", "NSPCC", Childrens, Controller, false),
        ("cp-is", "Child Protection Information Sharing (CP-IS)", Childrens, Controller, false),
        ("aspire-adoption", "Aspire Adoption", Childrens, Controller, true),
        ("in-house-care-providers", "In-house Social Care Providers (foster carers and short breaks)", Childrens, Controller, true),
        ("pan-dorset-safeguarding", "Pan-Dorset Safeguarding Children Partnership", Childrens, Controller, true),
        ("ymca", "YMCA", Childrens, Controller, false),
        // Health ("Health" in seed 000 is the National Health Service)
        ("child-health-information-service", "Provide Child Health Information Service", Health, Controller, true),
        ("health-visitors", "Health Visitors", Health, Controller, true),
        ("midwives", "Midwives", Health, Controller, true),
        ("nhs", "National Health Service", Health, Controller, true),
        ("gp", "GP / Doctor", Health, Controller, true),
        ("dorset-care-record", "Dorset Care Record", Health, Controller, true),
        ("camhs", "Child and Adolescent Mental Health Service (CAMHS)", Health, Controller, true),
        ("hcpc", "Health and Care Professions Council (HCPC)", Health, Controller, false),
        ("community-mental-health-team", "Community Mental Health Team", Health, Controller, true),
        ("school-nurses", "School Nurses", Health, Controller, true),
        ("other-health-workers", "Other Health and Mental Health Workers", Health, Controller, false),
        // Education ("Local authority education services including schools" in seed 000)
        ("academies-and-schools", "Academies and Schools", Education, Controller, true),
        ("virtual-school", "BCP Virtual School", Education, Controller, true),
        ("early-years-providers", "Early Years Providers", Education, Controller, false),
        ("welfare-call", "Welfare Call Ltd", Education, Processor, false),
        ("alternative-provision", "Alternative Provision Suppliers", Education, ControllerAndProcessor, false),
        ("send-transport", "Transport Services (SEND transport)", Education, ControllerAndProcessor, false),
        ("la-education-services", "Local Authority Education Services", Education, Controller, true),
        ("harbourside-academy", "Harbourside Academy", Education, Controller, true),
        // Government Departments
        ("dwp", "Department for Work and Pensions (DWP)", GovernmentDepartments, Controller, false),
        ("dfe", "Department for Education (DfE)", GovernmentDepartments, Controller, false),
        ("mhclg", "Ministry of Housing, Communities and Local Government", GovernmentDepartments, Controller, false),
        ("moj", "Ministry of Justice", GovernmentDepartments, Controller, false),
        ("ofsted", "Ofsted", GovernmentDepartments, Controller, false),
        ("home-office", "Home Office", GovernmentDepartments, Controller, false),
        ("hmrc", "HM Revenue and Customs (HMRC)", GovernmentDepartments, Controller, false),
        // Financial and Housing ("Housing Services" is seed 000's local authority housing services)
        ("housing-associations", "Housing Associations", FinancialAndHousing, Controller, true),
        ("financial-services", "Financial Services", FinancialAndHousing, Controller, false),
        ("la-housing-services", "Local Authority Housing Services", FinancialAndHousing, Controller, true),
        // Other services providing support
        ("advocacy-services", "Advocacy Services", OtherServices, Controller, false),
        ("other-local-authorities", "Other Local Authorities", OtherServices, Controller, false),
        ("share-foundation", "The Share Foundation", OtherServices, Controller, false),
        ("other-voluntary-services", "Other Voluntary Services", OtherServices, Controller, false),
        ("dorset-wiltshire-fire", "Dorset & Wiltshire Fire and Rescue Service", OtherServices, Controller, true),
        ("dorset-pledge-partners", "Partner Organisations signed up to the Dorset Pledge", OtherServices, Controller, true),
        ("diis", "Dorset Intelligence and Insight Service (DiiS)", OtherServices, Processor, true),
        ("commissioned-third-parties", "Third Party Organisations commissioned by BCP Council", OtherServices, ControllerAndProcessor, false),
        ("dorset-csp", "Dorset Community Safety Partnership", OtherServices, Controller, true),
    ];

    pub const BCP: &str = "bcp-childrens";
    pub const AI1: &str = "Assessment and Intervention 1";
    pub const AI2: &str = "Assessment and Intervention 2";
    pub const CIC: &str = "Children in Care";
    pub const MASH: &str = "MASH";
    pub const EARLY_HELP_TEAM: &str = "Early Help";
    pub const IG: &str = "Information Governance";

    /// (organisation slug, team name); team names are unique across organisations.
    pub const TEAMS: &[(&str, &str)] = &[
        (BCP, AI1), (BCP, AI2), (BCP, CIC), (BCP, MASH), (BCP, EARLY_HELP_TEAM), (BCP, IG),
        ("dorset-police", "Public Protection"),
        ("harbourside-academy", "Safeguarding"),
        ("dorset-csp", "DHR Panel"),
    ];

    /// (username, display name, role, organisation slug, team), in the order `DemoSummary` lists them.
    pub const LOGINS: &[(&str, &str, Role, &str, Option<&str>)] = &[
        ("sw.demo", "Sam Walker (demo)", Role::Practitioner, BCP, Some(AI1)),
        ("tm.demo", "Tara Morgan (demo)", Role::TeamManager, BCP, Some(AI1)),
        ("mash.demo", "Max Ashby (demo)", Role::Hub, BCP, Some(MASH)),
        ("dpo.demo", "Dana Price (demo)", Role::Dpo, BCP, Some(IG)),
        ("cg.demo", "Chris Gordon (demo)", Role::CaldicottGuardian, BCP, Some(IG)),
        ("records.demo", "Rowan Ellis (demo)", Role::RecordsManager, BCP, Some(IG)),
        ("auditor.demo", "Ali Reid (demo)", Role::Auditor, BCP, Some(IG)),
        ("admin.demo", "Alex Adams (demo)", Role::Admin, BCP, None),
        ("police.demo", "Pat Oliver (demo)", Role::PartnerPractitioner, "dorset-police", Some("Public Protection")),
        ("school.demo", "Sue Hollis (demo)", Role::PartnerPractitioner, "harbourside-academy", Some("Safeguarding")),
        ("panel.demo", "Pam Nelson (demo)", Role::DhrPanel, "dorset-csp", Some("DHR Panel")),
    ];

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Abuse {
        Absent,
        /// The mother's partner, who lives in the household, abuses her.
        ByPartner,
        /// The children's father abuses the mother.
        ByFather,
    }

    pub struct WorkPlan {
        pub class: R,
        pub team: &'static str,
        /// Only the eldest child has this episode.
        pub eldest_only: bool,
    }

    pub struct FamilyPlan {
        pub children: usize,
        /// The youngest and eldest possible ages, in years.
        pub ages: (i16, i16),
        /// Episodes opened for the children, in order.
        pub work: &'static [WorkPlan],
        pub abuse: Abuse,
        /// An older, care-experienced sibling's age, and whether they have an open episode.
        pub care_leaver: Option<(i16, bool)>,
        pub disabled_eldest: bool,
    }

    const fn all(class: R, team: &'static str) -> WorkPlan {
        WorkPlan { class, team, eldest_only: false }
    }

    const fn eldest(class: R, team: &'static str) -> WorkPlan {
        WorkPlan { class, team, eldest_only: true }
    }

    const fn family(children: usize, ages: (i16, i16), work: &'static [WorkPlan], abuse: Abuse) -> FamilyPlan {
        FamilyPlan { children, ages, work, abuse, care_leaver: None, disabled_eldest: false }
    }

    const fn with_care_leaver(mut f: FamilyPlan, age: i16, with_episode: bool) -> FamilyPlan {
        f.care_leaver = Some((age, with_episode));
        f
    }

    const fn disabled(mut f: FamilyPlan) -> FamilyPlan {
        f.disabled_eldest = true;
        f
    }

    /// 22 families, 48 children; every record class is opened at least twice.
    pub const FAMILIES: &[FamilyPlan] = &[
        family(3, (1, 11), &[all(R::DomesticAbuseNotification, MASH), all(R::ChildProtectionPlan, AI1)], Abuse::ByPartner),
        family(2, (3, 9), &[all(R::DomesticAbuseNotification, MASH), all(R::ChildInNeed, AI2)], Abuse::ByFather),
        family(2, (0, 6), &[all(R::DomesticAbuseNotification, MASH)], Abuse::ByPartner),
        family(3, (2, 14), &[all(R::ChildProtectionPlan, AI1)], Abuse::Absent),
        family(2, (5, 12), &[all(R::ChildProtectionPlan, AI2)], Abuse::Absent),
        family(3, (4, 15), &[all(R::ChildInNeed, AI1)], Abuse::Absent),
        family(2, (1, 8), &[all(R::ChildInNeed, AI1)], Abuse::Absent),
        family(3, (0, 10), &[all(R::EarlyHelp, EARLY_HELP_TEAM)], Abuse::Absent),
        family(2, (6, 13), &[all(R::EarlyHelp, EARLY_HELP_TEAM)], Abuse::Absent),
        family(2, (13, 16), &[all(R::ChildInNeed, AI1), eldest(R::ChildSexualExploitation, AI1)], Abuse::Absent),
        family(1, (14, 16), &[all(R::ChildSexualExploitation, AI2)], Abuse::Absent),
        with_care_leaver(family(3, (3, 15), &[all(R::LookedAfter, CIC)], Abuse::Absent), 20, true),
        family(2, (8, 14), &[all(R::Fostering, CIC)], Abuse::Absent),
        with_care_leaver(family(2, (0, 4), &[all(R::LookedAfter, CIC), all(R::Adoption, CIC)], Abuse::Absent), 22, false),
        with_care_leaver(family(1, (1, 3), &[all(R::Adoption, CIC)], Abuse::Absent), 24, false),
        disabled(family(3, (4, 16), &[eldest(R::Send, EARLY_HELP_TEAM)], Abuse::Absent)),
        disabled(family(2, (5, 12), &[eldest(R::Send, EARLY_HELP_TEAM), all(R::ChildInNeed, AI1)], Abuse::Absent)),
        family(2, (6, 15), &[eldest(R::Lado, MASH)], Abuse::Absent),
        family(1, (9, 12), &[eldest(R::Lado, MASH)], Abuse::Absent),
        family(3, (2, 16), &[all(R::ChildInNeed, AI1), eldest(R::Complaint, IG)], Abuse::Absent),
        family(2, (7, 13), &[all(R::EarlyHelp, EARLY_HELP_TEAM), eldest(R::Complaint, IG)], Abuse::Absent),
        family(2, (0, 5), &[all(R::ChildProtectionPlan, AI1)], Abuse::Absent),
    ];

    pub const GIRLS: &[&str] = &[
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Mia",
        "Ivy",
        "Lily",
        "Isabella",
        "Sophia",
        "Grace",
        "Freya",
        "Emily",
        "Poppy",
        "Ella",
        "Evie",
        "Charlotte",
        "Daisy",
        "Ruby",
        "Florence",
        "Willow",
        "Phoebe",
        "Millie",
        "Harper",
        "Rosie",
    ];
    pub const BOYS: &[&str] = &[
        "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theo",
        "Freddie", "Jack", "Charlie", "Finley", "Alfie", "Thomas", "Jacob", "Isaac", "Reggie",
        "Teddy", "Logan", "Riley", "Mason", "Ethan",
    ];
    pub const WOMEN: &[&str] = &[
        "Sarah", "Emma", "Laura", "Rebecca", "Gemma", "Kirsty", "Hayley", "Claire", "Nicola",
        "Stacey", "Lisa", "Joanne", "Donna", "Kelly", "Amy", "Natalie", "Zoe", "Leanne",
    ];
    pub const MEN: &[&str] = &[
        "Daniel", "James", "Lee", "Craig", "Mark", "Paul", "Wayne", "Ryan", "Darren", "Stuart",
        "Kevin", "Gary", "Adam", "Jamie", "Scott", "Dean", "Carl", "Shaun",
    ];
    pub const OLDER_WOMEN: &[&str] = &[
        "Margaret",
        "Susan",
        "Linda",
        "Patricia",
        "Carol",
        "Janet",
        "Christine",
        "Elaine",
        "Sandra",
        "Pauline",
    ];
    pub const SURNAMES: &[&str] = &[
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
        "Wright", "Thompson", "Evans", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Hughes", "Edwards", "Turner", "Cooper", "Hill", "Ward", "Harris", "Martin",
        "Baker", "Moore", "King", "Lewis", "Allen", "Mitchell", "Carter", "Phillips", "Bennett",
        "Parker", "Collins", "Shaw", "Price",
    ];
    /// Invented street names.
    pub const STREETS: &[&str] = &[
        "Harbour View Road",
        "Quayside Close",
        "Saltmarsh Lane",
        "Heron Way",
        "Ferry Approach",
        "Chine Walk",
        "Gull Crescent",
        "Lighthouse Lane",
        "Anchor Close",
        "Tidal Way",
        "Seagrass Road",
        "Compass Court",
        "Driftwood Avenue",
        "Oyster Mews",
        "Mariners Walk",
        "Clifftop Rise",
        "Beacon Gardens",
        "Kestrel Drive",
    ];
    /// Outward codes and post towns; the first `BCP_TOWNS` are in Bournemouth, Christchurch and Poole.
    pub const TOWNS: &[(&str, &str)] = &[
        ("BH1", "Bournemouth"),
        ("BH5", "Bournemouth"),
        ("BH6", "Bournemouth"),
        ("BH7", "Bournemouth"),
        ("BH8", "Bournemouth"),
        ("BH9", "Bournemouth"),
        ("BH10", "Bournemouth"),
        ("BH11", "Bournemouth"),
        ("BH12", "Poole"),
        ("BH14", "Poole"),
        ("BH15", "Poole"),
        ("BH17", "Poole"),
        ("BH23", "Christchurch"),
        ("BH18", "Broadstone"),
        ("BH21", "Wimborne"),
        ("DT1", "Dorchester"),
        ("DT4", "Weymouth"),
    ];
    pub const BCP_TOWNS: usize = 13;
    /// The letters BS7666 allows in the last two places of a postcode.
    pub const INWARD_LETTERS: &str = "ABDEFGHJLNPQRSTUWXYZ";

    /// Where an entry's information came from.
    #[derive(Debug, Clone, Copy)]
    pub enum Src {
        /// The member of staff recording it.
        Staff,
        /// The child's parent (or the young person themselves).
        Family,
        /// A partner organisation, by slug.
        Org(&'static str),
    }

    /// An entry template; `{child}` is replaced by the child's given name.
    pub struct Tpl {
        pub kind: K,
        pub subject: &'static str,
        pub detail: &'static str,
        pub location: Option<&'static str>,
        pub source: Src,
        pub categories: &'static [C],
    }

    const fn t(
        kind: K,
        subject: &'static str,
        detail: &'static str,
        location: Option<&'static str>,
        source: Src,
        categories: &'static [C],
    ) -> Tpl {
        Tpl {
            kind,
            subject,
            detail,
            location,
            source,
            categories,
        }
    }

    const HOME: Option<&str> = Some("Family home");
    const PHONE: Option<&str> = Some("Telephone");
    const OFFICE: Option<&str> = Some("Children's Services office");
    const NOWHERE: Option<&str> = None;

    // Each story's first two templates are always used, so every entry kind and every special
    // category appears among them somewhere.
    pub const EARLY_HELP: &[Tpl] = &[
        t(K::Contact, "Request for early help", "Mother phoned asking for help with {child}'s sleep and behaviour at home; consented to an early help assessment.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::Family]),
        t(K::Assessment, "Early help assessment", "Early help assessment completed at home. Strengths: warm relationships, good school attendance. Needs: routines, parenting support.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::Family]),
        t(K::Plan, "Team around the family plan", "Plan agreed: parenting course (6 sessions), school mentor for {child}, review in 6 weeks.", Some("Family hub"), Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
        t(K::InformationReceived, "Update from school", "School reports {child}'s attendance has improved to 96% this half term.", NOWHERE, Src::Org("harbourside-academy"), &[C::EducationAndEarlyYears]),
        t(K::Meeting, "Team around the family review", "Review: routines improving and the family feel more confident. Step down to universal services if sustained.", Some("Family hub"), Src::Staff, &[C::AssessmentAndPlans, C::Family]),
    ];

    pub const CHILD_IN_NEED: &[Tpl] = &[
        t(K::InformationReceived, "Referral from health visitor", "Health visitor concerned about home conditions and missed health appointments for {child}.", NOWHERE, Src::Org("health-visitors"), &[C::Family, C::PhysicalOrMentalHealth]),
        t(K::Assessment, "Child and family assessment", "Assessment concluded {child} is a child in need: parent struggling with low mood; home conditions variable; no immediate safeguarding concerns.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::Family, C::PhysicalOrMentalHealth]),
        t(K::Plan, "Child in need plan", "Plan: parent to see GP about low mood, nursery place to be arranged, visits every 4 weeks, review in 3 months.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
        t(K::Contact, "Home visit", "Home visit: children seen together; home conditions adequate. {child} showed the worker their bedroom.", HOME, Src::Family, &[C::Family]),
        t(K::Note, "Visit rearranged", "Parent cancelled the planned visit because of illness; rearranged for next week.", NOWHERE, Src::Family, &[C::Family]),
    ];

    pub const CHILD_PROTECTION: &[Tpl] = &[
        t(K::InformationReceived, "Police information", "Police attended the address after a report of shouting; {child} was present. An adult was arrested for criminal damage.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::CriminalOffence, C::Family]),
        t(K::Meeting, "Initial child protection conference", "Conference decided {child} should have a child protection plan under the category of neglect. Parents attended with an advocate.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
        t(K::Plan, "Child protection plan", "Outline plan: weekly visits, parenting assessment, GP to review parent's medication, core group every 4 weeks.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection, C::PhysicalOrMentalHealth]),
        t(K::Contact, "Statutory visit", "Statutory visit: {child} seen alone and said they feel safe at home. Food in the cupboards; house tidy.", HOME, Src::Family, &[C::ChildProtection]),
        t(K::ProfessionalOpinion, "Social worker's analysis", "In my view risks are reducing: parents engaging with services and home conditions consistently adequate. Recommend review at the next conference.", NOWHERE, Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
    ];

    pub const LOOKED_AFTER: &[Tpl] = &[
        t(K::Note, "Child became looked after", "{child} accommodated under section 20 with parental consent and placed with local authority foster carers.", OFFICE, Src::Staff, &[C::AdoptionAndFostering, C::ChildProtection]),
        t(K::InformationReceived, "Initial health assessment", "Looked-after children's nurse completed the initial health assessment: immunisations up to date; dental check requested.", NOWHERE, Src::Org("nhs"), &[C::PhysicalOrMentalHealth]),
        t(K::Meeting, "Looked after review", "First review chaired by the independent reviewing officer; care plan endorsed; family time twice weekly.", Some("Foster home"), Src::Staff, &[C::AdoptionAndFostering, C::AssessmentAndPlans]),
        t(K::InformationReceived, "Personal education plan", "Virtual school confirms the personal education plan is complete; {child} is getting extra reading support.", NOWHERE, Src::Org("virtual-school"), &[C::EducationAndEarlyYears]),
        t(K::Contact, "Family time", "Supervised family time at the contact centre went well; {child} was pleased to see their mother.", Some("Contact centre"), Src::Family, &[C::Family]),
    ];

    pub const EXPLOITATION: &[Tpl] = &[
        t(K::InformationReceived, "Missing from home", "Police report {child} was missing overnight and found in a car with two adult males; exploitation suspected and under investigation.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::ChildSexualExploitation, C::CriminalOffence]),
        t(K::InformationReceived, "Sexual health information", "School nurse shares, with {child}'s agreement, that {child} attended a sexual health clinic and mentioned an older 'boyfriend'.", NOWHERE, Src::Org("school-nurses"), &[C::ChildSexualExploitation, C::PhysicalOrMentalHealth, C::SexualityOrSexualHealth]),
        t(K::Assessment, "Exploitation risk assessment", "Exploitation screening tool completed with {child}: risk assessed as significant. Disruption plan to be agreed with police.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::ChildSexualExploitation]),
        t(K::Meeting, "Strategy meeting", "Strategy meeting with police, school and health: safety plan agreed, including a trusted adult at school and location checks.", Some("Video call"), Src::Staff, &[C::ChildProtection, C::ChildSexualExploitation]),
        t(K::ProfessionalOpinion, "Worker's view", "{child} is beginning to trust their youth worker but still minimises the risk. Continue weekly direct work.", NOWHERE, Src::Staff, &[C::ChildSexualExploitation]),
    ];

    pub const DOMESTIC_ABUSE: &[Tpl] = &[
        t(K::InformationReceived, "Police domestic abuse notification", "Police attended a domestic incident at the home overnight; {child} was in the house. Adult male arrested on suspicion of assault; risk assessed as medium.", NOWHERE, Src::Org("dorset-police"), &[C::ChildProtection, C::CriminalOffence, C::Family]),
        t(K::ProfessionalOpinion, "MASH screening decision", "Checks with police, health and education completed. In the MASH's view the threshold for a statutory assessment is not met; information shared with school and health visitor.", Some("MASH office"), Src::Staff, &[C::AssessmentAndPlans, C::ChildProtection]),
        t(K::InformationReceived, "GP check", "GP confirms mother attended recently about anxiety; no concerns noted for {child}.", NOWHERE, Src::Org("gp"), &[C::PhysicalOrMentalHealth]),
        t(K::Contact, "Call to mother", "Mother spoken to by phone; safety plan discussed and details of the local domestic abuse service given.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::Family]),
        t(K::Note, "Information shared", "Notification shared with the school's designated safeguarding lead under Operation Encompass.", NOWHERE, Src::Staff, &[C::ChildProtection, C::EducationAndEarlyYears]),
    ];

    pub const LADO: &[Tpl] = &[
        t(K::InformationReceived, "Allegation against a member of staff", "School reports that {child} alleges a staff member grabbed their arm in a corridor. Staff member suspended pending enquiries; police informed.", NOWHERE, Src::Org("harbourside-academy"), &[C::ChildProtection, C::CriminalOffence]),
        t(K::Meeting, "Allegation management meeting", "Meeting with school, police and HR. The staff member's trade union representative will attend interviews. Police will not investigate further.", Some("Video call"), Src::Staff, &[C::ChildProtection, C::TradeUnionMembership]),
        t(K::Contact, "Parent informed", "Parent told about the allegations process and timescales; agreed how updates will be shared.", PHONE, Src::Family, &[C::ChildProtection, C::Family]),
        t(K::ProfessionalOpinion, "LADO outcome", "Allegation unsubstantiated: not enough evidence to prove or disprove it. School to refresh staff training on physical intervention.", NOWHERE, Src::Staff, &[C::ChildProtection]),
        t(K::Note, "Outcome letters sent", "Outcome letters sent to the school and the parent.", NOWHERE, Src::Staff, &[C::ChildProtection]),
    ];

    pub const SEND: &[Tpl] = &[
        t(K::InformationReceived, "CAMHS letter", "CAMHS confirm {child} has a diagnosis of autism with anxiety and recommend a predictable, structured school day.", NOWHERE, Src::Org("camhs"), &[C::PhysicalOrMentalHealth, C::SpecialEducationalNeeds]),
        t(K::Plan, "Education, health and care plan", "EHC plan issued: 1:1 support in class, speech and language therapy, SEND transport to school.", OFFICE, Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears, C::SpecialEducationalNeeds]),
        t(K::Contact, "Parent's views", "Parent agrees the plan and asks about short breaks at weekends.", PHONE, Src::Family, &[C::Family, C::SpecialEducationalNeeds]),
        t(K::Assessment, "Short breaks assessment", "Short breaks assessment: family eligible for a monthly weekend break with in-house carers.", HOME, Src::Staff, &[C::AssessmentAndPlans, C::SpecialEducationalNeeds]),
        t(K::Meeting, "Annual review", "Annual review at school: good progress with communication; transport arrangements working well.", Some("Harbourside Academy"), Src::Staff, &[C::EducationAndEarlyYears, C::SpecialEducationalNeeds]),
    ];

    pub const FOSTERING: &[Tpl] = &[
        t(K::Contact, "Private fostering notification", "Mother told us {child} will live with a family friend for four months while she works abroad.", PHONE, Src::Family, &[C::AdoptionAndFostering, C::Family]),
        t(K::Assessment, "Private fostering assessment", "Carers share the family's Catholic faith and take {child} to Mass; carers and child share a mixed White and Black Caribbean heritage. Arrangement suitable.", Some("Carers' home"), Src::Staff, &[C::AdoptionAndFostering, C::Ethnicity, C::ReligiousOrPhilosophicalBeliefs]),
        t(K::InformationReceived, "DBS checks", "Disclosure and Barring Service checks on both carers returned with nothing disclosed.", NOWHERE, Src::Org("dbs"), &[C::AdoptionAndFostering, C::CriminalOffence]),
        t(K::Note, "Visit to the arrangement", "Visited {child} at the carers' home; settled, attending school, speaks to mother by video call weekly.", Some("Carers' home"), Src::Staff, &[C::AdoptionAndFostering]),
        t(K::Meeting, "Arrangement review", "Review with carers and mother: arrangement continues until mother returns next month.", Some("Video call"), Src::Staff, &[C::AdoptionAndFostering, C::Family]),
    ];

    pub const ADOPTION: &[Tpl] = &[
        t(K::Assessment, "Child permanence report", "Child permanence report drafted: {child}'s heritage is White British and Polish; the birth family are Catholic and ask that {child} learns about the faith.", OFFICE, Src::Staff, &[C::AdoptionAndFostering, C::Ethnicity, C::ReligiousOrPhilosophicalBeliefs]),
        t(K::InformationReceived, "DNA test result", "Court-directed DNA test result received: the named man is confirmed as {child}'s biological father.", NOWHERE, Src::Org("court-services"), &[C::AdoptionAndFostering, C::Family, C::GeneticOrBiometric]),
        t(K::Meeting, "Adoption panel", "Adoption panel recommended the match with adopters approved through Aspire Adoption.", OFFICE, Src::Staff, &[C::AdoptionAndFostering]),
        t(K::Plan, "Transition plan", "Introductions over two weeks with the foster carers' support; later-life letter to be written.", Some("Foster home"), Src::Staff, &[C::AdoptionAndFostering, C::AssessmentAndPlans]),
        t(K::InformationReceived, "Adoption support", "Aspire Adoption confirms post-adoption support has been offered to the family.", NOWHERE, Src::Org("aspire-adoption"), &[C::AdoptionAndFostering]),
    ];

    pub const COMPLAINT: &[Tpl] = &[
        t(K::Contact, "Complaint received", "Parent complains that the assessment about {child} was inaccurate and that a worker remarked on their political views during a visit.", PHONE, Src::Family, &[C::AdviceAndGuidance, C::PoliticalOpinions]),
        t(K::Note, "Complaint acknowledged", "Stage 1 complaint logged and acknowledged within 3 working days; investigating manager appointed.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
        t(K::Meeting, "Resolution meeting", "Met the parent to talk through the concerns; agreed which parts of the assessment are disputed.", OFFICE, Src::Staff, &[C::AdviceAndGuidance, C::AssessmentAndPlans]),
        t(K::ProfessionalOpinion, "Investigating manager's findings", "Partly upheld: factual errors in the assessment will be corrected; no evidence found about the remarks alleged.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance, C::AssessmentAndPlans]),
        t(K::Note, "Stage 1 response sent", "Response letter sent explaining the findings and how to ask for stage 2.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
    ];

    pub const CARE_LEAVER: &[Tpl] = &[
        t(K::Meeting, "Pathway plan review", "Pathway plan reviewed with {child}: in supported lodgings, at college part-time, wants help to find a flat.", Some("Supported lodgings"), Src::Staff, &[C::AssessmentAndPlans, C::EducationAndEarlyYears]),
        t(K::Contact, "Call with personal adviser", "{child} phoned their personal adviser about a housing association application; adviser helped complete the form.", PHONE, Src::Family, &[C::AdviceAndGuidance]),
        t(K::InformationReceived, "Housing update", "Housing association confirms {child} is shortlisted for a one-bedroom flat.", NOWHERE, Src::Org("housing-associations"), &[C::AdviceAndGuidance]),
        t(K::Note, "Setting-up-home allowance", "Setting-up-home allowance agreed for furniture and white goods.", NOWHERE, Src::Staff, &[C::AdviceAndGuidance]),
        t(K::ProfessionalOpinion, "Personal adviser's view", "{child} is managing a tenancy budget well and is ready for less frequent contact.", NOWHERE, Src::Staff, &[C::AssessmentAndPlans]),
    ];

    pub const CLOSING_NOTE: Tpl = t(
        K::Note,
        "Episode closed",
        "Closed: agreed outcomes met and the family know how to ask for help again.",
        NOWHERE,
        Src::Staff,
        &[C::AssessmentAndPlans],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use data::{IG, MASH};
    use harbour_domain::{ControllerRole, DataCategory, EntryKind, OrgCategory};
    use jiff::civil::date;

    /// Days the data set is checked against: an ordinary Monday, a leap day, a Sunday and New Year's Day.
    const TODAYS: [(i16, i8, i8); 4] = [(2026, 11, 23), (2028, 2, 29), (2027, 6, 6), (2030, 1, 1)];

    fn plans() -> impl Iterator<Item = (Plan, Date)> {
        TODAYS.into_iter().map(|(y, m, d)| date(y, m, d)).map(|today| (Plan::build(today), today))
    }

    fn plan() -> (Plan, Date) {
        plans().next().expect("at least one day")
    }

    #[test]
    fn generated_nhs_numbers_are_valid_and_in_the_test_range() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let digits = test_nhs_digits(&mut rng);
            assert!(digits.starts_with("999"), "{digits}");
            assert!(NhsNumber::parse(&digits).is_ok(), "{digits}");
        }
        assert_eq!(nhs_check_digit("999123456"), None); // 999 123 4560 in identifiers.rs
    }

    #[test]
    fn the_organisation_table_is_complete_and_unambiguous() {
        let slugs: HashSet<&str> = data::ORGANISATIONS.iter().map(|r| r.0).collect();
        assert_eq!(slugs.len(), data::ORGANISATIONS.len(), "slugs are unique");
        let names: HashSet<&str> = data::ORGANISATIONS.iter().map(|r| r.1).collect();
        assert_eq!(names.len(), data::ORGANISATIONS.len(), "names are unique");
        for slug in &slugs {
            assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug}");
        }
        for category in OrgCategory::ALL {
            assert!(data::ORGANISATIONS.iter().any(|r| r.2 == category), "{category:?}");
        }
        for role in [ControllerRole::Controller, ControllerRole::Processor, ControllerRole::ControllerAndProcessor] {
            assert!(data::ORGANISATIONS.iter().any(|r| r.3 == role), "{role:?}");
        }
        let bcp = &data::ORGANISATIONS[0];
        assert_eq!(
            (bcp.0, bcp.2, bcp.3, bcp.4),
            ("bcp-childrens", OrgCategory::LocalAuthority, ControllerRole::Controller, true)
        );
        for (org, _) in data::TEAMS {
            assert!(slugs.contains(org), "{org}");
        }
    }

    #[test]
    fn every_slug_team_and_user_named_in_the_tables_exists() {
        let (plan, _) = plan();
        let dir = Directory::new(&plan.organisations);
        for story in RecordClass::ALL.map(Story::Class).into_iter().chain([Story::CareLeaver]) {
            for tpl in story.templates() {
                if let Src::Org(slug) = tpl.source {
                    assert!(dir.orgs.contains_key(slug), "{slug}");
                }
            }
        }
        let usernames: Vec<&str> = plan.users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(
            usernames,
            [
                "sw.demo",
                "tm.demo",
                "mash.demo",
                "dpo.demo",
                "cg.demo",
                "records.demo",
                "auditor.demo",
                "admin.demo",
                "police.demo",
                "school.demo",
                "panel.demo"
            ]
        );
        let summary = plan.summary();
        assert_eq!(summary.logins.len(), plan.users.len());
        assert_eq!(summary.logins[0].organisation, "BCP Council Children's Services");
        assert!(plan.users.iter().all(|u| u.active));
        assert_eq!(Role::ALL.len(), plan.users.iter().map(|u| u.role).collect::<HashSet<_>>().len());
    }

    #[test]
    fn people_are_synthetic_and_well_formed() {
        for (plan, today) in plans() {
            assert!((45..=55).contains(&plan.children), "{} children", plan.children);
            let mut nhs = HashSet::new();
            for p in &plan.people {
                if let Some(n) = &p.nhs_number {
                    assert!(n.digits().starts_with("999"));
                    assert!(nhs.insert(n.digits().to_string()), "duplicate {n}");
                }
                if let Some(pc) = p.address.as_ref().and_then(|a| a.postcode.as_ref()) {
                    assert!(pc.as_str().starts_with("BH") || pc.as_str().starts_with("DT"), "{pc}");
                }
                if let Some(dob) = p.date_of_birth {
                    assert!(dob < today);
                }
            }
            let leavers: Vec<i16> = plan
                .people
                .iter()
                .filter(|p| p.care_experienced)
                .filter_map(|p| p.date_of_birth)
                .map(|d| age_on(d, today))
                .filter(|&a| a >= 19)
                .collect();
            assert!(leavers.len() >= 2 && leavers.iter().all(|a| (19..=24).contains(a)), "{leavers:?}");
            assert!(plan.people.iter().filter(|p| p.disability).count() >= 2);
            assert!(plan.people.iter().any(|p| p.date_of_birth.is_none()));
            assert!(plan.people.iter().filter(|p| p.upn.is_some()).count() >= 20);
            let perpetrators = plan.relationships.iter().filter(|r| r.kind == RelationshipKind::PerpetratorOf).count();
            assert_eq!(perpetrators, 3);
            assert!(plan.relationships.iter().any(|r| r.kind == RelationshipKind::HouseholdMember));
            assert!(plan
                .relationships
                .iter()
                .any(|r| r.kind == RelationshipKind::ParentCarer { parental_responsibility: false }));
        }
    }

    #[test]
    fn episodes_cover_every_class_and_keep_to_the_date_rules() {
        for (plan, today) in plans() {
            let people: HashMap<PersonId, &Person> = plan.people.iter().map(|p| (p.id, p)).collect();
            for class in RecordClass::ALL {
                let n = plan.episodes.iter().filter(|e| e.record_class == class).count();
                assert!(n >= 2, "{class:?}: {n}");
            }
            for ep in &plan.episodes {
                let person = people[&ep.person_id];
                assert!(
                    ep.opened_on <= add_days(today, -NEWEST_OPENING_DAYS)
                        && ep.opened_on >= add_days(today, -OLDEST_OPENING_DAYS)
                );
                assert!(ep.opened_on >= person.date_of_birth.expect("subjects have a date of birth"));
                assert!(harbour_domain::episode::check_dates(ep.opened_on, ep.closed_on, today).is_ok());
                assert!(Eligibility::of(person, ep.opened_on).eligible);
                assert!(ep.eligibility_override.is_none());
            }
        }
    }

    #[test]
    fn about_a_third_of_episodes_are_closed_and_sw_demo_has_work() {
        for (plan, _) in plans() {
            let closed = plan.episodes.iter().filter(|e| e.closed_on.is_some()).count();
            let share = closed as f64 / plan.episodes.len() as f64;
            assert!((0.25..=0.45).contains(&share), "{closed} of {} closed", plan.episodes.len());
            let ai1 = plan.dir_team(AI1);
            let ai1_children: HashSet<PersonId> =
                plan.episodes.iter().filter(|e| e.team_id == ai1).map(|e| e.person_id).collect();
            assert!(ai1_children.len() >= 8);
            assert!(plan.episodes.iter().any(|e| e.worker_id == Some(plan.users[0].id)));
            for (class, team) in [
                (RecordClass::EarlyHelp, data::EARLY_HELP_TEAM),
                (RecordClass::DomesticAbuseNotification, MASH),
                (RecordClass::Fostering, CIC),
                (RecordClass::Complaint, IG),
            ] {
                assert!(plan
                    .episodes
                    .iter()
                    .filter(|e| e.record_class == class)
                    .all(|e| e.team_id == plan.dir_team(team)));
            }
        }
    }

    #[test]
    fn entries_cover_every_kind_and_category_and_fall_inside_their_episode() {
        for (plan, today) in plans() {
            let episodes: HashMap<EpisodeId, &Episode> = plan.episodes.iter().map(|e| (e.id, e)).collect();
            for ep in &plan.episodes {
                let n = plan.entries.iter().filter(|(e, _)| e.episode_id == ep.id).count();
                assert!((2..=5).contains(&n), "{n} entries");
            }
            let mut kinds = HashSet::new();
            let mut categories = HashSet::new();
            for (entry, subject) in &plan.entries {
                let ep = episodes[&entry.episode_id];
                assert_eq!(*subject, ep.person_id);
                let day = entry.occurred_at.date();
                assert!(day >= ep.opened_on && day < today && ep.closed_on.is_none_or(|c| day <= c));
                assert!((9..=17).contains(&entry.occurred_at.hour()));
                assert!(!entry.categories.is_empty() && entry.categories.windows(2).all(|w| w[0] < w[1]));
                assert!(!entry.detail.contains('{'));
                kinds.insert(entry.kind);
                categories.extend(entry.categories.iter().copied());
            }
            assert_eq!(kinds.len(), EntryKind::ALL.len());
            for c in DataCategory::ALL.into_iter().filter(|c| c.is_special() || c.is_criminal_offence()) {
                assert!(categories.contains(&c), "{c:?}");
            }
            let sources: HashSet<&str> = plan.entries.iter().map(|(e, _)| e.source.kind_code()).collect();
            assert_eq!(sources.len(), 3);
        }
    }

    #[test]
    fn the_data_set_is_the_same_every_time() {
        let (a, _) = plan();
        let (b, _) = plan();
        let names = |p: &Plan| {
            p.people.iter().map(|x| (x.full_name(), x.date_of_birth, x.nhs_number.clone())).collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.episodes.len(), b.episodes.len());
        assert_eq!(a.entries.len(), b.entries.len());
    }

    impl Plan {
        fn dir_team(&self, name: &str) -> TeamId {
            self.teams.iter().find(|t| t.name == name).map(|t| t.id).expect("team exists")
        }
    }
}
