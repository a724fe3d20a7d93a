use harbour_domain::{EpisodeId, PersonId, RecordClass};
use jiff::civil::{date, Date};

use super::*;

fn schedule() -> Schedule {
    let packs = harbour_policy::built_in_packs().expect("the built-in packs load");
    Schedule::from_packs(&packs)
}

/// One row of the council's published schedule (seed 002) or the DHR notice (seed 003):
/// the row, the trigger dates given, and the disposal date a records manager expects.
struct Case {
    key: &'static str,
    facts: Facts,
    expect: &'static str,
}

fn dob(d: Date) -> Facts {
    Facts { date_of_birth: Some(d), ..Facts::default() }
}
fn closed(d: Date) -> Facts {
    Facts { closed: Some(d), ..Facts::default() }
}
fn created(d: Date) -> Facts {
    Facts { created: Some(d), ..Facts::default() }
}
fn left(d: Date) -> Facts {
    Facts { left_school: Some(d), ..Facts::default() }
}
fn published(d: Date) -> Facts {
    Facts { published: Some(d), ..Facts::default() }
}

const BCP: &str = "bcp-childrens-services";

#[test]
fn every_row_of_the_published_schedule_gives_its_date() {
    let s = schedule();
    let cases = [
        // Date of case closure +35 years.
        Case { key: "child-protection-plan", facts: closed(date(2020, 3, 31)), expect: "2055-03-31" },
        // Date of birth +75 years.
        Case { key: "looked-after", facts: dob(date(2010, 7, 14)), expect: "2085-07-14" },
        Case { key: "fostering", facts: dob(date(2012, 1, 1)), expect: "2087-01-01" },
        // +25 years (read from the date of birth).
        Case { key: "child-health-and-disability", facts: dob(date(2015, 5, 5)), expect: "2040-05-05" },
        // 10 years (from closure).
        Case { key: "complaints", facts: closed(date(2024, 12, 31)), expect: "2034-12-31" },
        Case { key: "child-work-permits", facts: closed(date(2023, 8, 31)), expect: "2030-08-31" },
        // 7 years (from creation, the Limitation Act reading).
        Case { key: "admissions", facts: created(date(2021, 9, 1)), expect: "2028-09-01" },
        // Date of birth + 25 years.
        Case { key: "all-other-records", facts: dob(date(2008, 10, 2)), expect: "2033-10-02" },
        // Date of birth 100 years.
        Case { key: "register-of-risk", facts: dob(date(1970, 6, 30)), expect: "2070-06-30" },
        // CSE: 10 years from closure.
        Case { key: "child-sexual-exploitation", facts: closed(date(2019, 2, 28)), expect: "2029-02-28" },
        // LADO: 70 years from closure.
        Case { key: "lado", facts: closed(date(2022, 4, 1)), expect: "2092-04-01" },
        Case { key: "early-education-funding", facts: created(date(2025, 1, 15)), expect: "2032-01-15" },
        // Serious case reviews: 35 years from publication.
        Case { key: "serious-case-reviews", facts: published(date(2018, 11, 20)), expect: "2053-11-20" },
        Case { key: "send", facts: dob(date(2013, 3, 3)), expect: "2038-03-03" },
        Case { key: "nursery-and-childcare", facts: dob(date(2019, 12, 25)), expect: "2044-12-25" },
        Case { key: "childminders", facts: closed(date(2020, 7, 31)), expect: "2027-07-31" },
        // 7 years after leaving school.
        Case { key: "pupils", facts: left(date(2024, 7, 19)), expect: "2031-07-19" },
        Case { key: "educational-welfare-and-exclusions", facts: dob(date(2011, 11, 11)), expect: "2036-11-11" },
        Case { key: "free-school-meals", facts: closed(date(2023, 7, 21)), expect: "2030-07-21" },
        Case { key: "virtual-school-iicsa", facts: dob(date(2009, 4, 4)), expect: "2104-04-04" },
        Case { key: "virtual-school-pupil-data", facts: dob(date(2009, 4, 4)), expect: "2084-04-04" },
    ];
    let rows: Vec<&RetentionClass> = s.classes().iter().filter(|c| c.notice == BCP).collect();
    assert_eq!(rows.len(), cases.len(), "one case per row of the published table");
    for case in &cases {
        let key = format!("{BCP}/{}", case.key);
        let class = s.class(&key).unwrap();
        assert_eq!(class.disposal(&case.facts).to_string(), case.expect, "{key}");
        // Without its trigger's date the row cannot give a date.
        assert_eq!(class.disposal(&Facts::default()), Disposal::Pending { trigger: class.trigger }, "{key}");
    }
}

#[test]
fn dhr_panel_minutes_are_kept_six_years_after_publication() {
    let s = schedule();
    let minutes = s.class("dorset-csp-dhr/dhr-panel-minutes").unwrap();
    assert_eq!(minutes.trigger, Trigger::Publication);
    assert_eq!(minutes.disposal(&published(date(2025, 6, 30))).to_string(), "2031-06-30");
    // Unpublished reviews keep their minutes.
    assert_eq!(minutes.disposal(&closed(date(2025, 6, 30))), Disposal::Pending { trigger: Trigger::Publication });
}

/// 29 February plus N years is 1 March in a common year (issue 11: disposal comes no earlier
/// than the notice says; on 28 February the period has not run).
#[test]
fn leap_days_move_to_1_march_when_the_target_year_has_none() {
    assert_eq!(add_years(date(2024, 2, 29), 1), date(2025, 3, 1));
    assert_eq!(add_years(date(2024, 2, 29), 25), date(2049, 3, 1));
    assert_eq!(add_years(date(2024, 2, 29), 4), date(2028, 2, 29));
    assert_eq!(add_years(date(2000, 2, 29), 100), date(2100, 3, 1), "2100 is not a leap year");
    assert_eq!(add_years(date(2000, 2, 29), 400), date(2400, 2, 29));
    assert_eq!(add_years(date(2023, 3, 1), 1), date(2024, 3, 1));
    assert_eq!(add_years(date(2023, 2, 28), 1), date(2024, 2, 28));
    assert_eq!(add_years(date(9990, 1, 1), 75), Date::MAX);
    let s = schedule();
    let cpp = s.class("bcp-childrens-services/child-protection-plan").unwrap();
    assert_eq!(cpp.disposal(&closed(date(2024, 2, 29))).to_string(), "2059-03-01");
    let looked_after = s.class("bcp-childrens-services/looked-after").unwrap();
    assert_eq!(looked_after.disposal(&dob(date(2012, 2, 29))).to_string(), "2087-03-01");
    let risk = s.class("bcp-childrens-services/register-of-risk").unwrap();
    assert_eq!(risk.disposal(&dob(date(1996, 2, 29))).to_string(), "2096-02-29");
}

#[test]
fn record_classes_default_to_the_published_schedule_first() {
    let s = schedule();
    // Mapped in the council's schedule and in the CSE notice: the schedule wins.
    assert_eq!(
        s.for_record_class(RecordClass::ChildSexualExploitation).unwrap().key(),
        format!("{BCP}/child-sexual-exploitation")
    );
    assert_eq!(s.for_record_class(RecordClass::ChildInNeed).unwrap().key(), format!("{BCP}/all-other-records"));
    // Adoption has no row in any notice: it is kept under the law's own floor (Adoption
    // Agencies Regulations 2005, reg 41), unless another class is chosen for it.
    assert_eq!(s.assign(RecordClass::Adoption, None).unwrap().key(), "statutory/adoption");
    assert_eq!(
        s.assign(RecordClass::Adoption, Some("bcp-childrens-services/register-of-risk")).unwrap().row,
        "register-of-risk"
    );
    // A row kept for other record classes cannot be borrowed.
    assert!(matches!(
        s.assign(RecordClass::Complaint, Some("bcp-childrens-services/lado")),
        Err(RetentionError::WrongClass { .. })
    ));
    assert!(matches!(s.assign(RecordClass::Complaint, Some("nope/row")), Err(RetentionError::UnknownClass(_))));
    // Every class the packs map is reachable by its key.
    for c in s.classes() {
        assert_eq!(s.class(&c.key()).unwrap(), c);
    }
}

#[test]
fn a_permanent_row_is_never_disposed_of() {
    let class = RetentionClass {
        notice: "n".into(),
        row: "r".into(),
        text: "t".into(),
        period: "permanent".into(),
        trigger: Trigger::Creation,
        years: None,
        record_classes: vec![],
        statutory: None,
    };
    assert_eq!(class.disposal(&created(date(2000, 1, 1))), Disposal::Never);
    assert_eq!(Disposal::Never.to_string(), "never");
}

fn record(class: RecordClass, disposal: Disposal) -> RecordDue {
    RecordDue { episode: EpisodeId::new(), record_class: class, disposal, open: false }
}

fn on(d: Date) -> Disposal {
    Disposal::On { date: d, floor: None }
}

fn hold(scope: HoldScope, starts: Date, ends: Option<Date>) -> LegalHold {
    LegalHold {
        id: harbour_domain::HoldId::new(),
        scope,
        reason: "inquiry".into(),
        authorised_by: "Head of Legal".into(),
        starts_on: starts,
        ends_on: ends,
    }
}

#[test]
fn a_file_is_due_when_its_latest_record_is() {
    let p = PersonId::new();
    let today = date(2060, 1, 1);
    let cin = record(RecordClass::ChildInNeed, on(date(2040, 1, 1)));
    let cpp = record(RecordClass::ChildProtectionPlan, on(date(2061, 1, 1)));
    // The child protection plan keeps the whole file for its longer period.
    assert_eq!(assess(p, &[cin, cpp], &[], today), Verdict::NotYet { due_on: date(2061, 1, 1) });
    assert_eq!(assess(p, &[cin, cpp], &[], date(2061, 1, 1)), Verdict::Due { due_on: date(2061, 1, 1) });
    let open = record(RecordClass::ChildInNeed, Disposal::Pending { trigger: Trigger::CaseClosure });
    assert!(matches!(assess(p, &[cin, open], &[], today), Verdict::Pending { trigger: Trigger::CaseClosure, .. }));
    // An open episode keeps the file even when its row's date (from the date of birth) has passed.
    let open_cin = RecordDue { open: true, ..record(RecordClass::ChildInNeed, on(date(2040, 1, 1))) };
    assert_eq!(
        assess(p, &[cin, open_cin], &[], today),
        Verdict::Pending { episode: open_cin.episode, trigger: Trigger::CaseClosure }
    );
    let kept = record(RecordClass::Adoption, Disposal::Never);
    assert!(matches!(assess(p, &[cin, kept], &[], today), Verdict::Never { .. }));
    assert_eq!(assess(p, &[], &[], today), Verdict::Unattached);
    // Whatever order the records come in: kept permanently outweighs waiting for a trigger,
    // and the lowest episode id is the one named.
    let open_too = RecordDue { open: true, ..record(RecordClass::ChildInNeed, on(date(2040, 1, 1))) };
    let first_open = open_cin.episode.min(open_too.episode);
    for records in [[cin, open_cin, open_too, kept], [kept, open_too, cin, open_cin], [open_too, open_cin, kept, cin]] {
        assert_eq!(assess(p, &records, &[], today), Verdict::Never { episode: kept.episode });
        let without_kept: Vec<RecordDue> = records.iter().copied().filter(|r| r.episode != kept.episode).collect();
        assert_eq!(
            assess(p, &without_kept, &[], today),
            Verdict::Pending { episode: first_open, trigger: Trigger::CaseClosure }
        );
    }
}

#[test]
fn a_hold_on_a_class_person_or_episode_keeps_a_due_file() {
    let p = PersonId::new();
    let today = date(2060, 1, 1);
    let cse = record(RecordClass::ChildSexualExploitation, on(date(2050, 1, 1)));
    let cin = record(RecordClass::ChildInNeed, on(date(2051, 1, 1)));
    let files = [cse, cin];
    let iicsa =
        hold(HoldScope::RecordClass { record_class: RecordClass::ChildSexualExploitation }, date(2015, 6, 23), None);
    assert!(
        matches!(assess(p, &files, std::slice::from_ref(&iicsa), today), Verdict::Held { ref holds, .. } if holds.len() == 1)
    );
    // A class hold does not reach a file without that class.
    assert_eq!(assess(p, &[cin], std::slice::from_ref(&iicsa), today), Verdict::Due { due_on: date(2051, 1, 1) });
    let person = hold(HoldScope::Person { person_id: p }, date(2059, 1, 1), None);
    assert!(matches!(assess(p, &[cin], std::slice::from_ref(&person), today), Verdict::Held { .. }));
    assert_eq!(
        assess(PersonId::new(), &[cin], std::slice::from_ref(&person), today),
        Verdict::Due { due_on: date(2051, 1, 1) }
    );
    let episode = hold(HoldScope::Episode { episode_id: cin.episode }, date(2059, 1, 1), None);
    assert!(matches!(assess(p, &files, std::slice::from_ref(&episode), today), Verdict::Held { .. }));
    // An ended hold, or one not yet started, holds nothing.
    let ended = hold(HoldScope::Person { person_id: p }, date(2015, 1, 1), Some(date(2023, 1, 20)));
    let future = hold(HoldScope::Person { person_id: p }, date(2061, 1, 1), None);
    assert_eq!(assess(p, &[cin], &[ended.clone(), future], today), Verdict::Due { due_on: date(2051, 1, 1) });
    assert!(ended.active_on(date(2023, 1, 20)) && !ended.active_on(date(2023, 1, 21)));
    // A hold never makes a file due earlier.
    let later = record(RecordClass::ChildInNeed, on(date(2070, 1, 1)));
    assert_eq!(assess(p, &[later], &[person], today), Verdict::NotYet { due_on: date(2070, 1, 1) });
}

#[test]
fn a_sweep_assesses_each_person_as_their_records_end() {
    let today = date(2060, 1, 1);
    let (a, b, c) = (PersonId::new(), PersonId::new(), PersonId::new());
    let mut sweep = Sweep::new(&[], today);
    assert_eq!(sweep.push(a, Some(record(RecordClass::ChildInNeed, on(date(2050, 1, 1))))), None);
    assert_eq!(sweep.push(a, Some(record(RecordClass::Complaint, on(date(2059, 1, 1))))), None);
    let (who, verdict) = sweep.push(b, Some(record(RecordClass::LookedAfter, on(date(2080, 1, 1))))).unwrap();
    assert_eq!((who, verdict), (a, Verdict::Due { due_on: date(2059, 1, 1) }));
    let (who, verdict) = sweep.push(c, None).unwrap();
    assert_eq!((who, verdict), (b, Verdict::NotYet { due_on: date(2080, 1, 1) }));
    assert_eq!(sweep.finish(), Some((c, Verdict::Unattached)));
    assert_eq!(sweep.finish(), None);
    assert_eq!(
        sweep.counts,
        SweepCounts { people: 3, records: 3, due: 1, not_yet: 1, unattached: 1, ..SweepCounts::default() }
    );
}

fn with_death(f: Facts, died: Date) -> Facts {
    Facts { died: Some(died), ..f }
}

/// The statutory floors (rules.md rule 31, issue 11): the later of the row's date and the
/// floor's, naming the floor when it decides, whatever row the record was given.
#[test]
fn the_law_s_floors_beat_a_shorter_row() {
    let s = schedule();
    let looked_after = s.class("bcp-childrens-services/looked-after").unwrap();
    // A shorter row a practitioner could choose for a looked-after record (no record classes).
    let short = s.class("bcp-childrens-services/child-health-and-disability").unwrap();
    let admissions = s.class("bcp-childrens-services/admissions").unwrap();
    let adoption = s.class("statutory/adoption").unwrap();
    let la = RecordClass::LookedAfter;
    let cases: &[(&RetentionClass, RecordClass, Facts, &str)] = &[
        // The notice's looked-after row is the 75th birthday itself: the row decides (a tie).
        (looked_after, la, dob(date(2010, 7, 14)), "2085-07-14"),
        // CPPCR 2010 reg 50: a shorter row (date of birth + 25) is raised to the 75th birthday.
        (short, la, dob(date(2010, 7, 14)),
         "2085-07-14 (statutory floor: until the 75th birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50))"),
        // Reg 50: died before 18 (aged 13): 15 years from the death, later than the row's 2035.
        (short, la, with_death(dob(date(2010, 7, 14)), date(2024, 1, 10)),
         "2039-01-10 (statutory floor: 15 years from the death of a child who died before 18 (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50))"),
        // Died before 18, but the row is longer: the row decides.
        (short, la, with_death(dob(date(2010, 7, 14)), date(2012, 1, 10)), "2035-07-14"),
        // The notice's row (75th birthday) is longer than 15 years from a death: the row decides.
        (looked_after, la, with_death(dob(date(2010, 7, 14)), date(2024, 1, 10)), "2085-07-14"),
        // Died at 18 or over: the 75th birthday stands (born 29 February: 1 March in 2085).
        (short, la, with_death(dob(date(2008, 2, 29)), date(2026, 3, 1)),
         "2083-03-01 (statutory floor: until the 75th birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50))"),
        // Died the day before the 18th birthday (1 March 2026 for a 29 February birthday).
        (short, la, with_death(dob(date(2008, 2, 29)), date(2026, 2, 28)),
         "2041-02-28 (statutory floor: 15 years from the death of a child who died before 18 (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50))"),
        // Adoption Agencies Regulations 2005 reg 41: 100 years from the order (the closing date).
        (adoption, RecordClass::Adoption, closed(date(2020, 5, 1)),
         "2120-05-01 (statutory floor: at least 100 years from the adoption order (Adoption Agencies Regulations 2005, reg 41))"),
        // A shorter row chosen for an adoption record is raised to the floor.
        (admissions, RecordClass::Adoption, Facts { created: Some(date(2019, 1, 1)), closed: Some(date(2020, 5, 1)), ..Facts::default() },
         "2120-05-01 (statutory floor: at least 100 years from the adoption order (Adoption Agencies Regulations 2005, reg 41))"),
        // Other record classes have no floor.
        (short, RecordClass::ChildInNeed, dob(date(2010, 7, 14)), "2035-07-14"),
    ];
    for (class, record_class, facts, expect) in cases {
        assert_eq!(
            class.disposal_of(*record_class, facts).to_string(),
            *expect,
            "{} {record_class:?} {facts:?}",
            class.key()
        );
    }
    // A floor that cannot be dated keeps the record pending: a looked-after record with no date
    // of birth, an adoption order not yet made.
    assert_eq!(
        admissions.disposal_of(la, &created(date(2020, 1, 1))),
        Disposal::Pending { trigger: Trigger::DateOfBirth }
    );
    assert_eq!(
        admissions.disposal_of(RecordClass::Adoption, &created(date(2020, 1, 1))),
        Disposal::Pending { trigger: Trigger::CaseClosure }
    );
    // A permanent row stays permanent.
    let mut permanent = short.clone();
    permanent.years = None;
    assert_eq!(permanent.disposal_of(la, &dob(date(2010, 7, 14))), Disposal::Never);
    // The serialised date names the floor only when there is one.
    let floored = short.disposal_of(la, &dob(date(2010, 7, 14)));
    assert_eq!(floored.floor(), Some(Floor::SeventyFifthBirthday));
    assert_eq!(
        serde_json::to_value(floored).unwrap(),
        serde_json::json!({"state": "on", "date": "2085-07-14", "floor": "seventy_fifth_birthday"})
    );
    assert_eq!(
        serde_json::to_value(looked_after.disposal_of(la, &dob(date(2010, 7, 14)))).unwrap(),
        serde_json::json!({"state": "on", "date": "2085-07-14"})
    );
}

#[test]
fn the_table_of_floors_is_what_floor_for_applies() {
    let facts = Facts { date_of_birth: Some(date(2010, 1, 1)), closed: Some(date(2020, 1, 1)), ..Facts::default() };
    for class in RecordClass::ALL {
        let listed = FLOORS.iter().find(|r| r.record_class == class);
        match (listed, floor_for(class, &facts)) {
            (None, None) => {}
            (Some(rule), Some(FloorDate::On { floor, .. })) => assert!(rule.floors.contains(&floor), "{class:?}"),
            other => panic!("{class:?}: {other:?}"),
        }
    }
    for rule in FLOORS {
        for floor in rule.floors {
            assert!(
                floor.source().contains("Regulations") && floor.source().contains("reg "),
                "{floor:?} cites its source"
            );
        }
    }
}
