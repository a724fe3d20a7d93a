//! The recipients table: for every notice, which organisations of a directory each entry of
//! its recipients table names, and why (their kind, or being named). This is the reviewable
//! form of the mapping `check_share` and the compiled `disclose` permits enforce; the data
//! protection officer reads it for their own directory with `harbour notice recipients`, and
//! `docs/recipients.md` is the demo directory's, checked by a test.

use std::fmt::Write;

use harbour_domain::Organisation;

use super::PolicyPack;

/// One notice's recipients table as Markdown: a row per organisation an entry names, then
/// the entries that name no organisation of the directory, then the organisations the
/// notice names nowhere (which receive nothing under it).
pub fn recipients_table(pack: &PolicyPack, directory: &[Organisation]) -> String {
    let mut out = format!("## {} ({} version {})\n\n", pack.pack.title, pack.id(), pack.pack.version);
    if pack.scope.reviews() {
        out.push_str(
            "Governs the records of Domestic Homicide Reviews only: no case record is shared under it, so no \
             organisation receives one. Its entries, for the reviews to come:\n\n",
        );
    }
    let mut orgs: Vec<&Organisation> = directory.iter().collect();
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    out.push_str("| entry | organisation | named by | fixed data set |\n|---|---|---|---|\n");
    let mut named_nowhere = Vec::new();
    for group in &pack.recipients {
        let mut any = false;
        for org in &orgs {
            let Some((g, _)) = pack.recipient_for(org) else { continue };
            if g.id.get_ref() != group.id.get_ref() {
                continue;
            }
            any = true;
            let by = if g.organisations.iter().any(|s| s.get_ref() == &org.slug) {
                "name".to_string()
            } else {
                format!("kind: {}", org.kind.label())
            };
            let set = pack.data_set_for(g, org).map(|d| d.id.get_ref().as_str()).unwrap_or("");
            let _ = writeln!(out, "| {} | {} | {by} | {set} |", group.heading, org.name);
        }
        if !any {
            let _ = writeln!(out, "| {} | *(no organisation in the directory)* | | |", group.heading);
        }
    }
    for org in &orgs {
        if pack.recipient_for(org).is_none() {
            named_nowhere.push(org.name.as_str());
        }
    }
    let _ = write!(out, "\nNamed nowhere, so receiving nothing under this notice: {}.\n", named_nowhere.join("; "));
    out
}
