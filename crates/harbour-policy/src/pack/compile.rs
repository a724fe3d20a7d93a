//! Compiles a pack into Cedar policies. Each policy's id names the pack, its version and the
//! clause (`bcp-childrens-services/v1/recipients/health`), and its `@clause` annotation holds
//! the sentence shown to users, so every decision can say which promise of which notice
//! allowed it.
//!
//! - `[[access]]` rules become permits for `read`/`write` on a person's record (scoped to the
//!   allocated team, anyone in the role, or the review panel) and for anonymised `export`.
//! - `[[recipients]]` become permits for `disclose`, under that notice only, to an
//!   organisation of the kinds the entry covers or named in it, of the data categories the
//!   entry may receive, under one of the pack's lawful bases, about a person whose record the
//!   notice governs (`[scope]`). Organisations under a fixed data set get its categories only.

use std::collections::BTreeSet;

use super::{AccessRule, PolicyPack, RecipientGroup};

/// The sentence a policy stands for, and the pack version it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackClause {
    pub pack_id: String,
    pub version: u32,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct CompiledPack {
    pub pack_id: String,
    pub version: u32,
    /// Cedar source, one policy per clause.
    pub policies: String,
    pub clauses: Vec<(String, PackClause)>,
}

/// A Cedar string literal.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(lit).collect();
    format!("[{}]", v.join(", "))
}

pub fn compile(pack: &PolicyPack) -> CompiledPack {
    let base = format!("{}/v{}", pack.id(), pack.pack.version);
    let mut policies = String::new();
    let mut clauses = Vec::new();
    let mut emit = |id: String, clause: String, body: String| {
        policies.push_str(&format!("@id({})\n@clause({})\n{body}\n\n", lit(&id), lit(&clause)));
        clauses.push((id, PackClause { pack_id: pack.id().to_string(), version: pack.pack.version, text: clause }));
    };
    for rule in &pack.access {
        access_permits(pack, &base, rule, &mut emit);
    }
    let all_bases: Vec<&str> = pack.lawful_bases.iter().map(|b| b.article.as_str()).collect();
    // A notice about reviews has no case records to share: no disclose permits at all.
    let recipients = if pack.scope.reviews() { &[][..] } else { &pack.recipients[..] };
    let classes = pack.record_classes();
    let held_here = if classes.is_empty() {
        String::new()
    } else {
        format!(" && resource.classes.containsAny({})", set(classes.iter().map(String::as_str)))
    };
    for group in recipients {
        disclose_permits(pack, &base, group, &all_bases, &held_here, &mut emit);
    }
    CompiledPack { pack_id: pack.id().to_string(), version: pack.pack.version, policies, clauses }
}

/// Emits the permits for one access rule: `read`/`write` on a person's record, and
/// anonymised `export`, for the roles and scope it names.
fn access_permits(pack: &PolicyPack, base: &str, rule: &AccessRule, emit: &mut impl FnMut(String, String, String)) {
    let roles = set(rule.roles.iter().map(|r| r.get_ref().as_str()));
    let scope = match rule.scope.get_ref().as_str() {
        "allocated" => "resource.teams.containsAny(principal.teams)",
        "panel" => "resource.panels.containsAny(principal.teams)",
        "emergency" => "resource.emergency.contains(principal)",
        _ => "true",
    };
    let clause = format!("{} — {}", pack.pack.short_name, rule.clause);
    let classes = if rule.record_classes.is_empty() {
        String::new()
    } else {
        format!(" && resource.classes.containsAny({})", set(rule.record_classes.iter().map(|c| c.get_ref().as_str())))
    };
    let record: Vec<&str> =
        rule.actions.iter().map(|a| a.get_ref().as_str()).filter(|a| *a == "read" || *a == "write").collect();
    if !record.is_empty() {
        let actions: Vec<String> = record.iter().map(|a| format!("Harbour::Action::{}", lit(a))).collect();
        emit(
            format!("{base}/access/{}", rule.id.get_ref()),
            clause.clone(),
            format!(
                "permit (principal, action in [{}], resource is Harbour::Person)\nwhen {{ {roles}.contains(principal.role) && {scope}{classes} }};",
                actions.join(", ")
            ),
        );
    }
    // Whoever an emergency rule lets read a record they opened may open one: the opening
    // itself is the clause's, so a notice without such a rule lets nobody open anything.
    if rule.scope.get_ref() == "emergency" {
        emit(
            format!("{base}/access/{}/open", rule.id.get_ref()),
            clause.clone(),
            format!(
                "permit (principal, action == Harbour::Action::\"open_in_emergency\", resource is Harbour::Person)\nwhen {{ {roles}.contains(principal.role){classes} }};"
            ),
        );
    }
    if rule.actions.iter().any(|a| a.get_ref() == "export") {
        emit(
            format!("{base}/access/{}/export", rule.id.get_ref()),
            clause,
            format!(
                "permit (principal, action == Harbour::Action::\"export\", resource == Harbour::System::\"harbour\")\n\
                 when {{ {roles}.contains(principal.role) && context.anonymised }};"
            ),
        );
    }
}

/// Emits the `disclose` permits for one recipient group: one for the organisations it
/// covers outside its data sets, and one for each fixed data set.
fn disclose_permits(
    pack: &PolicyPack,
    base: &str,
    group: &RecipientGroup,
    all_bases: &[&str],
    held_here: &str,
    emit: &mut impl FnMut(String, String, String),
) {
    let codes: BTreeSet<String> = pack.recipient_codes(group);
    let bases: BTreeSet<&str> = if group.bases.is_empty() {
        all_bases.iter().copied().collect()
    } else {
        let wanted: BTreeSet<&str> = group.bases.iter().map(|b| b.get_ref().as_str()).collect();
        pack.lawful_bases
            .iter()
            .filter(|b| wanted.contains(b.id.get_ref().as_str()))
            .map(|b| b.article.as_str())
            .collect()
    };
    let clause = format!("{} — {} — {}", pack.pack.short_name, pack.heading("recipients"), group.heading);
    // Organisations under a fixed data set get that set's categories only.
    let in_sets = |list: fn(&super::DataSet) -> &Vec<toml::Spanned<String>>| -> BTreeSet<&str> {
        group.data_sets.iter().flat_map(|d| list(d).iter().map(|x| x.get_ref().as_str())).collect()
    };
    let (set_kinds, set_orgs) = (in_sets(|d| &d.kinds), in_sets(|d| &d.organisations));
    let kinds = group.kinds.iter().map(|k| k.get_ref().as_str()).filter(|k| !set_kinds.contains(k));
    let orgs = group.organisations.iter().map(|o| o.get_ref().as_str()).filter(|o| !set_orgs.contains(o));
    let mut permit = |id: String, kinds: Vec<&str>, orgs: Vec<&str>, codes: &BTreeSet<String>| {
        // Cedar forbids empty set literals: leave out an empty side, and emit nothing
        // for an entry left with no organisations (all of them under data sets).
        let mut who = Vec::new();
        if !kinds.is_empty() {
            who.push(format!("{}.contains(context.recipient_kind)", set(kinds)));
        }
        if !orgs.is_empty() {
            who.push(format!("{}.contains(context.recipient)", set(orgs)));
        }
        if who.is_empty() || codes.is_empty() || bases.is_empty() {
            return;
        }
        emit(
            id,
            clause.clone(),
            format!(
                "permit (principal, action == Harbour::Action::\"disclose\", resource is Harbour::Person)\n\
                 when {{ context.notice == {} && ({}) \
                 && {}.containsAll(context.categories) && {}.contains(context.basis){held_here} }};",
                lit(pack.id()),
                who.join(" || "),
                set(codes.iter().map(String::as_str)),
                set(bases.iter().copied()),
            ),
        );
    };
    permit(format!("{base}/recipients/{}", group.id.get_ref()), kinds.collect(), orgs.collect(), &codes);
    for d in &group.data_sets {
        let narrowed = if d.categories.is_empty() {
            codes.clone()
        } else {
            pack.harbour_codes(d.categories.iter().map(|c| c.get_ref().as_str()))
        };
        permit(
            format!("{base}/recipients/{}/{}", group.id.get_ref(), d.id.get_ref()),
            d.kinds.iter().map(|k| k.get_ref().as_str()).collect(),
            d.organisations.iter().map(|o| o.get_ref().as_str()).collect(),
            &narrowed,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::lit;

    #[test]
    fn cedar_literals_escape_quotes_and_backslashes() {
        assert_eq!(lit(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(lit("Children’s"), "\"Children’s\"");
    }
}
