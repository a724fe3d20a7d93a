//! Policy packs: privacy notices as data (`docs/policy-packs.md`).
//!
//! A pack is parsed from TOML ([`parse`]), checked ([`PolicyPack::check`]), rendered as the
//! public notice ([`render`]) and compiled into Cedar policies ([`compile`]). Every problem
//! is reported with the file, line and column of the value at fault.

mod compile;
mod model;
mod recipients;
mod render;
pub mod sharing;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use harbour_domain::{DataCategory, EntryField, OrgKind, Organisation, PersonField, RecordClass, Role};
pub use model::*;
use toml::Spanned;

pub use compile::{compile, CompiledPack, PackClause};
pub use recipients::recipients_table;
pub use render::{escape, render, render_html_linked, Format, NOTICE_CSS};

/// One problem in a pack, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Every problem found in a pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackErrors(pub Vec<Diagnostic>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// Turns byte offsets into 1-based line and column numbers.
struct Locator<'a> {
    file: &'a str,
    src: &'a str,
}

impl Locator<'_> {
    fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let start = span.start.min(self.src.len());
        let before = &self.src[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        Diagnostic { file: self.file.to_string(), line, column, message: message.into() }
    }
}

/// Parses a pack; syntax and type errors carry their position.
pub fn parse(file: &str, src: &str) -> Result<PolicyPack, PackErrors> {
    let loc = Locator { file, src };
    toml::from_str::<PolicyPack>(src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        PackErrors(vec![loc.at(span, e.message().trim().to_string())])
    })
}

/// Parses and checks a pack: the whole of `harbour notice check`.
pub fn load(file: &str, src: &str) -> Result<PolicyPack, PackErrors> {
    let pack = parse(file, src)?;
    pack.check(file, src)?;
    Ok(pack)
}

const TRIGGERS: &[&str] = &["date_of_birth", "case_closure", "leaving_school", "creation", "publication"];
const ACTIONS: &[&str] = &["read", "write", "export"];
const SCOPES: &[&str] = &["allocated", "any", "panel", "emergency"];
const ROLES_OF_ORGS: &[&str] = &["controller", "processor", "controller_and_processor"];
const RECORDS: &[&str] = &["case_records", "reviews"];

struct Checker<'a> {
    loc: Locator<'a>,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        let d = self.loc.at(span, msg);
        self.out.push(d);
    }

    /// Ids in one list must be unique and well formed.
    fn ids<'b>(&mut self, what: &str, ids: impl Iterator<Item = &'b Spanned<String>>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for id in ids {
            let v = id.get_ref();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                self.err(id.span(), format!("{what} id {v:?} must be a–z, 0–9 and '-'"));
            }
            if !seen.insert(v.clone()) {
                self.err(id.span(), format!("duplicate {what} id {v:?}"));
            }
        }
        seen
    }

    fn refs(&mut self, what: &str, refs: &[Spanned<String>], known: &BTreeSet<String>) {
        for r in refs {
            if !known.contains(r.get_ref()) {
                self.err(r.span(), format!("unknown {what} {:?}", r.get_ref()));
            }
        }
    }

    /// Directory slugs: a–z, 0–9 and '-'. (Whether the organisation exists is the
    /// directory's business; the recipients table in docs/recipients.md is tested against it.)
    fn slugs(&mut self, values: &[Spanned<String>]) {
        for v in values {
            let s = v.get_ref();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                self.err(v.span(), format!("organisation {s:?} must be a directory slug: a–z, 0–9 and '-'"));
            }
        }
    }

    fn codes(&mut self, what: &str, values: &[Spanned<String>], valid: impl Fn(&str) -> bool) {
        for v in values {
            if !valid(v.get_ref()) {
                self.err(v.span(), format!("unknown {what} {:?}", v.get_ref()));
            }
        }
    }
}

impl PolicyPack {
    pub fn id(&self) -> &str {
        self.pack.id.get_ref()
    }

    /// The date this version takes effect.
    pub fn effective_from(&self) -> Option<jiff::civil::Date> {
        self.pack.effective_from.get_ref().parse().ok()
    }

    /// The record classes the notice governs (`[scope]`); empty when it covers every case
    /// record.
    pub fn record_classes(&self) -> BTreeSet<String> {
        self.scope.record_classes.iter().map(|c| c.get_ref().clone()).collect()
    }

    /// The entry of the recipients table that names `org`, and why: an entry naming the
    /// organisation itself wins over one naming its kind; otherwise the first entry naming
    /// its kind. `None` when no entry names it: the notice does not let it receive anything.
    pub fn recipient_for(&self, org: &Organisation) -> Option<(&RecipientGroup, String)> {
        let named = self.recipients.iter().find(|g| g.organisations.iter().any(|s| s.get_ref() == &org.slug));
        if let Some(g) = named {
            return Some((g, format!("{} is named in the entry \"{}\"", org.name, g.heading)));
        }
        self.recipients
            .iter()
            .find(|g| g.kinds.iter().any(|k| k.get_ref() == org.kind.code()))
            .map(|g| (g, format!("{} is {}, which the entry \"{}\" covers", org.name, org.kind.label(), g.heading)))
    }

    /// The fixed minimum data set that applies to `org` within `group`, if any.
    pub fn data_set_for<'a>(&self, group: &'a RecipientGroup, org: &Organisation) -> Option<&'a DataSet> {
        group.data_sets.iter().find(|d| {
            d.organisations.iter().any(|s| s.get_ref() == &org.slug)
                || d.kinds.iter().any(|k| k.get_ref() == org.kind.code())
        })
    }

    /// The heading of a section: the notice's own, or Harbour's default.
    pub fn heading(&self, key: &str) -> String {
        self.headings.get(key).map(|h| h.get_ref().clone()).unwrap_or_else(|| {
            SECTION_KEYS.iter().find(|(k, _)| *k == key).map(|(_, d)| d.to_string()).unwrap_or_default()
        })
    }

    /// The categories (Harbour codes) a special or criminal pack category covers, and so on:
    /// the Harbour data-category codes of the given pack categories.
    pub fn harbour_codes<'a>(&'a self, ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        let by_id: HashMap<&str, &Category> = self.categories.iter().map(|c| (c.id.get_ref().as_str(), c)).collect();
        ids.into_iter()
            .filter_map(|id| by_id.get(id))
            .flat_map(|c| c.harbour.iter().map(|h| h.get_ref().clone()))
            .collect()
    }

    /// The Harbour data-category codes a recipient group may receive: its listed categories,
    /// or every ordinary category when it lists none.
    pub fn recipient_codes(&self, group: &RecipientGroup) -> BTreeSet<String> {
        if group.categories.is_empty() {
            self.harbour_codes(
                self.categories.iter().filter(|c| c.kind == CategoryKind::Ordinary).map(|c| c.id.get_ref().as_str()),
            )
        } else {
            self.harbour_codes(group.categories.iter().map(|c| c.get_ref().as_str()))
        }
    }

    /// Checks every rule of the format; the Cedar compilation is checked too.
    pub fn check(&self, file: &str, src: &str) -> Result<(), PackErrors> {
        let mut c = Checker { loc: Locator { file, src }, out: Vec::new() };
        self.check_meta(&mut c);
        let (categories, bases, conditions) = self.check_ids(&mut c);
        self.check_categories(&mut c, &conditions);
        self.check_scope(&mut c);
        self.check_recipients(&mut c, &categories, &bases);
        self.check_retention(&mut c);
        for g in &self.guardian_approval {
            c.refs("category", &g.categories, &categories);
        }
        self.check_access(&mut c);
        if c.out.is_empty() {
            if let Err(e) = crate::Authorizer::from_packs(std::slice::from_ref(self)) {
                c.err(0..0, format!("the Cedar policies generated from this pack do not validate: {e}"));
            }
        }
        if c.out.is_empty() {
            Ok(())
        } else {
            Err(PackErrors(c.out))
        }
    }

    /// Checks the `[pack]` table and that `[headings]` and `[leads]` name only known sections.
    fn check_meta(&self, c: &mut Checker<'_>) {
        let id = &self.pack.id;
        if id.get_ref().is_empty()
            || !id.get_ref().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            c.err(id.span(), "pack id must be a–z, 0–9 and '-'");
        }
        if self.effective_from().is_none() {
            c.err(self.pack.effective_from.span(), "effective_from must be a date, YYYY-MM-DD");
        }
        if self.pack.version == 0 {
            c.err(id.span(), "version must be 1 or more");
        }
        for (key, heading) in &self.headings {
            if !SECTION_KEYS.iter().any(|(k, _)| k == key) {
                c.err(heading.span(), format!("unknown section {key:?} in [headings]"));
            }
        }
        for key in self.leads.keys() {
            if !SECTION_KEYS.iter().any(|(k, _)| k == key) {
                c.err(0..0, format!("unknown section {key:?} in [leads]"));
            }
        }
    }

    /// Checks the ids of every list, and returns the category, lawful basis and condition
    /// ids that other entries refer to.
    fn check_ids(&self, c: &mut Checker<'_>) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
        c.ids("purpose", self.purposes.iter().map(|p| &p.id));
        let categories = c.ids("category", self.categories.iter().map(|x| &x.id));
        let bases = c.ids("lawful basis", self.lawful_bases.iter().map(|x| &x.id));
        let conditions = c.ids("condition", self.conditions.iter().map(|x| &x.id));
        c.ids("statute", self.statutes.iter().map(|x| &x.id));
        c.ids("recipient group", self.recipients.iter().map(|x| &x.id));
        c.ids("ground", self.sharing.without_consent.iter().map(|x| &x.id));
        c.ids("exemption", self.telling_the_family.exemptions.iter().map(|x| &x.id));
        c.ids("retention row", self.retention.iter().map(|x| &x.get_ref().id));
        c.ids("right", self.rights.iter().map(|x| &x.id));
        c.ids("guardian rule", self.guardian_approval.iter().map(|x| &x.id));
        c.ids("access rule", self.access.iter().map(|x| &x.id));
        (categories, bases, conditions)
    }

    /// Checks each category's Harbour codes and conditions: special and criminal offence
    /// categories need at least one condition.
    fn check_categories(&self, c: &mut Checker<'_>, conditions: &BTreeSet<String>) {
        for cat in &self.categories {
            c.codes("Harbour data category", &cat.harbour, |v| DataCategory::from_code(v).is_some());
            c.refs("condition", &cat.conditions, conditions);
            if cat.kind != CategoryKind::Ordinary && cat.conditions.is_empty() {
                let what = if cat.kind == CategoryKind::Special { "Art 9" } else { "Art 10 / Schedule 1" };
                c.err(cat.id.span(), format!("{:?} category {:?} has no {what} condition", cat.kind, cat.id.get_ref()));
            }
        }
    }

    /// Checks `[scope]`: the records and record classes it names, and that a notice about
    /// reviews names no record classes.
    fn check_scope(&self, c: &mut Checker<'_>) {
        c.codes("records", std::slice::from_ref(&self.scope.records), |v| RECORDS.contains(&v));
        c.codes("record class", &self.scope.record_classes, |v| RecordClass::from_code(v).is_some());
        if self.scope.reviews() && !self.scope.record_classes.is_empty() {
            c.err(self.scope.records.span(), "a notice about reviews covers no case record classes");
        }
    }

    /// Checks each recipient group: who it covers (each kind or organisation in one group
    /// only), its role, services, categories, bases, access limit and data sets.
    fn check_recipients(&self, c: &mut Checker<'_>, categories: &BTreeSet<String>, bases: &BTreeSet<String>) {
        let mut named: HashMap<String, String> = HashMap::new();
        for r in &self.recipients {
            c.codes("organisation kind", &r.kinds, |v| {
                OrgKind::from_code(v).is_some_and(|k| k != OrgKind::Unclassified)
            });
            c.slugs(&r.organisations);
            if r.kinds.is_empty() && r.organisations.is_empty() {
                c.err(
                    r.id.span(),
                    format!("recipient group {:?} names no organisation kinds or organisations", r.id.get_ref()),
                );
            }
            for who in r.kinds.iter().chain(&r.organisations) {
                if let Some(first) = named.insert(who.get_ref().clone(), r.id.get_ref().clone()) {
                    c.err(who.span(), format!("{:?} is already covered by recipient group {first:?}", who.get_ref()));
                }
            }
            c.codes("controller role", std::slice::from_ref(&r.role), |v| ROLES_OF_ORGS.contains(&v));
            if r.services.iter().all(|s| s.trim().is_empty()) {
                c.err(r.id.span(), format!("recipient group {:?} names no services", r.id.get_ref()));
            }
            c.refs("category", &r.categories, categories);
            c.refs("lawful basis", &r.bases, bases);
            if r.access_days == Some(0) {
                c.err(r.id.span(), format!("recipient group {:?}: access_days must be 1 or more", r.id.get_ref()));
            }
            check_data_sets(c, r, categories);
        }
    }

    /// Checks each retention row: a known trigger, a period (or permanent, not both), the
    /// period in words, and each record class kept under one row only.
    fn check_retention(&self, c: &mut Checker<'_>) {
        let mut mapped: HashMap<String, String> = HashMap::new();
        for row in &self.retention {
            let rule = row.get_ref();
            match &rule.trigger {
                None => c.err(row.span(), format!("retention row {:?} has no trigger", rule.id.get_ref())),
                Some(t) if !TRIGGERS.contains(&t.get_ref().as_str()) => {
                    c.err(t.span(), format!("unknown trigger {:?}; use one of {}", t.get_ref(), TRIGGERS.join(", ")))
                }
                Some(_) => {}
            }
            match (rule.years, rule.permanent) {
                (None, false) => {
                    c.err(row.span(), format!("retention row {:?} has no period (years)", rule.id.get_ref()))
                }
                (Some(_), true) => c.err(
                    row.span(),
                    format!("retention row {:?} is permanent and so cannot also have a period", rule.id.get_ref()),
                ),
                _ => {}
            }
            if rule.period.trim().is_empty() {
                c.err(row.span(), format!("retention row {:?} does not say its period in words", rule.id.get_ref()));
            }
            c.codes("record class", &rule.record_classes, |v| RecordClass::from_code(v).is_some());
            for class in &rule.record_classes {
                if let Some(first) = mapped.insert(class.get_ref().clone(), rule.id.get_ref().clone()) {
                    c.err(
                        class.span(),
                        format!("record class {:?} is already kept under row {first:?}", class.get_ref()),
                    );
                }
            }
        }
    }

    /// Checks each access rule's codes and, when the notice covers only some record classes,
    /// that the rule names its classes and stays within them.
    fn check_access(&self, c: &mut Checker<'_>) {
        let governed = self.record_classes();
        for a in &self.access {
            c.codes("role", &a.roles, |v| Role::from_code(v).is_some());
            c.codes("action", &a.actions, |v| ACTIONS.contains(&v));
            c.codes("scope", std::slice::from_ref(&a.scope), |v| SCOPES.contains(&v));
            c.codes("record class", &a.record_classes, |v| RecordClass::from_code(v).is_some());
            if !governed.is_empty() {
                if a.record_classes.is_empty() {
                    c.err(
                        a.id.span(),
                        format!(
                            "access rule {:?} must name its record classes: the notice covers only {governed:?}",
                            a.id.get_ref()
                        ),
                    );
                }
                for class in &a.record_classes {
                    if !governed.contains(class.get_ref()) {
                        c.err(
                            class.span(),
                            format!("record class {:?} is outside the notice's [scope]", class.get_ref()),
                        );
                    }
                }
            }
        }
    }
}

/// Checks the fixed data sets of recipient group `r`: each applies to kinds the group covers
/// or to named organisations, lists known fields, and keeps to the group's categories.
fn check_data_sets(c: &mut Checker<'_>, r: &RecipientGroup, categories: &BTreeSet<String>) {
    c.ids("data set", r.data_sets.iter().map(|d| &d.id));
    for d in &r.data_sets {
        for k in &d.kinds {
            if !r.kinds.iter().any(|g| g.get_ref() == k.get_ref()) {
                c.err(
                    k.span(),
                    format!("data set {:?}: kind {:?} is not one the group covers", d.id.get_ref(), k.get_ref()),
                );
            }
        }
        c.slugs(&d.organisations);
        if d.kinds.is_empty() && d.organisations.is_empty() {
            c.err(d.id.span(), format!("data set {:?} says no organisations it applies to", d.id.get_ref()));
        }
        c.codes("person field", &d.person_fields, |v| PersonField::from_code(v).is_some());
        c.codes("entry field", &d.entry_fields, |v| EntryField::from_code(v).is_some());
        c.refs("category", &d.categories, categories);
        for cat in &d.categories {
            if !r.categories.is_empty() && !r.categories.iter().any(|g| g.get_ref() == cat.get_ref()) {
                c.err(
                    cat.span(),
                    format!(
                        "data set {:?}: category {:?} is not one the group may receive",
                        d.id.get_ref(),
                        cat.get_ref()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
