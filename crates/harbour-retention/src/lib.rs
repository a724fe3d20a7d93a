//! The retention schedule as code.
//!
//! Every retention row of every policy pack becomes a [`RetentionClass`]: what it covers, its
//! trigger (date of birth, case closure, leaving school, creation, publication) and its period.
//! A record's disposal date is the trigger date plus the period ([`RetentionClass::disposal`]),
//! or the statutory floor for its record class when that is later ([`floors`],
//! [`RetentionClass::disposal_of`]). [`LegalHold`]s override every date. [`assess`] decides,
//! for one person's records, whether they are due for review on a given day, not yet, waiting
//! for a trigger, or held.
//!
//! Nothing here touches the database: the store keeps the computed dates and the holds, and the
//! sweep streams them through [`Sweep`].

use std::collections::BTreeMap;
use std::fmt;

use harbour_domain::{EpisodeId, PersonId, RecordClass};
pub use harbour_domain::{HoldScope, LegalHold};
use harbour_policy::pack::PolicyPack;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod floors;
#[cfg(test)]
mod tests;

pub use floors::{apply_floor, floor_for, Floor, FloorDate, FLOORS};

/// What a retention period counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    DateOfBirth,
    CaseClosure,
    LeavingSchool,
    Creation,
    Publication,
}

impl Trigger {
    pub const ALL: [Trigger; 5] =
        [Trigger::DateOfBirth, Trigger::CaseClosure, Trigger::LeavingSchool, Trigger::Creation, Trigger::Publication];

    pub fn code(self) -> &'static str {
        match self {
            Trigger::DateOfBirth => "date_of_birth",
            Trigger::CaseClosure => "case_closure",
            Trigger::LeavingSchool => "leaving_school",
            Trigger::Creation => "creation",
            Trigger::Publication => "publication",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// In words, for pages and messages: "the case is closed".
    pub fn label(self) -> &'static str {
        match self {
            Trigger::DateOfBirth => "the date of birth",
            Trigger::CaseClosure => "the closure of the case",
            Trigger::LeavingSchool => "the date the child left school",
            Trigger::Creation => "the date the record was made",
            Trigger::Publication => "the publication of the report",
        }
    }

    /// The `harbour retention date` option that supplies this trigger's date.
    pub fn flag(self) -> &'static str {
        match self {
            Trigger::DateOfBirth => "--dob",
            Trigger::CaseClosure => "--closed",
            Trigger::LeavingSchool => "--left-school",
            Trigger::Creation => "--created",
            Trigger::Publication => "--published",
        }
    }
}

/// The dates a record's triggers may fall on; unknown or not yet happened is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Facts {
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub left_school: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub created: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub published: Option<Date>,
    /// The date of death of the person the record is about (for the looked-after floor).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub died: Option<Date>,
}

impl Facts {
    pub fn get(&self, trigger: Trigger) -> Option<Date> {
        match trigger {
            Trigger::DateOfBirth => self.date_of_birth,
            Trigger::CaseClosure => self.closed,
            Trigger::LeavingSchool => self.left_school,
            Trigger::Creation => self.created,
            Trigger::Publication => self.published,
        }
    }
}

/// When a record may be disposed of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Disposal {
    /// On this date (the review is due from it).
    On {
        #[schema(value_type = String, format = Date)]
        date: Date,
        /// The statutory floor that set the date: one later than the row's own date, or the
        /// row itself when it is the law's (`statutory/adoption`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        floor: Option<Floor>,
    },
    /// Not until the trigger happens (an open case has no closure date yet).
    Pending { trigger: Trigger },
    /// Kept permanently.
    Never,
}

impl Disposal {
    pub fn date(self) -> Option<Date> {
        match self {
            Disposal::On { date, .. } => Some(date),
            _ => None,
        }
    }

    /// The statutory floor that set the date, if one did.
    pub fn floor(self) -> Option<Floor> {
        match self {
            Disposal::On { floor, .. } => floor,
            _ => None,
        }
    }
}

impl fmt::Display for Disposal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Disposal::On { date, floor: None } => write!(f, "{date}"),
            Disposal::On { date, floor: Some(floor) } => write!(f, "{date} ({})", floor.describe()),
            Disposal::Pending { trigger } => write!(f, "pending: counts from {}", trigger.label()),
            Disposal::Never => f.write_str("never"),
        }
    }
}

/// `date` plus `years` calendar years. 29 February plus N years is 1 March when the target year
/// has no 29 February: the period has not run on 28 February, and disposal comes no earlier than
/// the notice says (issue 11). A date past the calendar's end (year 9999) stays at its end.
pub fn add_years(date: Date, years: u32) -> Date {
    i32::try_from(years).ok().and_then(|y| harbour_domain::anniversary(date, y)).unwrap_or(Date::MAX)
}

/// One row of a pack's retention schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RetentionClass {
    /// The pack (notice) the row belongs to.
    pub notice: String,
    /// The row's id in that pack.
    pub row: String,
    /// What the row covers, in the notice's words.
    pub text: String,
    /// The period in the notice's words.
    pub period: String,
    pub trigger: Trigger,
    /// None when the row is permanent.
    pub years: Option<u32>,
    pub record_classes: Vec<RecordClass>,
    /// Set on a row that is a statutory floor itself rather than a notice's row (see
    /// [`STATUTORY`]): its dates name the floor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statutory: Option<Floor>,
}

/// The "notice" of the rows that are statutory floors themselves (`statutory/adoption`).
pub const STATUTORY: &str = "statutory";

/// The rows that are statutory floors, for record classes a notice may not cover. Adoption: the
/// council's schedule has no adoption row (the adoption agency keeps those records), so an
/// adoption episode is kept under the law's own floor rather than refused or put under some
/// unrelated row; a notice that does list adoption is consulted first.
fn statutory_rows() -> Vec<RetentionClass> {
    vec![RetentionClass {
        notice: STATUTORY.into(),
        row: "adoption".into(),
        text: "Adoption case records".into(),
        period: format!("100 years from the adoption order ({})", Floor::AdoptionOrder.source()),
        trigger: Trigger::CaseClosure,
        years: Some(100),
        record_classes: vec![RecordClass::Adoption],
        statutory: Some(Floor::AdoptionOrder),
    }]
}

impl RetentionClass {
    /// `notice/row`, as stored on records and given on the command line.
    pub fn key(&self) -> String {
        format!("{}/{}", self.notice, self.row)
    }

    /// The row's own disposal date for a record whose trigger dates are `facts` (no floor).
    pub fn disposal(&self, facts: &Facts) -> Disposal {
        let Some(years) = self.years else { return Disposal::Never };
        match facts.get(self.trigger) {
            Some(d) => Disposal::On { date: add_years(d, years), floor: self.statutory },
            None => Disposal::Pending { trigger: self.trigger },
        }
    }

    /// The disposal date of a `record_class` record kept under this row: the later of the
    /// row's date and the statutory floor for the record class, whatever row it was given.
    pub fn disposal_of(&self, record_class: RecordClass, facts: &Facts) -> Disposal {
        apply_floor(self.disposal(facts), floor_for(record_class, facts))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    #[error("no retention class {0:?}: give it as NOTICE/ROW, e.g. bcp-childrens-services/child-protection-plan")]
    UnknownClass(String),
    #[error("no retention row of the notices covers record class {0}; choose a retention class for it")]
    Unmapped(&'static str),
    #[error("retention class {class} is for {covers}, not for {record_class} records")]
    WrongClass { class: String, covers: String, record_class: &'static str },
}

/// Every pack's retention rows, with the schedule pack (the council's published schedule)
/// consulted first when a record class is kept under rows of more than one notice, and the
/// statutory rows last.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    classes: Vec<RetentionClass>,
    by_key: BTreeMap<String, usize>,
}

/// The pack whose retention table is the council's schedule (seed 002).
pub const SCHEDULE_PACK: &str = "bcp-childrens-services";

impl Schedule {
    /// Builds the schedule from checked packs. Rows of the [`SCHEDULE_PACK`] come first.
    pub fn from_packs<'a>(packs: impl IntoIterator<Item = &'a PolicyPack>) -> Self {
        let mut packs: Vec<&PolicyPack> = packs.into_iter().collect();
        packs.sort_by_key(|p| (p.id() != SCHEDULE_PACK, p.id().to_string()));
        let mut out = Schedule::default();
        for pack in packs {
            for row in &pack.retention {
                let r = row.get_ref();
                // Checked packs always have a known trigger and a period or `permanent`.
                let Some(trigger) = r.trigger.as_ref().and_then(|t| Trigger::from_code(t.get_ref())) else {
                    continue;
                };
                let class = RetentionClass {
                    notice: pack.id().to_string(),
                    row: r.id.get_ref().clone(),
                    text: r.text.clone(),
                    period: r.period.clone(),
                    trigger,
                    years: if r.permanent { None } else { r.years },
                    record_classes: r
                        .record_classes
                        .iter()
                        .filter_map(|c| RecordClass::from_code(c.get_ref()))
                        .collect(),
                    statutory: None,
                };
                out.by_key.insert(class.key(), out.classes.len());
                out.classes.push(class);
            }
        }
        // The law's own rows come after every notice's, so a notice's row is the default.
        for class in statutory_rows() {
            out.by_key.insert(class.key(), out.classes.len());
            out.classes.push(class);
        }
        out
    }

    pub fn classes(&self) -> &[RetentionClass] {
        &self.classes
    }

    /// The class with key `notice/row`.
    pub fn class(&self, key: &str) -> Result<&RetentionClass, RetentionError> {
        self.by_key.get(key).map(|i| &self.classes[*i]).ok_or_else(|| RetentionError::UnknownClass(key.to_string()))
    }

    /// The row a record class is kept under by default: the schedule pack's, else the first
    /// other notice's that names it.
    pub fn for_record_class(&self, class: RecordClass) -> Option<&RetentionClass> {
        self.classes.iter().find(|c| c.record_classes.contains(&class))
    }

    /// The class for a new record of `record_class`: the one asked for (which must not be a row
    /// mapped to other record classes only), or the default.
    pub fn assign(&self, record_class: RecordClass, asked: Option<&str>) -> Result<&RetentionClass, RetentionError> {
        match asked {
            None => self.for_record_class(record_class).ok_or(RetentionError::Unmapped(record_class.code())),
            Some(key) => {
                let class = self.class(key)?;
                if !class.record_classes.is_empty() && !class.record_classes.contains(&record_class) {
                    return Err(RetentionError::WrongClass {
                        class: key.to_string(),
                        covers: class.record_classes.iter().map(|c| c.code()).collect::<Vec<_>>().join(", "),
                        record_class: record_class.code(),
                    });
                }
                Ok(class)
            }
        }
    }
}

/// Whether `hold` covers `record`, one of the records keeping `person`'s file.
pub fn covers(hold: &LegalHold, person: PersonId, record: &RecordDue) -> bool {
    match hold.scope {
        HoldScope::RecordClass { record_class } => record.record_class == record_class,
        HoldScope::Person { person_id } => person_id == person,
        HoldScope::Episode { episode_id } => episode_id == record.episode,
    }
}

/// One record that keeps a person's file: an episode of theirs, or of someone related to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecordDue {
    pub episode: EpisodeId,
    pub record_class: RecordClass,
    pub disposal: Disposal,
    /// An open episode is in use: its file is never due, whatever the row's date says (a
    /// row counting from the date of birth can pass while a case is still open).
    pub open: bool,
}

/// What the schedule says about one person's file on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every record's date has passed: the file goes to the review queue.
    Due {
        #[schema(value_type = String, format = Date)]
        due_on: Date,
    },
    /// Due, but held: never disposed of while the holds last.
    Held {
        #[schema(value_type = String, format = Date)]
        due_on: Date,
        holds: Vec<String>,
    },
    /// Kept until the latest record's date.
    NotYet {
        #[schema(value_type = String, format = Date)]
        due_on: Date,
    },
    /// A record's period has not started (an open case).
    Pending { episode: EpisodeId, trigger: Trigger },
    /// A record is kept permanently.
    Never { episode: EpisodeId },
    /// No record keeps this person (not queued: someone must decide what they are for).
    Unattached,
}

/// Assesses one person's file: it is due when every record that keeps it is past its date, and
/// held when a hold active on `as_of` covers the person or any of those records.
///
/// The verdict does not depend on the order of `records`: a record kept permanently outweighs
/// one waiting for its trigger (the file is kept either way, and "permanently" is the lasting
/// answer), and where several records give the same answer the lowest episode id is named.
pub fn assess(person: PersonId, records: &[RecordDue], holds: &[LegalHold], as_of: Date) -> Verdict {
    let mut latest: Option<Date> = None;
    let mut never: Option<EpisodeId> = None;
    let mut pending: Option<(EpisodeId, Trigger)> = None;
    for r in records {
        let waiting = match r.disposal {
            _ if r.open => Some(Trigger::CaseClosure),
            Disposal::Never => {
                never = Some(never.map_or(r.episode, |e| e.min(r.episode)));
                None
            }
            Disposal::Pending { trigger } => Some(trigger),
            Disposal::On { date, .. } => {
                latest = Some(latest.map_or(date, |l| l.max(date)));
                None
            }
        };
        if let Some(trigger) = waiting {
            if pending.is_none_or(|(e, _)| r.episode < e) {
                pending = Some((r.episode, trigger));
            }
        }
    }
    if let Some(episode) = never {
        return Verdict::Never { episode };
    }
    if let Some((episode, trigger)) = pending {
        return Verdict::Pending { episode, trigger };
    }
    let Some(due_on) = latest else { return Verdict::Unattached };
    if due_on > as_of {
        return Verdict::NotYet { due_on };
    }
    let held: Vec<String> = holds
        .iter()
        .filter(|h| h.active_on(as_of))
        .filter(|h| records.iter().any(|r| covers(h, person, r)))
        .map(|h| h.id.to_string())
        .collect();
    if held.is_empty() {
        Verdict::Due { due_on }
    } else {
        Verdict::Held { due_on, holds: held }
    }
}

/// Counts of a sweep's verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct SweepCounts {
    pub people: u64,
    pub records: u64,
    pub due: u64,
    pub held: u64,
    pub not_yet: u64,
    pub pending: u64,
    pub never: u64,
    pub unattached: u64,
}

/// A streaming sweep: feed it `(person, record)` pairs grouped by person (in any person order,
/// each person's records together) and it assesses each person as their group ends, holding
/// one person's records at a time.
pub struct Sweep<'a> {
    holds: &'a [LegalHold],
    as_of: Date,
    current: Option<PersonId>,
    records: Vec<RecordDue>,
    pub counts: SweepCounts,
}

impl<'a> Sweep<'a> {
    pub fn new(holds: &'a [LegalHold], as_of: Date) -> Self {
        Self { holds, as_of, current: None, records: Vec::new(), counts: SweepCounts::default() }
    }

    /// Adds a record (None for a person with no records); returns the previous person's
    /// verdict when this starts a new person.
    pub fn push(&mut self, person: PersonId, record: Option<RecordDue>) -> Option<(PersonId, Verdict)> {
        let done = match self.current {
            Some(p) if p != person => self.finish_current(),
            _ => None,
        };
        self.current = Some(person);
        if let Some(r) = record {
            self.counts.records += 1;
            self.records.push(r);
        }
        done
    }

    /// Assesses the last person.
    pub fn finish(&mut self) -> Option<(PersonId, Verdict)> {
        self.finish_current()
    }

    fn finish_current(&mut self) -> Option<(PersonId, Verdict)> {
        let person = self.current.take()?;
        let verdict = assess(person, &self.records, self.holds, self.as_of);
        self.records.clear();
        let c = &mut self.counts;
        c.people += 1;
        match verdict {
            Verdict::Due { .. } => c.due += 1,
            Verdict::Held { .. } => c.held += 1,
            Verdict::NotYet { .. } => c.not_yet += 1,
            Verdict::Pending { .. } => c.pending += 1,
            Verdict::Never { .. } => c.never += 1,
            Verdict::Unattached => c.unattached += 1,
        }
        Some((person, verdict))
    }
}
