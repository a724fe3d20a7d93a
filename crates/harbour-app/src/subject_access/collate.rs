//! Collation: everything Harbour holds about the subject, as items of a bundle, each with the
//! redactions Harbour proposes and why. Where each table of a person's file goes is listed in
//! `harbour_store::person_file::COLLATION`; this module builds one kind of item per line there.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use harbour_domain::{
    Consent, Decision, Entry, Episode, Notification, Person, PersonId, Redaction, RedactionOrigin, RedactionReason,
    Relationship, Source,
};
use harbour_redact::{Kind, Redactor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Details,
    Episode,
    Entry,
    Relationships,
    Consents,
    Disclosure,
    Notification,
    InformationRequest,
}

/// One item of the bundle as collated: its text and Harbour's proposed redactions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Item {
    /// Stable across collations: `entry:<id>`, `episode:<id>`, `details`, …
    pub key: String,
    pub kind: ItemKind,
    pub heading: String,
    /// Facts about the record itself (date, source, retention), released as they are.
    pub meta: Vec<String>,
    pub text: String,
    /// SHA-256 of heading, meta and text: a review holds only for the text it saw.
    pub digest: String,
    pub proposed: Vec<Redaction>,
}

pub(crate) fn redactor() -> &'static Redactor {
    static REDACTOR: OnceLock<Redactor> = OnceLock::new();
    REDACTOR.get_or_init(Redactor::new)
}

fn digest(heading: &str, meta: &[String], text: &str) -> String {
    let mut h = Sha256::new();
    for part in std::iter::once(heading).chain(meta.iter().map(String::as_str)).chain(std::iter::once(text)) {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Identifiers compared without spaces or case.
fn norm(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// What the proposals need to know: whose file it is, who else is in it, whose address is
/// confidential.
pub(crate) struct People {
    pub subject: Person,
    /// Everyone else the file names, by id.
    pub others: HashMap<PersonId, Person>,
    /// People whose address is marked "do not disclose" (the subject among them, perhaps).
    pub confidential: HashSet<PersonId>,
    /// Names the file gives without a record (other children in a police notification).
    pub extra_names: Vec<String>,
    /// The record is restricted (UK GDPR Art 18).
    pub restricted: bool,
}

impl People {
    fn known_names(&self) -> Vec<String> {
        self.others.values().map(Person::full_name).chain(self.extra_names.iter().cloned()).collect()
    }

    /// The subject's own identifiers: not redacted from their own file.
    fn own_identifiers(&self) -> HashSet<String> {
        let p = &self.subject;
        let mut own: HashSet<String> = [
            p.nhs_number.as_ref().map(ToString::to_string),
            p.upn.as_ref().map(ToString::to_string),
            p.date_of_birth.map(|d| d.to_string()),
            p.date_of_birth.map(|d| d.strftime("%d/%m/%Y").to_string()),
            p.date_of_birth.map(|d| d.strftime("%-d %B %Y").to_string()),
        ]
        .into_iter()
        .flatten()
        .map(|s| norm(&s))
        .collect();
        if !self.confidential.contains(&p.id) {
            if let Some(a) = &p.address {
                own.extend(a.postcode.as_ref().map(|c| norm(&c.to_string())));
                own.extend(a.lines.iter().map(|l| norm(l)));
            }
        }
        own
    }

    /// Literal strings that are withheld wherever they appear: every line and postcode of a
    /// confidential address.
    fn confidential_strings(&self) -> Vec<String> {
        let people = std::iter::once(&self.subject).chain(self.others.values());
        let mut out = Vec::new();
        for p in people.filter(|p| self.confidential.contains(&p.id)) {
            if let Some(a) = &p.address {
                out.extend(a.lines.iter().filter(|l| l.trim().chars().count() >= 4).map(|l| l.trim().to_string()));
                out.extend(a.postcode.as_ref().map(ToString::to_string));
            }
        }
        out
    }
}

/// Harbour's proposals for one text.
pub(crate) struct Proposer {
    known: Vec<String>,
    own: HashSet<String>,
    confidential: Vec<String>,
    subject_name: String,
    subject_given: String,
    /// Staff names, lower-cased: professionals acting in their role are not redacted.
    staff: Vec<String>,
}

impl Proposer {
    pub fn new(people: &People, staff: &[String]) -> Self {
        Proposer {
            known: people.known_names(),
            own: people.own_identifiers(),
            confidential: people.confidential_strings(),
            subject_name: people.subject.full_name().to_lowercase(),
            subject_given: people.subject.given_name.to_lowercase(),
            staff: staff.iter().map(|n| n.split(" (").next().unwrap_or(n).trim().to_lowercase()).collect(),
        }
    }

    /// A name found in the text that is the subject's own, or (a guess only) a member of
    /// staff's: not proposed.
    fn not_a_third_party(&self, found: &str, kind: Kind, at: (usize, usize), own_name: &[(usize, usize)]) -> bool {
        let bare = found.trim_end_matches("'s").trim_end_matches("’s").to_lowercase();
        if bare == self.subject_given || own_name.iter().any(|&(a, b)| a <= at.0 && at.1 <= b) {
            return true;
        }
        kind == Kind::PossibleName && self.staff.iter().any(|n| *n == bare || n.split_whitespace().any(|w| w == bare))
    }

    /// The redactions proposed for `text`: the recognisers' findings less the subject's own
    /// name and identifiers, plus every confidential address wherever it appears.
    pub fn propose(&self, text: &str) -> Vec<Redaction> {
        let chars: Vec<char> = text.chars().collect();
        let lower: Vec<char> = text.to_lowercase().chars().collect();
        let own_name = occurrences(&lower, &self.subject_name);
        let mut out = Vec::new();
        for s in redactor().find(text, &self.known) {
            let found: String = chars[s.start..s.end].iter().collect();
            let n = norm(&found);
            let reason = match s.kind {
                Kind::Name | Kind::PossibleName => {
                    if self.not_a_third_party(&found, s.kind, (s.start, s.end), &own_name) {
                        continue;
                    }
                    RedactionReason::ThirdParty
                }
                _ if self.own.contains(&n) || self.own.iter().any(|o| !o.is_empty() && n.contains(o.as_str())) => {
                    continue
                }
                _ => RedactionReason::ThirdPartyIdentifier,
            };
            out.push(proposal(s.start, s.end, reason, s.kind.code()));
        }
        let mut secret = Vec::new();
        for c in &self.confidential {
            secret.extend(occurrences(&lower, &c.to_lowercase()));
        }
        // What overlaps a confidential address is withheld as one, whatever else it looks like.
        for r in &mut out {
            if secret.iter().any(|&(a, b)| r.start < b && a < r.end) {
                r.reason = RedactionReason::ConfidentialAddress;
            }
        }
        out.extend(secret.into_iter().map(|(a, b)| proposal(a, b, RedactionReason::ConfidentialAddress, "ADDRESS")));
        out.sort_by_key(|r| (r.start, r.end));
        out
    }
}

fn proposal(start: usize, end: usize, reason: RedactionReason, found: &str) -> Redaction {
    Redaction { start, end, reason, found: found.into(), origin: RedactionOrigin::Proposed, accepted: true, note: None }
}

/// Where `needle` occurs in `hay` (both lower-cased), in characters.
fn occurrences(hay: &[char], needle: &str) -> Vec<(usize, usize)> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || n.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - n.len()).filter(|&i| hay[i..i + n.len()] == n[..]).map(|i| (i, i + n.len())).collect()
}

/// Builds an item's text, with the redactions that come from its structure (another person's
/// name in a field) as well as the recognisers'.
pub(crate) struct ItemText {
    text: String,
    len: usize,
    structural: Vec<Redaction>,
}

impl ItemText {
    pub fn new() -> Self {
        ItemText { text: String::new(), len: 0, structural: Vec::new() }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self.len += s.chars().count();
        self
    }

    pub fn line(&mut self, s: &str) -> &mut Self {
        if !self.text.is_empty() {
            self.push("\n");
        }
        self.push(s)
    }

    /// Text that is withheld by its nature (another person's name in a relationship).
    pub fn withheld(&mut self, s: &str, reason: RedactionReason, found: &str) -> &mut Self {
        let start = self.len;
        self.push(s);
        self.structural.push(proposal(start, self.len, reason, found));
        self
    }

    pub fn item(self, key: String, kind: ItemKind, heading: String, meta: Vec<String>, proposer: &Proposer) -> Item {
        let mut proposed = self.structural;
        proposed.extend(proposer.propose(&self.text));
        // Longest first, so that a stretch inside another one (a line of an address the item
        // withholds whole) is dropped: one proposal per stretch the reviewer has to judge.
        proposed.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut kept: Vec<Redaction> = Vec::with_capacity(proposed.len());
        for r in proposed {
            if !kept.iter().any(|k| k.start <= r.start && r.end <= k.end) {
                kept.push(r);
            }
        }
        let proposed = kept;
        Item { digest: digest(&heading, &meta, &self.text), key, kind, heading, meta, text: self.text, proposed }
    }
}

/// Names for the ids an item mentions: organisations and staff (professionals acting in
/// their role are named).
pub(crate) struct Names {
    pub orgs: HashMap<String, String>,
    pub users: HashMap<String, (String, String)>,
    /// Team id → organisation id.
    pub teams: HashMap<String, String>,
}

impl Names {
    pub fn org(&self, id: impl ToString) -> String {
        self.orgs.get(&id.to_string()).cloned().unwrap_or_else(|| "an organisation".into())
    }

    pub fn org_of_team(&self, team: impl ToString) -> String {
        match self.teams.get(&team.to_string()) {
            Some(org) => self.org(org),
            None => "the council".into(),
        }
    }

    pub fn staff(&self, id: impl ToString) -> String {
        match self.users.get(&id.to_string()) {
            Some((name, org)) => format!("{name}, {}", self.org(org)),
            None => "a member of staff".into(),
        }
    }
}

pub(crate) fn details(people: &People, proposer: &Proposer) -> Item {
    let p = &people.subject;
    let mut t = ItemText::new();
    t.line(&format!("Name: {}", p.full_name()));
    if let Some(d) = p.date_of_birth {
        t.line(&format!("Date of birth: {}", d.strftime("%-d %B %Y")));
    }
    t.line(&format!("Gender: {:?}", p.gender));
    if let Some(a) = &p.address {
        let mut address: Vec<String> = a.lines.clone();
        address.extend(a.postcode.as_ref().map(ToString::to_string));
        t.line("Address: ");
        if people.confidential.contains(&p.id) {
            t.withheld(&address.join(", "), RedactionReason::ConfidentialAddress, "ADDRESS");
        } else {
            t.push(&address.join(", "));
        }
    }
    if let Some(n) = &p.nhs_number {
        t.line(&format!("NHS number: {n}"));
    }
    if let Some(u) = &p.upn {
        t.line(&format!("Unique pupil number: {u}"));
    }
    if let Some(d) = p.date_of_death {
        t.line(&format!("Date of death: {}", d.strftime("%-d %B %Y")));
    }
    if people.restricted {
        t.line("Your record is restricted at your request: we store it and do nothing else with it.");
    }
    t.item("details".into(), ItemKind::Details, "Your details".into(), Vec::new(), proposer)
}

pub(crate) fn episode(
    e: &Episode,
    retention: Option<&crate::retention::EpisodeRetention>,
    names: &Names,
    proposer: &Proposer,
) -> Item {
    let mut meta = vec![format!("Opened {}", e.opened_on.strftime("%-d %B %Y"))];
    meta.extend(e.closed_on.map(|c| format!("Closed {}", c.strftime("%-d %B %Y"))));
    if let Some(r) = retention {
        meta.extend(r.period.as_ref().map(|p| format!("Kept under the retention schedule: {p}")));
        meta.push(match r.disposal {
            harbour_retention::Disposal::On { date, .. } => {
                format!("To be reviewed for disposal on {}", date.strftime("%-d %B %Y"))
            }
            harbour_retention::Disposal::Pending { .. } => {
                "Kept while the case is open, then for the period above".into()
            }
            harbour_retention::Disposal::Never => "Kept permanently".into(),
        });
    }
    let mut t = ItemText::new();
    t.line(&format!("A {} record, held by {}.", e.record_class.label(), names.org_of_team(e.team_id)));
    t.item(
        format!("episode:{}", e.id),
        ItemKind::Episode,
        format!("Record: {}", e.record_class.label()),
        meta,
        proposer,
    )
}

pub(crate) fn entry(
    e: &Entry,
    corrected: Option<jiff::Timestamp>,
    people: &People,
    names: &Names,
    proposer: &Proposer,
) -> Item {
    let source = match &e.source {
        Source::Person { person_id } if *person_id == people.subject.id => "you".to_string(),
        Source::Person { .. } => "another person".to_string(),
        Source::Organisation { organisation_id } => names.org(organisation_id),
        Source::Staff { user_id } => names.staff(user_id),
    };
    let mut meta = vec![
        format!("{} — {}", e.occurred_at.strftime("%-d %B %Y, %H:%M"), e.kind.label()),
        format!("Source: {source}"),
        format!("Recorded by {}", names.staff(e.recorded_by)),
    ];
    if !e.categories.is_empty() {
        let cats: Vec<&str> = e.categories.iter().map(|c| c.label()).collect();
        meta.push(format!("Kinds of information: {}", cats.join(", ")));
    }
    if let Some(at) = corrected {
        meta.push(format!("Corrected on {}; the earlier text is kept and follows", at.strftime("%-d %B %Y")));
    }
    let mut t = ItemText::new();
    t.line(&e.subject);
    if let Some(l) = &e.location {
        t.line(&format!("Where: {l}"));
    }
    t.line(&e.detail);
    t.item(format!("entry:{}", e.id), ItemKind::Entry, e.subject.clone(), meta, proposer)
}

/// An earlier version of a corrected entry: still held, so still the subject's to see.
pub(crate) fn entry_version(e: &Entry, v: &harbour_store::EntryVersion, names: &Names, proposer: &Proposer) -> Item {
    let meta = vec![
        format!("{} — the entry as it was before it was corrected", e.occurred_at.strftime("%-d %B %Y, %H:%M")),
        format!("Replaced on {} by {}", v.replaced_at.strftime("%-d %B %Y"), names.staff(v.replaced_by)),
    ];
    let mut t = ItemText::new();
    t.line(&v.subject);
    if let Some(l) = &v.location {
        t.line(&format!("Where: {l}"));
    }
    t.line(&v.detail);
    let heading = format!("Earlier version of: {}", v.subject);
    t.item(format!("entry:{}:v{}", e.id, v.version), ItemKind::Entry, heading, meta, proposer)
}

pub(crate) fn relationships(rels: &[Relationship], people: &People, proposer: &Proposer) -> Item {
    let mut t = ItemText::new();
    for r in rels {
        let (other, theirs) = if r.from == people.subject.id { (r.to, false) } else { (r.from, true) };
        let name = people.others.get(&other).map(Person::full_name).unwrap_or_else(|| "someone".into());
        let how =
            if theirs { format!("{} of yours: ", r.kind.label()) } else { format!("you are {} of: ", r.kind.label()) };
        t.line(&how);
        t.withheld(&name, RedactionReason::ThirdParty, "NAME");
    }
    t.item("relationships".into(), ItemKind::Relationships, "People linked to your record".into(), Vec::new(), proposer)
}

pub(crate) fn consents(list: &[Consent], names: &Names, proposer: &Proposer) -> Item {
    let mut t = ItemText::new();
    for c in list {
        let to: Vec<String> = c.share_with.iter().map(|o| names.org(o)).collect();
        t.line(&format!(
            "{}: consent given by {} on {} to share with {}.",
            c.service,
            c.given_by,
            c.given_on.strftime("%-d %B %Y"),
            if to.is_empty() { "nobody outside the council".to_string() } else { to.join(", ") }
        ));
        if let Some(w) = &c.withdrawn {
            t.push(&format!(" Withdrawn on {}.", w.withdrawn_on.strftime("%-d %B %Y")));
        }
    }
    t.item("consents".into(), ItemKind::Consents, "Your consents".into(), Vec::new(), proposer)
}

/// A decision about the subject: only their part of it (a decision may name siblings too).
pub(crate) fn disclosure(
    d: &Decision,
    received: &[(String, jiff::Timestamp)],
    subject: PersonId,
    subject_entries: &HashMap<harbour_domain::EntryId, String>,
    names: &Names,
    proposer: &Proposer,
) -> Item {
    let mut meta = vec![
        format!("Decided {} under {} (version {})", d.decided_at.strftime("%-d %B %Y"), d.notice, d.notice_version),
        format!("Purpose: {}", d.purpose),
        format!("Law relied on: {}", d.statute),
    ];
    meta.extend(received.iter().map(|(org, at)| format!("Received by {org} on {}", at.strftime("%-d %B %Y"))));
    let mut t = ItemText::new();
    let to: Vec<String> = d.recipients.iter().map(|o| names.org(o)).collect();
    t.line(&format!("Shared with: {}.", to.join(", ")));
    for p in d.person_fields.iter().filter(|p| p.person_id == subject) {
        let fields: Vec<String> = p.fields.iter().map(|f| f.code().replace('_', " ")).collect();
        t.line(&format!("Your details shared: {}.", fields.join(", ")));
    }
    for e in &d.entries {
        if let Some(title) = subject_entries.get(&e.entry_id) {
            t.line(&format!("From the record: \"{title}\"."));
        }
    }
    if d.whole_record_justification.is_some() {
        t.line("Your whole record was shared.");
    }
    t.item(
        format!("disclosure:{}", d.id),
        ItemKind::Disclosure,
        format!("Shared with {}", to.join(", ")),
        meta,
        proposer,
    )
}

/// A partner's request for information about the subject (named in it, or answered by a
/// decision about them).
pub(crate) fn information_request(r: &harbour_domain::InformationRequest, names: &Names, proposer: &Proposer) -> Item {
    let meta = vec![
        format!("From {}, received {}", names.org(r.from_org), r.received_at.strftime("%-d %B %Y")),
        format!("Under {}, for the purpose {}", r.notice, r.purpose),
        format!("Status: {}", r.status),
    ];
    let mut t = ItemText::new();
    t.line(&r.detail);
    let heading = format!("A request for information about you from {}", names.org(r.from_org));
    t.item(format!("information_request:{}", r.id), ItemKind::InformationRequest, heading, meta, proposer)
}

pub(crate) fn notification(n: &Notification, names: &Names, proposer: &Proposer) -> Item {
    let meta = vec![
        format!("From {} (reference {})", names.org(n.police_org), n.police_reference),
        format!("Received {}", n.received_at.strftime("%-d %B %Y")),
    ];
    let mut t = ItemText::new();
    t.line(&format!("Incident on {}.", n.incident_at.strftime("%-d %B %Y, %H:%M")));
    if !n.location.is_empty() {
        t.line(&format!("Where: {}", n.location));
    }
    t.line(&n.account);
    t.item(
        format!("notification:{}", n.id),
        ItemKind::Notification,
        "A police notification of domestic abuse".into(),
        meta,
        proposer,
    )
}

#[cfg(test)]
mod tests;
