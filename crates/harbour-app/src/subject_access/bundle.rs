//! The released bundle: the cover letter with the supplementary information of UK GDPR
//! Art 15 (generated from the notices that govern the subject's records), the items with the
//! withheld text replaced by its reason, the PDF and HTML made from them, and the release
//! record whose SHA-256 the ledger keeps.

use std::collections::BTreeSet;

use harbour_bundle::{Bundle, Section, Segment};
use harbour_domain::{
    parts, Episode, Part, PersonId, Redaction, RedactionReason, RightsRequest, RightsRequestId, RightsStatus,
};
use harbour_policy::pack::PolicyPack;
use harbour_policy::Action;
use harbour_store::StoredRelease;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{check_request, Item};
use crate::retention::PersonRetention;
use crate::{Actor, App, AppError, AppResult};

/// A heading of the Art 15 information and its lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Art15Section {
    pub heading: String,
    pub lines: Vec<String>,
}

const ICO: &str = "If you are unhappy with how we have handled your information you can complain to the \
    Information Commissioner's Office: ico.org.uk/make-a-complaint, telephone 0303 123 1113, or write to \
    Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.";

fn section(heading: &str, lines: Vec<String>) -> Art15Section {
    let mut seen = BTreeSet::new();
    let lines = lines.into_iter().filter(|l| seen.insert(l.clone())).collect();
    Art15Section { heading: heading.into(), lines }
}

/// The notices that govern the subject's records: those covering any class of their
/// episodes (a notice naming no class covers them all).
fn governing<'a>(notices: &'a [PolicyPack], episodes: &[Episode]) -> Vec<&'a PolicyPack> {
    let classes: BTreeSet<String> = episodes.iter().map(|e| e.record_class.code().to_string()).collect();
    notices
        .iter()
        .filter(|p| !p.scope.reviews())
        .filter(|p| {
            let theirs = p.record_classes();
            theirs.is_empty() || !theirs.is_disjoint(&classes)
        })
        .collect()
}

/// UK GDPR Art 15(1)–(2) information, from the notices in force that govern the records.
pub(crate) fn art15(
    notices: &[PolicyPack],
    episodes: &[Episode],
    retention: &PersonRetention,
    _request: &RightsRequest,
) -> Vec<Art15Section> {
    let packs = governing(notices, episodes);
    let each = |f: &dyn Fn(&PolicyPack) -> Vec<String>| packs.iter().flat_map(|p| f(p)).collect::<Vec<String>>();
    let mut keeping: Vec<String> = retention
        .records
        .iter()
        .map(|r| {
            let until = match r.disposal {
                harbour_retention::Disposal::On { date, .. } => {
                    format!("to be reviewed for disposal on {}", date.strftime("%-d %B %Y"))
                }
                harbour_retention::Disposal::Pending { .. } => {
                    "kept while the case is open, then for that period".into()
                }
                harbour_retention::Disposal::Never => "kept permanently".into(),
            };
            format!(
                "{} record: {}; {until}.",
                r.record_class.label(),
                r.period.as_deref().unwrap_or("under the council's schedule")
            )
        })
        .collect();
    keeping.sort();
    vec![
        section("Who holds your information", each(&|p| vec![format!("{}: {}", p.controller.name, p.controller.contact)])),
        section("Why we hold it", each(&|p| p.purposes.iter().map(|x| x.text.clone()).collect())),
        section("The kinds of information", each(&|p| p.categories.iter().map(|c| c.text.clone()).collect())),
        section(
            "Who it may be shared with",
            each(&|p| p.recipients.iter().map(|r| r.heading.clone()).collect())
                .into_iter()
                .chain(std::iter::once("Who it has been shared with is listed in this bundle, under \"Shared with\".".into()))
                .collect(),
        ),
        section("How long we keep it", keeping),
        section(
            "Where it came from",
            vec!["The source of each entry is given with the entry: you, another person, a member of staff or a partner organisation.".into()],
        ),
        section("Your rights", each(&|p| p.rights.iter().map(|r| r.text.clone()).collect())),
        section("Complaints", vec![ICO.to_string()]),
    ]
}

/// How the bundle went to the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseMethod {
    Post,
    SecureEmail,
    InPerson,
    Portal,
}

/// Who the bundle is released to, and how.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseTo {
    #[schema(max_length = 200)]
    pub to: String,
    pub method: ReleaseMethod,
}

/// An item as released: which text (its digest) and what was withheld, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleasedItem {
    pub key: String,
    pub digest: String,
    pub withheld: Vec<(usize, usize, RedactionReason)>,
}

/// The release record. Its SHA-256 is the target of the ledger's `rights.release` event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleaseRecord {
    pub request_id: RightsRequestId,
    pub person_id: PersonId,
    #[schema(value_type = String)]
    pub released_at: jiff::Timestamp,
    pub released_by: String,
    pub reviewed_by: String,
    pub approved_by: String,
    pub to: String,
    pub method: ReleaseMethod,
    pub items: Vec<ReleasedItem>,
    /// SHA-256 of the PDF, and of the HTML copy.
    pub pdf_sha256: String,
    pub html_sha256: String,
}

/// The record and the digest the ledger names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseView {
    pub record: ReleaseRecord,
    pub record_sha256: String,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An item's text as paragraphs of released text and reasons.
fn paragraphs(text: &str, redactions: &[Redaction]) -> Vec<Vec<Segment>> {
    let mut out = vec![Vec::new()];
    for part in parts(text, redactions) {
        match part {
            Part::Withheld { reason } => {
                if let Some(p) = out.last_mut() {
                    p.push(Segment::Redacted { reason: reason.label().into() });
                }
            }
            Part::Text { text } => {
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    match out.last_mut() {
                        Some(p) if !line.is_empty() => p.push(Segment::Text(line.into())),
                        _ => {}
                    }
                }
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

fn text(s: impl Into<String>) -> Vec<Segment> {
    vec![Segment::Text(s.into())]
}

fn cover(
    request: &RightsRequest,
    items: &[(Item, Vec<Redaction>, bool)],
    art15: &[Art15Section],
    approver: &str,
) -> Vec<Section> {
    let mut letter = vec![
        text(format!("Dear {},", request.requester_name)),
        text(format!(
            "You asked on {} for the information we hold about {}. This bundle holds all of it: {} items, listed in the index that follows this letter.",
            request.received_on.strftime("%-d %B %Y"),
            request.subject_name,
            items.len()
        )),
    ];
    let reasons: BTreeSet<RedactionReason> =
        items.iter().flat_map(|(_, r, _)| r).filter(|r| r.accepted).map(|r| r.reason).collect();
    if !reasons.is_empty() {
        letter.push(text("Some information has been withheld. Where it has, the text says why in square brackets. The reasons, and the law we rely on, are:"));
        letter.extend(reasons.iter().map(|r| text(format!("[redacted: {}] — {}.", r.label(), r.basis()))));
    }
    letter.push(text(format!("Yours sincerely, {approver}, Data Protection Officer")));
    let mut out = vec![Section {
        heading: "Your subject access request".into(),
        meta: vec![format!("Reference {}", request.id)],
        paragraphs: letter,
    }];
    out.extend(art15.iter().map(|s| Section {
        heading: s.heading.clone(),
        meta: Vec::new(),
        paragraphs: s.lines.iter().map(|l| text(l.clone())).collect(),
    }));
    out
}

impl App {
    /// Releases an approved request: the bundle is made from the file as it stands, only if
    /// every item is still what was reviewed; the PDF, the HTML copy and the release record
    /// are kept sealed, the request becomes released, and the ledger names the record's digest.
    pub async fn release(&self, actor: &Actor, id: RightsRequestId, to: ReleaseTo) -> AppResult<ReleaseView> {
        let decision = self.authorize_system(actor, Action::ManageRights, "rights.release").await?;
        let mut request = self.store.rights_request(id).await?;
        let person = check_request(&request, &[RightsStatus::Approved])?;
        self.check_child_view(&request, person).await?;
        let to_whom = harbour_domain::required_text("to", &to.to, 200)?;
        let stored =
            self.store.rights_review(id).await?.ok_or_else(|| AppError::Conflict("no review to release".into()))?;
        let (Some(reviewer), Some(approver)) = (stored.reviewed_by, stored.approved_by) else {
            return Err(AppError::Conflict("the review has not been approved".into()));
        };
        let today = actor.now.today();
        let merged = self.merged(&request, person, today).await?;
        if let Some((item, _, _)) = merged.items.iter().find(|(_, _, changed)| *changed) {
            return Err(AppError::Conflict(format!(
                "{} changed after approval; review and approve again",
                item.heading
            )));
        }
        let approver_name = self.store.user(approver).await?.display_name;
        let bundle = Bundle {
            title: format!("Subject access request: information about {}", request.subject_name),
            reference: request.id.to_string(),
            prepared_on: today.strftime("%-d %B %Y").to_string(),
            cover: cover(&request, &merged.items, &merged.art15, &approver_name),
            items: merged
                .items
                .iter()
                .map(|(i, r, _)| Section {
                    heading: i.heading.clone(),
                    meta: i.meta.clone(),
                    paragraphs: paragraphs(&i.text, r),
                })
                .collect(),
        };
        let html = harbour_bundle::render_html(&bundle).into_bytes();
        let pdf = tokio::task::spawn_blocking(move || harbour_bundle::render_pdf(&bundle))
            .await
            .map_err(|e| AppError::Internal(format!("rendering the bundle stopped: {e}")))?
            .map_err(|e| AppError::Internal(format!("the bundle could not be rendered: {e}")))?;
        let record = ReleaseRecord {
            request_id: id,
            person_id: person,
            released_at: actor.now.instant,
            released_by: actor.user.display_name.clone(),
            reviewed_by: self.store.user(reviewer).await?.display_name,
            approved_by: approver_name,
            to: to_whom,
            method: to.method,
            items: merged
                .items
                .iter()
                .map(|(i, r, _)| ReleasedItem {
                    key: i.key.clone(),
                    digest: i.digest.clone(),
                    withheld: r.iter().filter(|r| r.accepted).map(|r| (r.start, r.end, r.reason)).collect(),
                })
                .collect(),
            pdf_sha256: sha256_hex(&pdf),
            html_sha256: sha256_hex(&html),
        };
        let record_bytes = serde_json::to_vec(&record).map_err(|e| AppError::Internal(e.to_string()))?;
        let record_sha256 = sha256_hex(&record_bytes);
        let was = request.status;
        request.move_to(RightsStatus::Released, None, None, today)?;
        let event =
            self.event(actor, "rights.release", "rights_release", &decision).target(&record_sha256).about(person);
        let release = StoredRelease {
            record: record_bytes,
            record_sha256: record_sha256.clone(),
            pdf,
            html,
            released_by: actor.user.id,
            released_at: actor.now.instant,
        };
        self.store.insert_rights_release(&request, was, &release, &event).await?;
        Ok(ReleaseView { record, record_sha256 })
    }

    async fn stored_release(&self, actor: &Actor, id: RightsRequestId, what: &str) -> AppResult<StoredRelease> {
        let decision = self.authorize_system(actor, Action::ManageRights, what).await?;
        let request = self.store.rights_request(id).await?;
        let release = self
            .store
            .rights_release(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("request {id} has not been released")))?;
        self.store.audit(&self.request_event(actor, what, &decision, &request)).await?;
        Ok(release)
    }

    /// The release record, as the ledger names it.
    pub async fn release_record(&self, actor: &Actor, id: RightsRequestId) -> AppResult<ReleaseView> {
        let r = self.stored_release(actor, id, "rights.release.read").await?;
        let record = serde_json::from_slice(&r.record).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(ReleaseView { record, record_sha256: r.record_sha256 })
    }

    /// The released PDF, byte for byte.
    pub async fn release_pdf(&self, actor: &Actor, id: RightsRequestId) -> AppResult<Vec<u8>> {
        Ok(self.stored_release(actor, id, "rights.bundle.read").await?.pdf)
    }

    /// The released HTML copy.
    pub async fn release_html(&self, actor: &Actor, id: RightsRequestId) -> AppResult<String> {
        let html = self.stored_release(actor, id, "rights.bundle.read").await?.html;
        String::from_utf8(html).map_err(|e| AppError::Internal(e.to_string()))
    }
}
